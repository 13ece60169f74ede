"""The cluster manager's pages for mail texts: the list of kinds, the editor (preview, test
send, save), the reset to the default and the history."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.roles import Role, role_required

from . import catalogue, preview, selectors, services
from .forms import MailTextForm
from .starter import starter_draft

LANGUAGES = dict(settings.LANGUAGES)


@require_GET
@role_required(Role.CLUSTER_MANAGER)
def text_list(request):
    newest = selectors.newest_versions()
    rows = []
    for mail_type in catalogue.editable():
        versions = [
            {"code": code, "name": name, "version": newest.get((mail_type.template, code))}
            for code, name in LANGUAGES.items()
        ]
        rows.append({"type": mail_type, "languages": versions})
    return render(request, "outbox/mailtexts/list.html", {"rows": rows})


def _language_or_404(language: str) -> str:
    if language not in LANGUAGES:
        raise Http404
    return language


@require_http_methods(["GET", "POST"])
@role_required(Role.CLUSTER_MANAGER)
def text_edit(request, kind, language):
    mail_type = catalogue.get_or_404(kind)
    language = _language_or_404(language)
    in_force = selectors.text_in_force(mail_type.template, language)
    draft_preview, errors = None, []
    if request.method == "POST":
        form = MailTextForm(request.POST)
        form.is_valid()
        draft = form.draft()
        action = request.POST.get("action", "preview")
        try:
            if action == "save":
                services.mail_text_save(
                    mail_type=mail_type, language=language, draft=draft, actor=request.user
                )
                messages.success(request, _("The mail text is saved and applies to new mails."))
                return redirect("outbox:mailtext_edit", kind=kind, language=language)
            if action == "test":
                services.mail_text_test_send(
                    mail_type=mail_type, language=language, draft=draft, actor=request.user
                )
                messages.success(
                    request,
                    _("A test mail to %(email)s is in the outbox.") % {"email": request.user.email},
                )
            services.mail_text_check(mail_type=mail_type, language=language, draft=draft)
            draft_preview = preview.render_draft(mail_type, language, draft)
        except ValidationError as exc:
            errors = exc.messages
    else:
        form = MailTextForm(initial=in_force or starter_draft(mail_type, language))
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
            "edited": in_force is not None,
            "newest": selectors.newest_version(mail_type.template, language),
            "preview": draft_preview or preview.render_in_force(mail_type, language),
            "previewing_draft": draft_preview is not None,
            "history": selectors.history(mail_type.template, language),
        },
        status=400 if errors else 200,
    )


@require_POST
@role_required(Role.CLUSTER_MANAGER)
def text_reset(request, kind, language):
    mail_type = catalogue.get_or_404(kind)
    language = _language_or_404(language)
    try:
        services.mail_text_reset(mail_type=mail_type, language=language, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The mail uses the default text again."))
    return redirect("outbox:mailtext_edit", kind=kind, language=language)
