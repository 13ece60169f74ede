from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("consent/<str:token>/", views.consent_confirm, name="consent_confirm"),
    path("withdraw/<str:token>/", views.consent_withdraw, name="consent_withdraw"),
    path("contacts/<int:pk>/export.json", views.export_json, name="export_json"),
    path("contacts/<int:pk>/export/", views.export_html, name="export_html"),
    path("contacts/<int:pk>/consent/", views.consent_ask, name="consent_ask"),
    path("contacts/<int:pk>/erase/", views.erase, name="erase"),
    path("audit/", views.audit, name="audit"),
]
