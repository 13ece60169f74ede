"""The administration writes into the audit trail too.

``AuditedAdminMixin`` goes first in a ModelAdmin's bases; it records every add, change and
delete made through that admin, inline rows included, with the fields that changed (before
and after), inside the admin's own transaction.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect

from . import audit
from .actions import AdminAction
from .models import AuditEvent


def _form_changes(form) -> tuple[dict, dict]:
    """The model fields a form changed, as (before, after); passwords never appear."""
    model_fields = {f.name for f in form.instance._meta.get_fields()}
    names = [n for n in form.changed_data if n in model_fields and n not in audit.SECRET_FIELDS]
    before = {n: form.initial.get(n) for n in names}
    after = {n: form.cleaned_data.get(n) for n in names}
    # Initial values of relations are ids; the cleaned ones objects: compare like with like.
    for name in names:
        field = form.fields[name]
        if hasattr(field, "queryset") and before[name] not in (None, "", []):
            ids = before[name] if isinstance(before[name], list | tuple) else [before[name]]
            ids = [getattr(i, "pk", i) for i in ids]
            found = list(field.queryset.model._default_manager.filter(pk__in=ids))
            if isinstance(before[name], list | tuple):
                before[name] = found
            elif found:
                before[name] = found[0]
    return audit.changes(
        {k: audit.json_value(v) for k, v in before.items()},
        {k: audit.json_value(v) for k, v in after.items()},
    )


class AuditedAdminMixin:
    def save_related(self, request, form, formsets, change):
        # After the many-to-many fields are saved, so they are recorded with the rest.
        super().save_related(request, form, formsets, change)
        before, after = _form_changes(form)
        if change and not after:
            return
        audit.record(
            actor=request.user,
            action=AdminAction.CHANGED if change else AdminAction.CREATED,
            obj=form.instance,
            before=before if change else {},
            after=after,
        )

    def save_formset(self, request, form, formset, change):
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                _record_deletion(request, deleted.instance)
        changed = [
            (f, f.instance.pk is None)
            for f in formset.forms
            if f.has_changed() and f not in formset.deleted_forms
        ]
        recorded = [(f, new, _form_changes(f)) for f, new in changed]
        super().save_formset(request, form, formset, change)
        for inline_form, new, (before, after) in recorded:
            if inline_form.instance.pk is None:
                continue  # an empty extra row
            audit.record(
                actor=request.user,
                action=AdminAction.CREATED if new else AdminAction.CHANGED,
                obj=inline_form.instance,
                before={} if new else before,
                after=after,
            )

    def delete_model(self, request, obj):
        _record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The changelist's bulk delete runs outside the admin's transaction.
        with transaction.atomic():
            for obj in queryset:
                _record_deletion(request, obj)
            super().delete_queryset(request, queryset)


class RefusedDeletionAdminMixin:
    """A deletion the models refuse (PROTECT, or evidence inside its legal keeping period)
    shows the refusal as a message instead of an error page; nothing was deleted (the admin's
    transaction rolled back)."""

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError as error:
            self.message_user(request, error.args[0], messages.ERROR)
            return HttpResponseRedirect(request.path.rsplit("delete/", 1)[0])

    def response_action(self, request, queryset):
        try:
            with transaction.atomic():
                return super().response_action(request, queryset)
        except ProtectedError as error:
            self.message_user(request, error.args[0], messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def _record_deletion(request, obj) -> None:
    audit.record(
        actor=request.user,
        action=AdminAction.DELETED,
        obj=obj,
        before=audit.concrete_values(obj),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the trail is written by the services and the admin, never edited."""

    list_display = ["at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type", "at"]
    search_fields = ["object_repr", "reason", "actor__email"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
