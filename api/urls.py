from csp.constants import SELF
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("companies", views.CompanyViewSet, basename="company")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("forums", views.ForumViewSet, basename="forum")
router.register("registrations", views.RegistrationViewSet, basename="registration")
router.register("workshops", views.WorkshopViewSet, basename="workshop")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start script from its own URL: no inline script
    # under the Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Redoc, the one page the Content-Security-Policy is relaxed for: its search runs in a
    # worker made from a blob: URL, and its sidebar shows Redocly's logo from their CDN.
    path(
        "redoc/",
        csp_update({"worker-src": [SELF, "blob:"], "img-src": ["https://cdn.redoc.ly"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    path(
        "public/clusters/<slug:slug>/forums/",
        views.PublicForumList.as_view(),
        name="public-forums",
    ),
    path(
        "public/clusters/<slug:slug>/forums.ics",
        views.PublicForumFeed.as_view(),
        name="public-feed",
    ),
    path(
        "public/calendar/<slug:token>.ics", views.ContactCalendar.as_view(), name="contact-calendar"
    ),
    path("", include(router.urls)),
    re_path(r"^.*$", views.not_found),
]
