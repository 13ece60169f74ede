from django.urls import path

from . import views

app_name = "cockpit"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sefex/", views.sefex, name="sefex"),
    path("sleeping/", views.sleeping, name="sleeping"),
    path("report/", views.annual_report, name="annual_report"),
]
