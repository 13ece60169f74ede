from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdminMixin, RefusedDeletionAdminMixin

from .models import (
    AidRecord,
    AidScheme,
    ControlLink,
    Declaration,
    DeclarationConfirmation,
    ErdfProject,
    PriorAid,
    Regulation,
)


class ReadOnlyAdminMixin:
    """Evidence: shown, never added, changed or deleted here (not even by a superuser)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Regulation)
class RegulationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "ceiling", "window", "valid_from", "valid_until"]


@admin.register(AidScheme)
class AidSchemeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["programme", "grantor", "instrument", "declaration_valid_days", "is_active"]


@admin.register(ControlLink)
class ControlLinkAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["controlling", "controlled", "valid_from", "ended_on", "note", "created_at"]
    autocomplete_fields = ["controlling", "controlled"]
    readonly_fields = ["created_by", "ended_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # ended with a date, never deleted (it changed single undertakings)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class PriorAidInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PriorAid
    extra = 0


class DeclarationConfirmationInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = DeclarationConfirmation
    extra = 0


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Submitted declarations are evidence: view only, with their audit trail. Project managers
    confirm one that lists less prior aid on the company's funding page."""

    list_display = ["company", "declared_on", "signatory", "on_behalf", "needs_confirmation"]
    list_filter = ["on_behalf", "needs_confirmation"]
    search_fields = ["company__legal_name"]
    list_select_related = ["company"]
    readonly_fields = ["trail"]
    inlines = [PriorAidInline, DeclarationConfirmationInline]

    @admin.display(description=_("History"))
    def trail(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        content_type = ContentType.objects.get_for_model(Declaration)
        url = f"{reverse('core:audit')}?content_type={content_type.pk}&object_id={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Audit trail of this declaration"))


@admin.register(AidRecord)
class AidRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: records come from held workshops and must not change after the certificate."""

    list_display = ["number", "company_name", "grant_date", "value", "regulation"]
    list_filter = ["regulation", "grant_date"]
    search_fields = ["number", "company_name"]


@admin.register(ErdfProject)
class ErdfProjectAdmin(RefusedDeletionAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "period", "programme", "forums_count", "last_payment_on", "keep_until"]
    filter_horizontal = ["forums"]
    readonly_fields = ["keep_until"]

    @admin.display(description=_("Evidence kept until"))
    def keep_until(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return obj.keep_until or _("kept until the last payment is entered")
