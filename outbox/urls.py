from django.urls import path

from . import views
from .mailtexts import views as mailtexts

app_name = "outbox"

urlpatterns = [
    path("", views.mail_list, name="mail_list"),
    path("<int:pk>/", views.mail_detail, name="mail_detail"),
    path("<int:pk>/attachments/<int:index>/", views.mail_attachment, name="mail_attachment"),
    path("<int:pk>/retry/", views.mail_retry, name="mail_retry"),
    path("templates/", views.template_list, name="template_list"),
    path("texts/", mailtexts.text_list, name="mailtext_list"),
    path("texts/<str:kind>/<str:language>/", mailtexts.text_edit, name="mailtext_edit"),
    path("texts/<str:kind>/<str:language>/reset/", mailtexts.text_reset, name="mailtext_reset"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("opt-out/<str:token>/", views.opt_out, name="opt_out"),
]
