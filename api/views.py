"""The REST API: thin views over the apps' selectors, permissions and services."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import (
    action,
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import Role, has_role
from forums import services as forum_services
from forums.ics import forums_feed_ics
from forums.models import Registration
from forums.permissions import forum_get_for_user_or_404, registration_get_for_user_or_404
from members.filters import CompanyFilter, ContactFilter
from members.models import Cluster, Sector, Topic
from members.permissions import contact_get_for_user_or_404, contact_scope

from . import selectors, serializers, services
from .exceptions import validation_error_response
from .filters import ForumFilter, RegistrationFilter, WorkshopFilter
from .ics import contact_calendar_ics
from .keys import hash_secret
from .models import CalendarFeed
from .permissions import HasRole, IsRegistrar

ICS = "text/calendar; charset=utf-8"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # Django's <slug:...> converter
SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=SLUG_PATTERN)
TOKEN = OpenApiParameter("token", str, OpenApiParameter.PATH, pattern=SLUG_PATTERN)


# Ids in paths are digits only: anything else does not match a URL (404) instead of reaching
# a lookup that would fail on it.
ID_PATTERN = r"[0-9]+"


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRole]
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = ID_PATTERN


class ClusterViewSet(ReadOnly):
    queryset = Cluster.objects.order_by("name", "pk")
    serializer_class = serializers.ClusterSerializer


class SectorViewSet(ReadOnly):
    queryset = Sector.objects.order_by("number")
    serializer_class = serializers.SectorSerializer


class TopicViewSet(ReadOnly):
    queryset = Topic.objects.order_by("name", "pk")
    serializer_class = serializers.TopicSerializer


class CompanyViewSet(ReadOnly):
    """Companies: staff see all, a company user (or company token) only their own."""

    serializer_class = serializers.CompanySerializer
    filterset_class = CompanyFilter

    def get_queryset(self):
        return selectors.companies_for(self.request.user)


class ContactViewSet(ReadOnly):
    serializer_class = serializers.ContactSerializer
    filterset_class = ContactFilter

    def get_queryset(self):
        return selectors.contacts_for(self.request.user)

    @extend_schema(request=None, responses={201: serializers.CalendarFeedSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="calendar-feed",
        permission_classes=[IsRegistrar],
    )
    def calendar_feed(self, request, pk=None):
        """A new secret calendar address for this person (the previous one stops working)."""
        contact = contact_get_for_user_or_404(request.user, pk)
        _feed, secret = services.calendar_feed_renew(contact=contact)
        url = request.build_absolute_uri(reverse("api:contact-calendar", args=[secret]))
        return Response({"url": url}, status=status.HTTP_201_CREATED)


class ForumViewSet(ReadOnly):
    """Forums: the cluster management sees every state, everybody else announced forums."""

    serializer_class = serializers.ForumSerializer
    filterset_class = ForumFilter

    def get_queryset(self):
        return selectors.forums_for(self.request.user)


class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Registrations of the own company (company users) or all (cluster management).

    Registering and cancelling go through forums.services: capacity, the per-company cap, the
    waiting list and the mails behave exactly as on the pages.
    """

    serializer_class = serializers.RegistrationSerializer
    permission_classes = [HasRole]
    lookup_value_regex = ID_PATTERN
    filter_backends = [DjangoFilterBackend]
    filterset_class = RegistrationFilter

    def get_queryset(self):
        return selectors.registrations_for(self.request.user)

    def get_permissions(self):
        if self.action in ("create", "cancel"):
            return [IsRegistrar()]
        return super().get_permissions()

    @extend_schema(
        request=serializers.RegistrationCreateSerializer,
        responses={201: serializers.RegistrationSerializer},
    )
    def create(self, request):
        data = serializers.RegistrationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        forum = forum_get_for_user_or_404(request.user, data.validated_data["forum"])
        # The contact's own row is all a registration needs (its company counts by id).
        contact = get_object_or_404(contact_scope(request.user), pk=data.validated_data["contact"])
        staff = has_role(request.user, Role.CLUSTER_MANAGER)
        try:
            registration = forum_services.registration_create(
                forum=forum,
                contact=contact,
                source=Registration.Source.STAFF if staff else Registration.Source.PORTAL,
                actor=request.user,
                note=data.validated_data["note"],
            )
        except DjangoValidationError as error:
            return validation_error_response(error)
        registration.contact = contact
        return Response(
            serializers.RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: serializers.RegistrationSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = registration_get_for_user_or_404(request.user, pk)
        try:
            registration = forum_services.registration_cancel(
                registration=registration, actor=request.user
            )
        except DjangoValidationError as error:
            return validation_error_response(error)
        registration = selectors.registrations_for(request.user).get(pk=registration.pk)
        return Response(serializers.RegistrationSerializer(registration).data)


class WorkshopViewSet(ReadOnly):
    """SEFEX workshops: staff see all, a company user their own company's (no minutes here)."""

    serializer_class = serializers.WorkshopSerializer
    filterset_class = WorkshopFilter

    def get_queryset(self):
        return selectors.workshops_for(self.request.user)


# --- public, no login -----------------------------------------------------------------------


class JsonErrorsNegotiation(BaseContentNegotiation):
    """Feeds answer text/calendar themselves; errors are always JSON whatever Accept says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]


def _ics_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS)
    response["Cache-Control"] = "public, max-age=900"
    return response


class PublicForumList(PublicView):
    """Announced forums of one cluster that have not ended yet, for the cluster's website."""

    @extend_schema(parameters=[SLUG], responses={200: serializers.PublicForumSerializer(many=True)})
    def get(self, request, slug):
        cluster = get_object_or_404(Cluster, slug=slug)
        forums = selectors.public_forums(cluster)
        return Response(serializers.PublicForumSerializer(forums, many=True).data)


class PublicForumFeed(PublicView):
    """The cluster's forums as a calendar to subscribe to (no personal data)."""

    content_negotiation_class = JsonErrorsNegotiation

    @extend_schema(
        parameters=[SLUG],
        responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR)},
    )
    def get(self, request, slug):
        cluster = get_object_or_404(Cluster, slug=slug)
        return _ics_response(
            forums_feed_ics(selectors.public_feed(cluster), name=f"{cluster.name} – Metall-Foren")
        )


class ContactCalendar(PublicView):
    """One person's forums and workshops; the secret in the address is the only key."""

    content_negotiation_class = JsonErrorsNegotiation

    @extend_schema(
        parameters=[TOKEN],
        responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR)},
    )
    def get(self, request, token):
        feed = get_object_or_404(
            CalendarFeed.objects.select_related("contact"), key_hash=hash_secret(token)
        )
        contact = feed.contact
        forums, workshops = selectors.contact_calendar(contact)
        with translation.override(contact.language or settings.LANGUAGE_CODE):
            content = contact_calendar_ics(
                forums, workshops, name=f"MetallDIALOG – {contact.full_name}"
            )
        response = _ics_response(content)
        response["Cache-Control"] = "private, max-age=900"
        return response


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404 like the API's own, not the site's HTML page."""
    raise NotFound
