from django.urls import path

from . import erdf_views, views

app_name = "funding"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("company/<int:pk>/", views.company, name="company"),
    path("company/<int:pk>/declaration/", views.declaration_create, name="declaration_create"),
    path("company/<int:pk>/links/", views.link_add, name="link_add"),
    path(
        "declarations/<int:pk>/confirm/",
        views.declaration_confirm,
        name="declaration_confirm",
    ),
    path("links/<int:pk>/end/", views.link_end, name="link_end"),
    path("records/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("register/", views.register, name="register"),
    path("register.csv", views.register_csv, name="register_csv"),
    path("erdf/", views.erdf, name="erdf"),
    path("erdf/evidence/<slug:figure>/", views.erdf_evidence, name="erdf_evidence"),
    path("erdf.xlsx", views.erdf_xlsx, name="erdf_xlsx"),
    path("erdf/projects/<int:pk>/", erdf_views.project_report, name="erdf_project"),
    path("erdf/projects/<int:pk>.xlsx", erdf_views.project_xlsx, name="erdf_project_xlsx"),
    path("erdf/projects/<int:pk>.pdf", erdf_views.project_pdf, name="erdf_project_pdf"),
    path("my/", views.my_funding, name="my"),
    path("my/declaration/", views.my_declaration, name="my_declaration"),
]
