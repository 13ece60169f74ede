from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RefusedDeletionAdminMixin

from . import services
from .models import AgendaItem, Feedback, Forum, Registration


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Forum)
class ForumAdmin(RefusedDeletionAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "starts_at", "state", "capacity", "seats_per_company", "cluster"]
    list_filter = ["state", "cluster", "audience", "topics"]
    search_fields = ["title", "description", "venue_city", "host_company__legal_name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["host_company"]
    filter_horizontal = ["topics"]
    readonly_fields = ["state", "sequence", "published_at", "cancelled_at", "created_by"]
    inlines = [AgendaItemInline]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # Dates and seats of an existing forum change through the pages, which inform
        # registrants, move the calendar entry and promote from the waiting list.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [
                "starts_at",
                "ends_at",
                "capacity",
                "seats_per_company",
                "reminder_days",
                "registration_opens_at",
                "registration_closes_at",
            ]
        return fields

    @admin.action(description=_("Publish selected drafts"))
    def publish(self, request, queryset):
        for forum in queryset:
            try:
                services.forum_publish(forum=forum, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{forum}: {' '.join(error.messages)}", messages.ERROR)


@admin.register(Registration)
class RegistrationAdmin(RefusedDeletionAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "contact",
        "company",
        "forum",
        "state",
        "waitlist_position",
        "source",
        "created_at",
    ]
    list_filter = ["state", "source", "forum"]
    search_fields = ["contact__last_name", "contact__first_name", "company__legal_name"]
    list_select_related = ["contact", "company", "forum"]
    # States change only through the services (seats, waiting list, mails).
    readonly_fields = [
        "forum",
        "contact",
        "company",
        "state",
        "source",
        "waitlist_position",
        "registered_by",
        "created_at",
        "confirmed_at",
        "waitlisted_at",
        "cancelled_at",
        "attended_at",
    ]
    actions = ["cancel"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Cancel selected registrations"))
    def cancel(self, request, queryset):
        for registration in queryset:
            try:
                services.registration_cancel(registration=registration, actor=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{registration}: {' '.join(error.messages)}", messages.ERROR
                )


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["registration", "rating", "submitted_at"]
    list_filter = ["rating", "registration__forum"]
    list_select_related = ["registration__contact", "registration__forum"]
    readonly_fields = ["registration", "rating", "comment", "submitted_at"]

    def has_add_permission(self, request):
        return False
