"""Staff pages of the outbox and the public opt-out link."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.roles import role_required
from members.models import Contact

from . import catalogue, permissions, selectors, services
from .attachments import attachment_content, attachment_size
from .filters import MailFilter
from .models import Mail
from .rendering import opt_out_read, render_mail

PAGE_SIZE = 50


@require_GET
@role_required(*permissions.STAFF_ROLES)
def mail_list(request):
    visible = permissions.mails_visible_to(request.user)
    mail_filter = MailFilter(request.GET or None, queryset=visible)
    filtered = mail_filter.qs if mail_filter.is_bound and mail_filter.is_valid() else visible
    page = Paginator(selectors.mail_list(filtered), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outbox/mail_list.html",
        {
            "filter": mail_filter,
            "page": page,
            "counts": selectors.state_counts(filtered),
            "states": Mail.State,
            "query": query.urlencode(),
        },
    )


@require_GET
@role_required(*permissions.STAFF_ROLES)
def mail_detail(request, pk):
    mail = permissions.mail_get_for_user_or_404(request.user, pk)
    return render(
        request,
        "outbox/mail_detail.html",
        {
            "mail": mail,
            "kind_label": catalogue.kind_label(mail.kind),
            "attachments": [{**a, "size": attachment_size(a)} for a in mail.attachments],
        },
    )


@require_GET
@role_required(*permissions.STAFF_ROLES)
def mail_attachment(request, pk, index):
    mail = permissions.mail_get_for_user_or_404(request.user, pk)
    if not 0 <= index < len(mail.attachments):
        return HttpResponse(status=404)
    attachment = mail.attachments[index]
    response = HttpResponse(attachment_content(attachment), content_type=attachment["mimetype"])
    response["Content-Disposition"] = f'attachment; filename="{attachment["filename"]}"'
    return response


@require_POST
@role_required(*permissions.STAFF_ROLES)
def mail_retry(request, pk):
    mail = permissions.mail_get_for_user_or_404(request.user, pk)
    try:
        services.mail_retry(mail=mail)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The mail is queued again and will be sent shortly."))
    return redirect("outbox:mail_detail", pk=mail.pk)


@require_GET
@role_required(*permissions.STAFF_ROLES)
def template_list(request):
    """Every mail template rendered with sample data, in the chosen language."""
    language = request.GET.get("language", "de")
    if language not in ("de", "en"):
        language = "de"
    rendered = []
    for mail_type in catalogue.all_types():
        item = {"type": mail_type, "mail": None, "error": ""}
        try:
            context = mail_type.sample() if mail_type.sample else {}
            item["mail"] = render_mail(
                template=mail_type.template,
                context=context,
                language=language,
                recipient_email="anna.alpha@example.org",
                contact_id=None,
            )
        except Exception as exc:  # one template without sample data must not hide the others
            item["error"] = f"{type(exc).__name__}: {exc}"
        rendered.append(item)
    return render(
        request, "outbox/template_list.html", {"rendered": rendered, "language": language}
    )


@require_GET
@role_required(*permissions.STAFF_ROLES)
def batch_progress(request, pk):
    """Counts of a bulk send; the page polls this fragment until nothing is open."""
    batch = permissions.batch_get_for_user_or_404(request.user, pk)
    progress = selectors.batch_progress(batch)
    # When done, the fragment comes without hx-trigger, which ends the polling.
    return render(request, "outbox/_batch_progress.html", {"batch": batch, "progress": progress})


@never_cache
@csrf_exempt  # mail clients post RFC 8058 one-click unsubscribes without a session
@require_http_methods(["GET", "POST"])
def opt_out(request, token):
    """One-click opt-out without login.

    GET shows one button; POST (the button, or a mail client's List-Unsubscribe-Post)
    stops advertising mail. GET alone changes nothing, because link scanners in
    company mail systems fetch every link of a mail.
    """
    data = opt_out_read(token)
    if data is None:
        return render(
            request,
            "outbox/opt_out.html",
            {"invalid": True, "error": _("This opt-out link is not valid.")},
            status=400,
        )
    email = data["e"]
    if request.method == "POST":
        contact = Contact.objects.filter(pk=data.get("c")).first() if data.get("c") else None
        services.suppression_add(email=email, contact=contact)
        return render(request, "outbox/opt_out.html", {"done": True, "email": email})
    return render(request, "outbox/opt_out.html", {"email": email})
