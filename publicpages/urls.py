from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("language/<str:code>/", views.language, name="language"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/", views.cluster_forums, name="cluster"),
    path("<slug:slug>/embed/", views.cluster_embed, name="embed"),
    path("<slug:slug>/imprint/", views.imprint, name="imprint"),
    path("<slug:slug>/<int:pk>/", views.forum, name="forum"),
    path("<slug:slug>/<int:pk>/register/", views.register, name="register"),
    path("<slug:slug>/<int:pk>/register/sent/", views.sent, name="sent"),
]
