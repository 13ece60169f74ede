from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.mail_list, name="mail_list"),
    path("<int:pk>/", views.mail_detail, name="mail_detail"),
    path("<int:pk>/attachments/<int:index>/", views.mail_attachment, name="mail_attachment"),
    path("<int:pk>/retry/", views.mail_retry, name="mail_retry"),
    path("templates/", views.template_list, name="template_list"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("opt-out/<str:token>/", views.opt_out, name="opt_out"),
]
