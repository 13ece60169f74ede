"""The cluster management's circulars: list with figures, write, audience with counts and a
preview per language, test to oneself, send now or later, cancel a scheduled send."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.roles import Role, role_required
from core.uploads import upload_limit
from members.clusters import managed_clusters
from members.models import Contact
from outbox import selectors as outbox_selectors

from . import audience, selectors, services
from .attachments import MAX_TOTAL_BYTES
from .forms import CircularForm, SendForm, TestSendForm
from .mails import circular_preview
from .models import Circular

staff_required = role_required(Role.CLUSTER_MANAGER)
# Twice the allowed total reaches the form, which says what is too large; beyond that the
# request is refused unread (core.uploads).
UPLOAD_LIMIT = 2 * MAX_TOTAL_BYTES


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


@require_GET
@staff_required
def circular_list(request):
    clusters = list(managed_clusters(request.user).order_by("name"))
    cluster = next((c for c in clusters if str(c.pk) == request.GET.get("cluster")), None)
    return render(
        request,
        "circulars/list.html",
        {
            "circulars": selectors.circulars_with_figures(user=request.user, cluster=cluster)[:200],
            "clusters": clusters,
            "cluster": cluster,
        },
    )


def _save(request, form: CircularForm, circular: Circular | None):
    data = form.cleaned_data
    common = {
        "cluster": data["cluster"],
        "subject": data["subject"],
        "body": data["body"],
        "uploads": data.get("uploads") or [],
        "actor": request.user,
    }
    if circular is None:
        return services.circular_create(**common)
    return services.circular_update(
        circular=circular, remove_ids=[a.pk for a in data.get("remove") or []], **common
    )


def _edit(request, circular: Circular | None):
    if circular is not None and not circular.is_editable:
        messages.error(request, _("Only a draft circular can be changed."))
        return redirect("circulars:detail", pk=circular.pk)
    instance = circular or Circular(created_by=request.user)
    if request.method == "POST":
        form = CircularForm(request.POST, request.FILES, instance=instance, user=request.user)
        if form.is_valid():
            try:
                saved = _save(request, form, circular)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The circular is saved. Now choose its audience."))
                return redirect("circulars:detail", pk=saved.pk)
    else:
        initial = {}
        if circular is None:
            first_cluster = managed_clusters(request.user).order_by("name").first()
            initial = {"cluster": first_cluster.pk} if first_cluster else {}
        form = CircularForm(instance=instance, initial=initial, user=request.user)
    return render(
        request,
        "circulars/edit.html",
        {"form": form, "circular": circular},
        status=400 if form.is_bound and form.errors else 200,
    )


@upload_limit(UPLOAD_LIMIT)
@require_http_methods(["GET", "POST"])
@staff_required
def circular_create(request):
    return _edit(request, None)


@upload_limit(UPLOAD_LIMIT)
@require_http_methods(["GET", "POST"])
@staff_required
def circular_edit(request, pk):
    return _edit(request, selectors.circular_get_or_404(request.user, pk))


def _filter_data(request, circular: Circular) -> QueryDict:
    """The filter of the page; a draft opens with the filter it was last scheduled with."""
    if request.GET or circular.state == Circular.State.DRAFT and not circular.audience_query:
        return request.GET
    return audience.filter_data(circular)


def _query(data: QueryDict) -> str:
    query = data.copy()
    query.pop("page", None)
    return query.urlencode()


def _previews(circular: Circular, matching) -> list[dict]:
    counts = audience.language_counts(circular, matching)
    languages = [code for code, _label in Contact.Language.choices]
    contacts = audience.first_recipient_per_language(
        circular, matching, [code for code in languages if counts.get(code)]
    )
    previews = [
        {
            "language": code,
            "label": label,
            "count": counts.get(code, 0),
            "contact": contacts.get(code),
            "mail": circular_preview(circular, language=code, contact=contacts.get(code)),
        }
        for code, label in Contact.Language.choices
        if counts.get(code) or (not counts and code == "de")
    ]
    return previews


@require_GET
@staff_required
def circular_detail(request, pk):
    circular = selectors.circular_get_or_404(request.user, pk)
    data = _filter_data(request, circular)
    contact_filter, matching = audience.matching_contacts(data)
    summary = audience.summary(circular, matching)
    batches = outbox_selectors.batches_progress([circular.batch]) if circular.batch_id else []
    return render(
        request,
        "circulars/detail.html",
        {
            "circular": circular,
            "attachments": list(circular.attachments.all()),
            "filter": contact_filter,
            "summary": summary,
            "previews": _previews(circular, matching),
            "query": _query(data),
            "send_form": SendForm(initial={"expected": summary.to_send}),
            "test_form": TestSendForm(),
            "batches": batches,
        },
    )


def _back(circular: Circular, query: str = "") -> str:
    url = reverse("circulars:detail", args=[circular.pk])
    return f"{url}?{query}" if query else url


@require_POST
@staff_required
def circular_test(request, pk):
    circular = selectors.circular_get_or_404(request.user, pk)
    form = TestSendForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else "de"
    try:
        services.circular_test_send(circular=circular, actor=request.user, language=language)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("A test of the circular is on its way to %(email)s.") % {"email": request.user.email},
        )
    return redirect(_back(circular, _query(request.GET)))


@require_POST
@staff_required
def circular_send(request, pk):
    """Sends to the audience of the query string, now or at the chosen time."""
    circular = selectors.circular_get_or_404(request.user, pk)
    back = _back(circular, _query(request.GET))
    form = SendForm(request.POST)
    if not form.is_valid():
        errors = [str(m) for field_errors in form.errors.values() for m in field_errors]
        messages.error(request, " ".join(errors))
        return redirect(back)
    try:
        circular = services.circular_send(
            circular=circular,
            data=request.GET,
            actor=request.user,
            expected=form.cleaned_data["expected"],
            send_at=form.cleaned_data["send_at"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(back)
    if circular.state == Circular.State.SCHEDULED:
        messages.success(request, _("The circular is scheduled; you can cancel it until then."))
    else:
        text = ngettext(
            "The circular is being sent to %(n)d contact.",
            "The circular is being sent to %(n)d contacts.",
            circular.recipients_planned,
        )
        messages.success(request, text % {"n": circular.recipients_planned})
    return redirect("circulars:detail", pk=circular.pk)


@require_POST
@staff_required
def circular_cancel(request, pk):
    circular = selectors.circular_get_or_404(request.user, pk)
    try:
        services.circular_cancel(circular=circular, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The scheduled send is cancelled; the circular is a draft again.")
        )
    return redirect("circulars:detail", pk=circular.pk)


@require_GET
@staff_required
def attachment_download(request, pk, attachment_pk):
    circular = selectors.circular_get_or_404(request.user, pk)
    attachment = get_object_or_404(circular.attachments, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle, as_attachment=True, filename=attachment.filename, content_type="application/pdf"
    )
