from django.contrib import admin

from .models import Circular, CircularAttachment


class AttachmentInline(admin.TabularInline):
    model = CircularAttachment
    fields = ["filename", "size", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Circular)
class CircularAdmin(admin.ModelAdmin):
    """Read-only: circulars are written and sent on their pages (services, audit trail)."""

    list_display = ["subject", "cluster", "state", "scheduled_at", "sent_at", "recipients_planned"]
    list_filter = ["state", "cluster"]
    search_fields = ["subject"]
    inlines = [AttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a circular would take its mails (a generic relation) out of the outbox.
        return False
