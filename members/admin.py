from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Cluster, Company, Contact, Relationship, Sector, User


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "wz2008", "wz2025"]
    search_fields = ["name", "wz2008", "wz2025"]


class RelationshipInline(admin.TabularInline):
    model = Relationship
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["salutation", "first_name", "last_name", "function", "email", "phone", "language"]


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["legal_name", "postcode", "city"]
    list_filter = ["relationships__cluster", "relationships__kind", "sectors"]
    search_fields = ["legal_name", "short_name", "city", "contacts__last_name", "contacts__email"]
    filter_horizontal = ["sectors"]
    inlines = [RelationshipInline, ContactInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "company", "function", "email"]
    list_filter = ["function", "language"]
    search_fields = ["last_name", "first_name", "email", "company__legal_name"]
    autocomplete_fields = ["company"]
    list_select_related = ["company"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "company", "is_active"]
    list_filter = ["groups", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["company"]
    list_select_related = ["company"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "company"]}),
        (
            _("Roles and permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
