import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.roles import Role, role_required
from members.models import Contact

from . import consent as consent_services
from . import selectors
from .erasure import contact_erase, contact_export_record

STAFF = (Role.CLUSTER_MANAGER,)


def notice(request):
    return render(request, "privacy/notice.html", {"notice": selectors.notice_current()})


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@never_cache
@require_http_methods(["GET", "POST"])
def consent_confirm(request, token):
    """GET shows the text and a button (link scanners fetch every link); POST confirms."""
    if request.method == "POST":
        try:
            consent = consent_services.consent_confirm(token=token, ip=_client_ip(request))
        except ValidationError as exc:
            return render(request, "privacy/consent.html", {"error": exc.messages[0]}, status=400)
        return render(
            request,
            "privacy/consent.html",
            {"done": True, "withdraw_url": consent_services.withdraw_url(consent)},
        )
    return render(request, "privacy/consent.html", {"text": consent_services.consent_text()})


@never_cache
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, token):
    consent = consent_services.consent_from_withdraw_token(token)
    if consent is None:
        return render(
            request,
            "privacy/withdraw.html",
            {"error": _("This link is not valid.")},
            status=400,
        )
    if request.method == "POST":
        consent_services.consent_withdraw(consent=consent)
        return render(request, "privacy/withdraw.html", {"done": True})
    return render(request, "privacy/withdraw.html", {})


def _contact(pk) -> Contact:
    return get_object_or_404(Contact.objects.select_related("company"), pk=pk)


@role_required(*STAFF)
def export_json(request, pk):
    contact = _contact(pk)
    contact_export_record(contact=contact, actor=request.user)
    body = json.dumps(selectors.contact_export(contact), cls=selectors.ENCODER, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    return response


@role_required(*STAFF)
def export_html(request, pk):
    contact = _contact(pk)
    contact_export_record(contact=contact, actor=request.user)
    return render(
        request,
        "privacy/export.html",
        {
            "contact": contact,
            "data": selectors.contact_export_for_people(selectors.contact_export(contact)),
        },
    )


@require_POST
@role_required(*STAFF)
def consent_ask(request, pk):
    """Staff start the double opt-in for a contact: the confirmation mail goes out."""
    contact = _contact(pk)
    try:
        consent_services.consent_request(contact=contact, form="staff request")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The confirmation mail is on its way to %(email)s.") % {"email": contact.email},
        )
    return redirect("privacy:export_html", pk=contact.pk)


@require_POST
@role_required(*STAFF)
def erase(request, pk):
    contact = _contact(pk)
    reason = (request.POST.get("reason") or "").strip()
    if not reason:
        messages.error(request, _("Please give the reason for the erasure."))
        return redirect("privacy:export_html", pk=contact.pk)
    try:
        contact_erase(contact=contact, actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("privacy:export_html", pk=contact.pk)
    messages.success(request, _("The contact has been anonymised."))
    return redirect("privacy:audit")


@role_required(*STAFF)
def audit(request):
    entries = selectors.audit_entries()
    return render(request, "privacy/audit.html", {"entries": entries})
