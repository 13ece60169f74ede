from django.urls import path, register_converter

from . import sme_views, views


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "fmt")

app_name = "members"

urlpatterns = [
    # staff
    path("members/", views.directory, name="directory"),
    path("members/export.<fmt:fmt>", views.directory_export, name="directory_export"),
    path("members/contacts/", views.contacts, name="contacts"),
    path("members/contacts/export.<fmt:fmt>", views.contacts_export, name="contacts_export"),
    path("members/new/", views.company_create, name="company_create"),
    path("members/import/", views.import_companies, name="import"),
    path("members/import/template.<fmt:fmt>", views.import_template, name="import_template"),
    path("members/<int:pk>/", views.company_detail, name="company"),
    path("members/<int:pk>/edit/", views.company_edit, name="company_edit"),
    path("members/<int:pk>/history/", views.company_history, name="company_history"),
    path(
        "members/<int:pk>/contacts.<fmt:fmt>",
        views.company_contacts_export,
        name="company_contacts_export",
    ),
    path("members/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path(
        "members/<int:pk>/relationships/new/",
        views.relationship_create,
        name="relationship_create",
    ),
    path("members/<int:pk>/figures/new/", views.sme_figures_edit, name="sme_figures_create"),
    path("members/<int:pk>/figures/<int:year>/", views.sme_figures_edit, name="sme_figures_edit"),
    path(
        "members/<int:pk>/kmu-erklaerung/<int:year>.pdf",
        sme_views.sme_declaration,
        name="sme_declaration_pdf",
    ),
    path("members/figures/<int:pk>/delete/", views.sme_figures_delete, name="sme_figures_delete"),
    path(
        "members/figures/<int:pk>/holdings/new/",
        views.sme_holding_create,
        name="sme_holding_create",
    ),
    path("members/holdings/<int:pk>/delete/", views.sme_holding_delete, name="sme_holding_delete"),
    path("members/contact/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("members/contact/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("members/contact/<int:pk>/opt-in/", views.contact_opt_in, name="contact_opt_in"),
    path(
        "members/contact/<int:pk>/deliverable/",
        views.contact_undeliverable_lift,
        name="contact_undeliverable_lift",
    ),
    path("members/contact/<int:pk>/history/", views.contact_history, name="contact_history"),
    path(
        "members/autocomplete/companies/",
        views.company_autocomplete,
        name="company_autocomplete",
    ),
    path(
        "members/autocomplete/contacts/",
        views.contact_autocomplete,
        name="contact_autocomplete",
    ),
    # who speaks: sender, imprint and look of each cluster and of the agency
    path("members/identity/", views.identity_list, name="identity_list"),
    path("members/identity/agency/", views.agency_identity_edit, name="agency_identity_edit"),
    path(
        "members/identity/<slug:slug>/",
        views.cluster_identity_edit,
        name="cluster_identity_edit",
    ),
    path("identity/<slug:key>/logo/", views.identity_logo, name="identity_logo"),
    # company portal
    path("portal/", views.portal, name="portal"),
    path("portal/profile/", views.portal_profile, name="portal_profile"),
    path("portal/contacts/new/", views.portal_contact_create, name="portal_contact_create"),
    path("portal/contacts/<int:pk>/edit/", views.portal_contact_edit, name="portal_contact_edit"),
    path(
        "portal/contacts/<int:pk>/delete/",
        views.portal_contact_delete,
        name="portal_contact_delete",
    ),
    path("portal/invitations/", views.portal_invitations, name="portal_invitations"),
    path("portal/contacts.<fmt:fmt>", views.portal_contacts_export, name="portal_contacts_export"),
]
