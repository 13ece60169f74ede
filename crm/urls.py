from django.urls import path

from . import views

app_name = "crm"

urlpatterns = [
    path("companies/<int:pk>/activity/", views.activity_create, name="activity_create"),
    path("companies/<int:pk>/take-up/", views.contact_take_up, name="take_up"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
]
