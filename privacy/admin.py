from django.contrib import admin

from .models import Consent, PrivacyNotice


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["language", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = [
        "contact",
        "state",
        "requested_at",
        "confirmed_at",
        "confirmed_ip",
        "withdrawn_at",
    ]
    list_filter = ["state"]
    readonly_fields = [f.name for f in Consent._meta.fields]

    def has_add_permission(self, request):
        return False
