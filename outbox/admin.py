from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Batch, Bounce, Intent, Mail, Suppression


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "key", "recipient_email", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind", "marketing", "language"]
    search_fields = ["recipient_email", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["contact"]
    raw_id_fields = ["contact", "batch"]
    actions = ["retry"]

    # Mails are written by the outbox services only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send failed mails again"), permissions=["view"])
    def retry(self, request, queryset):
        done = 0
        for mail in queryset.filter(state=Mail.State.FAILED):
            try:
                services.mail_retry(mail=mail)
                done += 1
            except ValidationError:
                continue
        text = ngettext("%(n)d mail queued again.", "%(n)d mails queued again.", done)
        self.message_user(request, text % {"n": done}, messages.SUCCESS)


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "planned", "created_by"]
    list_filter = ["kind"]


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]


@admin.register(Bounce)
class BounceAdmin(admin.ModelAdmin):
    """The reports read from the bounce mailbox or posted by the ESP (outbox.bounces)."""

    list_display = ["received_at", "email", "kind", "reason", "source", "mail"]
    list_filter = ["kind", "source"]
    search_fields = ["email", "reason"]
    raw_id_fields = ["mail"]

    # Written by outbox.bounces only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Intent)
class IntentAdmin(admin.ModelAdmin):
    """Tasks promised by a commit and not done yet; beat sends them again (outbox.intents)."""

    list_display = ["created_at", "name", "args", "attempts", "dispatched_at"]
    list_filter = ["name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
