"""The app's own URLs plus the bare baseline views, under /bench/."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/hello", views.hello, name="bench-hello"),
    path("", include("metalldialog.urls")),
]
