from django.urls import path

from . import views

app_name = "logins"

urlpatterns = [
    path("members/<int:pk>/logins/", views.company_logins, name="company"),
    path("logins/contact/<int:pk>/create/", views.login_create, name="create"),
    path("logins/<int:pk>/deactivate/", views.login_deactivate, name="deactivate"),
    path("logins/<int:pk>/reactivate/", views.login_reactivate, name="reactivate"),
    path("logins/<int:pk>/admin/grant/", views.login_admin_grant, name="admin_grant"),
    path("logins/<int:pk>/admin/revoke/", views.login_admin_revoke, name="admin_revoke"),
    path("logins/<int:pk>/send-link/", views.login_send_link, name="send_link"),
    path(
        "logins/set-password/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="set_password",
    ),
]
