"""The app's own URLs plus the bare baseline views, under /bench/."""

from django.urls import include, path

from . import views, views_forums

urlpatterns = [
    path("bench/hello", views.hello, name="bench-hello"),
    path(
        "bench/register/<int:forum_id>/<int:contact_id>",
        views_forums.bare_register,
        name="bench-register",
    ),
    path("bench/directory-rows", views.directory_rows, name="bench-directory-rows"),
    path("bench/floor", views.floor, name="bench-floor"),
    path("", include("metalldialog.urls")),
]
