from django.urls import path

from . import views

app_name = "atlas"

urlpatterns = [
    path("", views.search, name="search"),
    path("our-profile/", views.own_profile, name="own_profile"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/contact/", views.enquire, name="enquire"),
]
