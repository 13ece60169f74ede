"""What the API shows of each thing. Read serializers only take prefetched data (no queries)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forums import selectors as forum_selectors
from forums.models import Forum, Registration
from members.models import Cluster, Company, Contact, Relationship, Sector, SmeClass, Topic
from sefex.models import Workshop

# Ids are bigints in PostgreSQL: larger numbers are refused as bad input, not sent to the DB.
MAX_ID = 2**63 - 1


class ClusterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["id", "name", "slug", "description"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "number", "name", "wz2008", "wz2025"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "slug", "is_active"]


class RelationshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relationship
        fields = ["cluster", "kind", "valid_from", "valid_to"]


class CompanySerializer(serializers.ModelSerializer):
    sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    # Blank until SME figures are recorded (the schema must allow "", schemathesis found it).
    sme_class = serializers.ChoiceField(
        choices=[("", "–"), *SmeClass.choices], read_only=True, allow_blank=True
    )
    relationships = RelationshipSerializer(many=True, read_only=True)

    class Meta:
        model = Company
        fields = [
            "id",
            "legal_name",
            "short_name",
            "legal_form",
            "register_number",
            "vat_id",
            "street",
            "postcode",
            "city",
            "website",
            "production",
            "sme_class",
            "sectors",
            "relationships",
        ]


class ContactSerializer(serializers.ModelSerializer):
    topics = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    opted_out = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "company",
            "salutation",
            "title",
            "first_name",
            "last_name",
            "function",
            "email",
            "phone",
            "language",
            "receives_invitations",
            "opted_out",
            "topics",
        ]

    def get_opted_out(self, contact) -> bool:
        return contact.is_opted_out


class ForumSerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    location = serializers.CharField(source="location_text", read_only=True)
    seats_taken = serializers.IntegerField(read_only=True)
    seats_left = serializers.SerializerMethodField()
    waitlisted = serializers.IntegerField(read_only=True)
    registration_open = serializers.SerializerMethodField()

    class Meta:
        model = Forum
        fields = [
            "id",
            "uid",
            "cluster",
            "title",
            "description",
            "topics",
            "starts_at",
            "ends_at",
            "host_company",
            "location",
            "capacity",
            "seats_per_company",
            "seats_taken",
            "seats_left",
            "waitlisted",
            "registration_opens_at",
            "registration_closes_at",
            "registration_open",
            "audience",
            "state",
        ]

    def get_seats_left(self, forum) -> int:
        return forum_selectors.seats_left(forum)

    def get_registration_open(self, forum) -> bool:
        return forum.is_registration_open()


class PublicForumSerializer(ForumSerializer):
    """For the cluster's website: what the announcement says, no company ids, a link to it."""

    url = serializers.SerializerMethodField()

    class Meta(ForumSerializer.Meta):
        fields = [
            "uid",
            "title",
            "description",
            "topics",
            "starts_at",
            "ends_at",
            "location",
            "seats_left",
            "registration_open",
            "registration_closes_at",
            "audience",
            "url",
        ]

    def get_url(self, forum) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("forums:detail", args=[forum.pk])


class RegistrationSerializer(serializers.ModelSerializer):
    contact_name = serializers.CharField(source="contact.full_name", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "forum",
            "contact",
            "contact_name",
            "company",
            "state",
            "source",
            "waitlist_position",
            "note",
            "created_at",
            "confirmed_at",
            "waitlisted_at",
            "cancelled_at",
        ]


class RegistrationCreateSerializer(serializers.Serializer):
    """Who registers for which forum. Foreign or unknown ids answer 404, as on the pages."""

    forum = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    contact = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class WorkshopSerializer(serializers.ModelSerializer):
    module = serializers.CharField(source="module.name", read_only=True)
    project_manager = serializers.SerializerMethodField()
    place_text = serializers.CharField(read_only=True)

    class Meta:
        model = Workshop
        fields = [
            "id",
            "uid",
            "company",
            "module",
            "state",
            "starts_at",
            "ends_at",
            "duration_hours",
            "place",
            "place_text",
            "project_manager",
            "held_on",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_project_manager(self, workshop):
        manager = workshop.project_manager
        return (manager.get_full_name() or manager.email) if manager else None


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(help_text=_("Secret address; shown once. A new one replaces it."))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)
