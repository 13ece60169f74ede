from django.contrib import admin, messages
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import BackupRun, RetentionItem, RetentionReview
from .review import retention_review_confirm


@admin.register(BackupRun)
class BackupRunAdmin(admin.ModelAdmin):
    list_display = ["name", "finished_at", "size"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RetentionItemInline(admin.TabularInline):
    model = RetentionItem
    fields = ["label", "rule", "kept_until", "deleted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RetentionReview)
class RetentionReviewAdmin(admin.ModelAdmin):
    """The yearly list; only the agency administrator confirms the deletion."""

    list_display = ["year", "created_at", "confirmed_at", "confirmed_by"]
    readonly_fields = ["year", "created_at", "confirmed_at", "confirmed_by"]
    inlines = [RetentionItemInline]
    actions = ["confirm"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Delete the listed records (their keeping period has ended)"))
    def confirm(self, request, queryset):
        if not request.user.is_superuser:
            self.message_user(
                request, _("Only the agency administrator confirms deletions."), messages.ERROR
            )
            return
        for review in queryset:
            try:
                count = retention_review_confirm(review=review, actor=request.user)
            except ProtectedError as error:
                self.message_user(request, error.args[0], messages.ERROR)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(count)s record of %(year)s deleted.",
                    "%(count)s records of %(year)s deleted.",
                    count,
                )
                % {"count": count, "year": review.year},
            )
