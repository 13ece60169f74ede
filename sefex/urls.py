from django.urls import path

from . import views, views_staff

app_name = "sefex"

urlpatterns = [
    # company users
    path("", views.portal, name="portal"),
    path("request/", views.request_workshop, name="request"),
    path("actions/<int:pk>/done/", views.action_item_done, name="action_done"),
    # shared (company users see their own, staff all)
    path("workshops/<int:pk>/", views.workshop_detail, name="detail"),
    path("workshops/<int:pk>/choose/", views.choose_slot, name="choose"),
    path("workshops/<int:pk>/withdraw/", views.withdraw_request, name="withdraw"),
    path("workshops/<int:pk>/workshop.ics", views.workshop_calendar_file, name="ics"),
    path("files/<int:pk>/", views.attachment_download, name="file"),
    # personal links, no login
    path("link/<str:token>/", views.token_choose, name="token"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    # project management
    path("manage/", views_staff.queue, name="queue"),
    path("manage/workshops/", views_staff.workshop_list, name="list"),
    path("manage/calendar/", views_staff.calendar, name="calendar"),
    path("manage/new/", views_staff.workshop_create, name="create"),
    path("manage/availability/", views_staff.availability, name="availability"),
    path(
        "manage/availability/<slug:kind>/<int:pk>/delete/",
        views_staff.availability_delete,
        name="availability_delete",
    ),
    path("manage/<int:pk>/propose/", views_staff.propose, name="propose"),
    path("manage/<int:pk>/schedule/", views_staff.schedule, name="schedule"),
    path("manage/<int:pk>/reschedule/", views_staff.reschedule, name="reschedule"),
    path("manage/<int:pk>/cancel/", views_staff.cancel, name="cancel"),
    path("manage/<int:pk>/details/", views_staff.details, name="details"),
    path("manage/<int:pk>/minutes/", views_staff.minutes, name="minutes"),
    path("manage/<int:pk>/release/", views_staff.release, name="release"),
    path("manage/<int:pk>/assessment/", views_staff.assessment, name="assessment"),
    path("manage/<int:pk>/actions/new/", views_staff.action_item_edit, name="action_new"),
    path(
        "manage/<int:pk>/actions/<int:item_pk>/",
        views_staff.action_item_edit,
        name="action_edit",
    ),
    path("manage/<int:pk>/files/new/", views_staff.attachment_add, name="file_new"),
    path("manage/files/<int:pk>/delete/", views_staff.attachment_delete, name="file_delete"),
    path("manage/<int:pk>/<slug:action>/", views_staff.transition, name="transition"),
]
