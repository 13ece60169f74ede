from django.urls import path

from . import (
    views,
    views_attendees,
    views_badges,
    views_checkin,
    views_invitations,
    views_register,
    views_staff,
)

app_name = "forums"

urlpatterns = [
    # members
    path("", views.forum_list, name="list"),
    path("<int:pk>/", views_register.forum_detail, name="detail"),
    path("<int:pk>/register/", views_register.forum_register, name="register"),
    path("<int:pk>/register/me/", views_register.register_self, name="register_self"),
    path("<int:pk>/attendee-list/", views_attendees.listing_update, name="listing"),
    path("<int:pk>/metallforum.ics", views.forum_calendar, name="ics"),
    path("calendar.ics", views.forum_feed, name="feed"),
    path("registrations/", views.my_registrations, name="my_registrations"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    # personal links, no login
    path("link/<str:token>/", views.token_registration, name="token"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    # cluster management
    path("manage/", views_staff.staff_forum_list, name="staff_list"),
    path("manage/new/", views_staff.forum_create, name="create"),
    path("manage/pending.badge", views_badges.pending_badge, name="staff_pending_badge"),
    path("manage/<int:pk>/edit/", views_staff.forum_edit, name="edit"),
    path("manage/<int:pk>/publish/", views_staff.forum_publish, name="publish"),
    path("manage/<int:pk>/cancel/", views_staff.forum_cancel, name="cancel"),
    path("manage/<int:pk>/reschedule/", views_staff.forum_reschedule, name="reschedule"),
    path("manage/<int:pk>/close/", views_staff.forum_close, name="close"),
    path("manage/<int:pk>/registrations/", views_staff.registrations, name="staff_registrations"),
    path("manage/<int:pk>/registrations/add/", views_staff.registration_add, name="staff_add"),
    path(
        "manage/<int:pk>/registrations/add/form/",
        views_staff.registration_add_form,
        name="staff_add_form",
    ),
    path(
        "manage/registrations/<int:pk>/<slug:action>/",
        views_staff.registration_action,
        name="staff_registration_action",
    ),
    path("manage/<int:pk>/checkin/", views_checkin.checkin, name="staff_checkin"),
    path("manage/checkin/<int:pk>/", views_checkin.checkin_toggle, name="staff_checkin_toggle"),
    path("manage/checkin/<int:pk>/undo/", views_checkin.checkin_undo, name="staff_checkin_undo"),
    path("manage/checkin/<int:pk>/row/", views_checkin.checkin_row, name="staff_checkin_row"),
    path(
        "manage/<int:pk>/participants.pdf",
        views_staff.participants_list_pdf,
        name="staff_participants_pdf",
    ),
    path(
        "manage/<int:pk>/registrations.<str:fmt>",
        views_staff.registrations_export,
        name="staff_export",
    ),
    path("manage/<int:pk>/feedback/", views_staff.feedback_results, name="staff_feedback"),
    path(
        "manage/<int:pk>/invitations/",
        views_invitations.invitations_page,
        name="staff_invitations",
    ),
    path(
        "manage/<int:pk>/invitations/confirm/",
        views_invitations.invitations_confirm,
        name="staff_invitations_confirm",
    ),
    path(
        "manage/<int:pk>/invitations/recipients.csv",
        views_invitations.invitations_recipients_csv,
        name="staff_invitations_csv",
    ),
    path(
        "manage/<int:pk>/invitations/send/",
        views_invitations.invitations_send,
        name="staff_invitations_send",
    ),
]
