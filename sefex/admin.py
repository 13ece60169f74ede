from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RefusedDeletionAdminMixin

from . import services
from .models import (
    ActionItem,
    AvailabilityException,
    AvailabilityRule,
    Module,
    Programme,
    Workshop,
)


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    """The programme and its modules are edited here (names, period, planned number, value)."""

    list_display = [
        "name",
        "funding_start",
        "funding_end",
        "planned_workshops",
        "hourly_value",
        "is_active",
    ]
    inlines = [ModuleInline]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ["title", "owner", "due_on", "state"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Workshop)
class WorkshopAdmin(RefusedDeletionAdminMixin, SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Times and states change only through the services (locks, mails, calendars), so they are
    # read-only here; the pages under /sefex/manage/ are the place to schedule.
    list_display = ["company", "module", "state", "starts_at", "project_manager", "duration_hours"]
    list_filter = ["state", "programme", "module", "project_manager"]
    search_fields = ["company__legal_name", "company__short_name", "request_note"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["company"]
    readonly_fields = [
        "state",
        "starts_at",
        "ends_at",
        "sequence",
        "held_on",
        "documented_at",
        "closed_at",
        "cancelled_at",
        "project_manager",
        "requested_by",
    ]
    filter_horizontal = ["participants", "consultants"]
    inlines = [ActionItemInline]
    actions = ["cancel"]

    @admin.action(description=_("Cancel selected workshops"))
    def cancel(self, request, queryset):
        for workshop in queryset:
            try:
                services.workshop_cancel(workshop=workshop, actor=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{workshop}: {' '.join(error.messages)}", messages.ERROR
                )


@admin.register(AvailabilityRule)
class AvailabilityRuleAdmin(admin.ModelAdmin):
    list_display = [
        "project_manager",
        "weekday",
        "start_time",
        "end_time",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["project_manager", "weekday"]


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(admin.ModelAdmin):
    list_display = ["project_manager", "date", "start_time", "end_time", "note"]
    list_filter = ["project_manager"]
