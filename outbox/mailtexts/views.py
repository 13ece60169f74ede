"""The cluster manager's pages for mail texts: the list of kinds, the editor (preview, test
send, save), the reset to the default and the history, each for one cluster or agency-wide
(scope.py says who may see which)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.roles import Role, role_required
from members.identity import identity_for

from . import catalogue, preview, selectors, services
from .forms import MailTextForm
from .scope import Scope, require_allowed, scope_of
from .starter import starter_draft

LANGUAGES = dict(settings.LANGUAGES)


def _scope_or_redirect(request, mail_type=None) -> tuple[Scope, HttpResponseRedirect | None]:
    """A login bound to clusters that opens the agency-wide page lands on its first cluster's
    (where the mail is a cluster's); anything else outside its clusters is refused (scope.py).
    A mail of no cluster has the agency-wide text only."""
    scope = scope_of(request)
    if mail_type is not None and not mail_type.per_cluster:
        if scope.cluster is not None:
            raise Http404
        require_allowed(scope)
    if scope.cluster is None and not scope.may_edit_agency and request.method == "GET":
        default = scope.default
        if default is not None:
            return default, HttpResponseRedirect(request.path + default.query)
    require_allowed(scope)
    return scope, None


def _edited(version) -> bool:
    return version is not None and not version.is_default


@require_GET
@role_required(Role.CLUSTER_MANAGER)
def text_list(request):
    scope, elsewhere = _scope_or_redirect(request)
    if elsewhere:
        return elsewhere
    newest = selectors.newest_versions(scope.cluster_id)
    rows = []
    for mail_type in catalogue.editable():
        if scope.cluster is not None and not mail_type.per_cluster:
            continue  # the agency's mails: not worded per cluster
        versions = []
        for code, name in LANGUAGES.items():
            own = newest.get((mail_type.template, code, scope.cluster_id))
            agency = newest.get((mail_type.template, code, None)) if scope.cluster else None
            versions.append(
                {
                    "code": code,
                    "name": name,
                    "version": own if _edited(own) else None,
                    "inherited": agency if not _edited(own) and _edited(agency) else None,
                }
            )
        rows.append({"type": mail_type, "languages": versions})
    return render(request, "outbox/mailtexts/list.html", {"rows": rows, "scope": scope})


def _language_or_404(language: str) -> str:
    if language not in LANGUAGES:
        raise Http404
    return language


@require_http_methods(["GET", "POST"])
@role_required(Role.CLUSTER_MANAGER)
def text_edit(request, kind, language):
    mail_type = catalogue.get_or_404(kind)
    language = _language_or_404(language)
    scope, elsewhere = _scope_or_redirect(request, mail_type)
    if elsewhere:
        return elsewhere
    cluster, cluster_id = scope.cluster, scope.cluster_id
    identity = identity_for(cluster)
    in_force = selectors.text_in_force(mail_type.template, language, cluster_id)
    draft_preview, errors = None, []
    if request.method == "POST":
        form = MailTextForm(request.POST)
        form.is_valid()
        draft = form.draft()
        action = request.POST.get("action", "preview")
        try:
            if action == "save":
                services.mail_text_save(
                    mail_type=mail_type,
                    language=language,
                    draft=draft,
                    actor=request.user,
                    cluster=cluster,
                )
                messages.success(request, _("The mail text is saved and applies to new mails."))
                return _back_to_editor(kind, language, scope)
            if action == "test":
                services.mail_text_test_send(
                    mail_type=mail_type,
                    language=language,
                    draft=draft,
                    actor=request.user,
                    cluster=cluster,
                )
                messages.success(
                    request,
                    _("A test mail to %(email)s is in the outbox.") % {"email": request.user.email},
                )
            services.mail_text_check(mail_type=mail_type, language=language, draft=draft)
            draft_preview = preview.render_draft(mail_type, language, draft, identity=identity)
        except ValidationError as exc:
            errors = exc.messages
    else:
        form = MailTextForm(initial=in_force or starter_draft(mail_type, language))
    newest = selectors.newest_version(mail_type.template, language, cluster_id)
    # A cluster without a text of its own: whether it inherits an edited agency-wide text.
    agency = None
    if cluster is not None and not _edited(newest):
        agency = selectors.newest_version(mail_type.template, language)
    return render(
        request,
        "outbox/mailtexts/edit.html",
        {
            "type": mail_type,
            "language": language,
            "languages": LANGUAGES,
            "form": form,
            "errors": errors,
            "placeholders": catalogue.placeholders_of(mail_type),
            "scope": scope,
            "edited": _edited(newest),
            "newest": newest,
            "inherited": agency if _edited(agency) else None,
            "preview": draft_preview or preview.render_in_force(mail_type, language, identity),
            "previewing_draft": draft_preview is not None,
            "history": selectors.history(mail_type.template, language, cluster_id),
        },
        status=400 if errors else 200,
    )


@require_POST
@role_required(Role.CLUSTER_MANAGER)
def text_reset(request, kind, language):
    mail_type = catalogue.get_or_404(kind)
    language = _language_or_404(language)
    scope, _elsewhere = _scope_or_redirect(request, mail_type)  # a POST: never redirected
    try:
        services.mail_text_reset(
            mail_type=mail_type, language=language, actor=request.user, cluster=scope.cluster
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if scope.cluster is not None:
            messages.success(request, _("The cluster uses the agency-wide text again."))
        else:
            messages.success(request, _("The mail uses the default text again."))
    return _back_to_editor(kind, language, scope)


def _back_to_editor(kind: str, language: str, scope: Scope) -> HttpResponseRedirect:
    return redirect(reverse("outbox:mailtext_edit", args=[kind, language]) + scope.query)
