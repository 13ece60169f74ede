from django.contrib import admin

from .models import AidRecord, AidScheme, ControlLink, Declaration, PriorAid, Regulation


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ["code", "ceiling", "window", "valid_from", "valid_until"]


@admin.register(AidScheme)
class AidSchemeAdmin(admin.ModelAdmin):
    list_display = ["programme", "grantor", "instrument", "declaration_valid_days", "is_active"]


@admin.register(ControlLink)
class ControlLinkAdmin(admin.ModelAdmin):
    list_display = ["controlling", "controlled", "note", "created_at"]
    autocomplete_fields = ["controlling", "controlled"]
    readonly_fields = ["created_by"]


class PriorAidInline(admin.TabularInline):
    model = PriorAid
    extra = 0


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["company", "declared_on", "signatory", "on_behalf"]
    list_filter = ["on_behalf"]
    search_fields = ["company__legal_name"]
    autocomplete_fields = ["company"]
    readonly_fields = ["recorded_by"]
    inlines = [PriorAidInline]


@admin.register(AidRecord)
class AidRecordAdmin(admin.ModelAdmin):
    """Read-only: records come from held workshops and must not change after the certificate."""

    list_display = ["number", "company_name", "grant_date", "value", "regulation"]
    list_filter = ["regulation", "grant_date"]
    search_fields = ["number", "company_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
