from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core import audit
from core.actions import AdminAction
from core.admin import AuditedAdminMixin
from core.roles import is_agency_admin

from . import services
from .models import (
    Cluster,
    ClusterGrant,
    Company,
    Contact,
    Relationship,
    Sector,
    SmeFigures,
    SmeHolding,
    Topic,
    User,
)


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sender_email"]
    # The logo only through the identity page, which checks type and size.
    exclude = ["logo"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "wz2008", "wz2025"]
    search_fields = ["name", "wz2008", "wz2025"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class RelationshipInline(admin.TabularInline):
    model = Relationship
    extra = 0
    fields = ["cluster", "kind", "valid_from", "valid_to", "note"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = [
        "salutation",
        "first_name",
        "last_name",
        "function",
        "email",
        "phone",
        "language",
        "receives_invitations",
    ]


class SmeFiguresInline(admin.TabularInline):
    model = SmeFigures
    extra = 0
    fields = [
        "fiscal_year",
        "staff_units",
        "turnover",
        "balance_sheet",
        "public_share",
        "size_class",
        "sme_class",
    ]
    readonly_fields = ["size_class", "sme_class"]


@admin.register(Company)
class CompanyAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["legal_name", "postcode", "city", "sme_class", "register_number", "vat_id"]
    list_filter = [
        "relationships__cluster",
        "relationships__kind",
        "sme_class",
        "production",
        "sectors",
    ]
    search_fields = [
        "legal_name",
        "short_name",
        "register_number",
        "vat_id",
        "city",
        "contacts__last_name",
        "contacts__email",
    ]
    readonly_fields = ["sme_class"]
    filter_horizontal = ["sectors"]
    inlines = [RelationshipInline, ContactInline, SmeFiguresInline]
    actions = ["recompute_sme_class"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Figures edited inline: the stored classes must follow.
        services.company_sme_refresh(company=form.instance)

    @admin.action(description=_("Recompute the SME class"))
    def recompute_sme_class(self, request, queryset):
        for company in queryset:
            services.company_sme_refresh(company=company)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d company updated.", "%(count)d companies updated.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Relationship)
class RelationshipAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["company", "cluster", "kind", "valid_from", "valid_to"]
    list_filter = ["cluster", "kind"]
    search_fields = ["company__legal_name"]
    autocomplete_fields = ["company"]
    list_select_related = ["company", "cluster"]
    date_hierarchy = "valid_from"


@admin.register(Contact)
class ContactAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "last_name",
        "first_name",
        "company",
        "function",
        "email",
        "receives_invitations",
        "opted_out_at",
        "undeliverable_at",
    ]
    list_filter = [
        "function",
        "language",
        "receives_invitations",
        ("undeliverable_at", admin.EmptyFieldListFilter),
        "topics",
    ]
    search_fields = ["last_name", "first_name", "email", "company__legal_name"]
    autocomplete_fields = ["company"]
    filter_horizontal = ["topics"]
    # Set by the outbox's bounce handling; cleared by a new address.
    readonly_fields = ["opted_out_at", "undeliverable_at", "undeliverable_reason"]
    list_select_related = ["company"]
    actions = ["opt_out", "opt_in"]

    @admin.action(description=_("Record an opt-out (no more mail)"))
    def opt_out(self, request, queryset):
        for contact in queryset:
            services.contact_opt_out(contact=contact)

    @admin.action(description=_("Lift the opt-out"))
    def opt_in(self, request, queryset):
        for contact in queryset:
            services.contact_opt_in(contact=contact)


class SmeHoldingInline(admin.TabularInline):
    model = SmeHolding
    extra = 0
    autocomplete_fields = ["other_company"]


@admin.register(SmeFigures)
class SmeFiguresAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["company", "fiscal_year", "staff_units", "turnover", "size_class", "sme_class"]
    list_filter = ["fiscal_year", "sme_class"]
    search_fields = ["company__legal_name"]
    autocomplete_fields = ["company"]
    readonly_fields = ["size_class", "sme_class"]
    list_select_related = ["company"]
    inlines = [SmeHoldingInline]

    def save_model(self, request, obj, form, change):
        if not obj.size_class:
            # Filled in properly by the recompute in save_related.
            obj.size_class = obj.sme_class = ""
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.company_sme_refresh(company=form.instance.company)


class ClusterGrantInline(admin.TabularInline):
    """The clusters a staff login manages (members.clusters): the agency administrator's alone,
    like the roles, so no cluster manager widens their own reach."""

    model = ClusterGrant
    extra = 0
    fields = ["cluster", "granted_at"]
    readonly_fields = ["granted_at"]
    verbose_name_plural = _("Managed clusters (cluster management sees and acts only there)")

    def has_view_permission(self, request, obj=None):
        return is_agency_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return is_agency_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_agency_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_agency_admin(request.user)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    """Logins: only the agency administrator adds, changes or deletes them here (staff logins,
    roles, passwords). Staff roles at most look at company logins; the cluster management
    manages those on the company's logins page."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "company", "is_active"]
    list_filter = ["groups", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["company", "contact"]
    list_select_related = ["company"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "company", "contact"]}),
        (
            _("Roles and permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [ClusterGrantInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_agency_admin(request.user):
            return queryset
        return queryset.filter(company__isnull=False)

    def has_add_permission(self, request):
        return is_agency_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_agency_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_agency_admin(request.user)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, id)
                audit.record(
                    actor=request.user,
                    action=AdminAction.CHANGED,
                    obj=user,
                    after={"password": _("set by the administrator")},
                )
        return response


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    """Roles and their permissions are the agency administrator's alone."""

    def has_module_permission(self, request):
        return is_agency_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_agency_admin(request.user)

    def has_add_permission(self, request):
        return is_agency_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_agency_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_agency_admin(request.user)
