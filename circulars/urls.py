from django.urls import path

from . import views

app_name = "circulars"

urlpatterns = [
    path("", views.circular_list, name="list"),
    path("neu/", views.circular_create, name="create"),
    path("<int:pk>/", views.circular_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.circular_edit, name="edit"),
    path("<int:pk>/test/", views.circular_test, name="test"),
    path("<int:pk>/senden/", views.circular_send, name="send"),
    path("<int:pk>/abbrechen/", views.circular_cancel, name="cancel"),
    path("<int:pk>/anhaenge/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]
