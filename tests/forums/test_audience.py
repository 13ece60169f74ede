"""Who an invitation reaches: every reason a contact is left out is counted, the counts add
up to the contacts the filter matched, and the page, its recipient list, the CSV and the
send agree. The counts come from set-based SQL: neither the number of queries nor the
length of the SQL grows with the contacts already invited."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import audience, invitations, services
from forums.models import Forum
from members.models import Cluster, Company, Contact, Relationship
from members.services import contact_opt_out
from outbox import services as outbox_services
from outbox.models import Batch, Mail, Suppression

from .conftest import add_company, build_forum


@pytest.fixture
def gate_off(settings):
    """Without the double opt-in check of the privacy app (tested on its own below)."""
    settings.INVITATION_AUDIENCE_FILTERS = []


def _contact(company, first, email, **fields):
    last = company.legal_name.split()[0]
    return Contact.objects.create(
        company=company, first_name=first, last_name=last, email=email, **fields
    )


@pytest.fixture
def crowd(cluster):
    """One contact (or two) for every reason, and two who get the invitation."""
    other_cluster = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    alpha = add_company(cluster, "Alpha GmbH", contacts=0)
    partner = add_company(cluster, "Gamma KG", kind=Relationship.Kind.PARTNER, contacts=0)
    prospect = add_company(cluster, "Delta AG", kind=Relationship.Kind.PROSPECT, contacts=0)
    plastics = Company.objects.create(legal_name="Plast GmbH", city="Heilbronn")
    Relationship.objects.create(
        company=plastics, cluster=other_cluster, kind="member", valid_from="2020-01-01"
    )
    people = {
        "send_1": _contact(alpha, "Senta", "senta@alpha.example"),
        "send_2": _contact(alpha, "Sven", "sven@alpha.example"),
        "shared": _contact(alpha, "Susi", "SENTA@alpha.example "),
        "no_email": _contact(alpha, "Otto", ""),
        "registered": _contact(alpha, "Rita", "rita@alpha.example"),
        "not_receiving": _contact(alpha, "Nina", "nina@alpha.example", receives_invitations=False),
        "opted_out": _contact(alpha, "Olga", "olga@alpha.example"),
        "bounced": _contact(alpha, "Bert", "bert@alpha.example"),
        "partner": _contact(partner, "Paul", "paul@gamma.example"),
        "prospect": _contact(prospect, "Pia", "pia@delta.example"),
        "other_cluster": _contact(plastics, "Karl", "karl@plast.example"),
    }
    forum = build_forum(cluster, capacity=20)
    services.registration_create(forum=forum, contact=people["registered"])
    contact_opt_out(contact=people["opted_out"])
    outbox_services.suppression_add(email=people["bounced"].email, reason=Suppression.Reason.BOUNCE)
    return forum, people


def _counts(summary) -> dict[str, int]:
    return {e.key: e.count for e in summary.exclusions if e.count}


def test_every_exclusion_is_counted_once_and_the_counts_add_up(crowd, settings, gate_off):
    forum, people = crowd
    summary = audience.summary(forum, Contact.objects.all(), audience.INVITATION)
    assert _counts(summary) == {
        # A prospect is no network partner, the plastics firm belongs to another cluster.
        "forum_rules": 2,
        "no_email": 1,
        "registered": 1,
        "not_receiving": 1,
        "opted_out": 1,
        "bounced": 1,
        "shared_address": 1,
    }
    assert summary.matching == len(people) == summary.excluded + summary.to_send
    assert summary.to_send == 3  # Senta, Sven and the partner's Paul
    recipients = audience.recipients(forum, Contact.objects.all(), audience.INVITATION)
    assert {c.email for c in recipients} == {
        "senta@alpha.example",
        "sven@alpha.example",
        "paul@gamma.example",
    }


def test_non_members_without_double_opt_in_are_named(crowd):
    """The production setting: the privacy app's check leaves out the partner's contact."""
    forum, people = crowd
    summary = audience.summary(forum, Contact.objects.all(), audience.INVITATION)
    assert summary.count("no_consent") == 1
    labels = {e.key: str(e.label) for e in summary.exclusions}
    assert "Double-Opt-in" in labels["no_consent"] or "double opt-in" in labels["no_consent"]
    assert summary.to_send == 2 and summary.excluded + summary.to_send == summary.matching


def test_members_only_forum_does_not_invite_partners(crowd, gate_off, cluster_manager):
    forum, people = crowd
    Forum.objects.filter(pk=forum.pk).update(audience=Forum.Audience.MEMBERS)
    forum.refresh_from_db()
    summary = audience.summary(forum, Contact.objects.all(), audience.INVITATION)
    assert summary.count("forum_rules") == 3 and summary.to_send == 2
    label = str(summary.exclusions[0].label)
    assert "MetallDIALOG" in label and forum.get_audience_display() in label
    batch = invitations.invitation_send(forum=forum, data={}, actor=cluster_manager)
    assert set(batch.recipients.values_list("contact__email", flat=True)) == {
        "senta@alpha.example",
        "sven@alpha.example",
    }


def test_invited_contacts_count_as_invited_while_in_flight_and_after(
    crowd, gate_off, cluster_manager, smtp_sink, broker, django_capture_on_commit_callbacks
):
    forum, people = crowd
    with django_capture_on_commit_callbacks(execute=True):
        batch = invitations.invitation_send(forum=forum, data={"q": "Alpha"}, actor=cluster_manager)
    assert batch.planned == 2 and not Mail.objects.exists()
    # The batch's rows alone (no mail yet) count the two as invited.
    summary = audience.summary(forum, Contact.objects.all(), audience.INVITATION)
    assert summary.count("already") == 3  # Senta, Sven, and Susi of Senta's mailbox
    assert summary.to_send == 1
    broker.run_all()
    assert Mail.objects.filter(state=Mail.State.SENT).count() == 2
    summary = audience.summary(forum, Contact.objects.all(), audience.INVITATION)
    assert summary.count("already") == 3 and summary.to_send == 1
    # The follow-up goes to those whose invitation went out and who did not answer.
    services.registration_create(forum=forum, contact=people["send_1"])
    follow_up = audience.summary(forum, Contact.objects.all(), audience.FOLLOWUP)
    assert follow_up.count("answered") == 1 and follow_up.to_send == 1  # Sven
    assert follow_up.excluded + 1 == follow_up.matching


def test_page_lists_recipients_a_page_at_a_time_and_as_csv(
    client, cluster_manager, cluster, gate_off, settings
):
    settings.LANGUAGE_CODE = "de"
    forum = build_forum(cluster)
    for i in range(3):
        add_company(cluster, f"Firma{i} GmbH", contacts=12)
    client.force_login(cluster_manager)
    url = reverse("forums:staff_invitations", args=[forum.pk])
    first = client.get(url).content.decode()
    assert 'data-count="to_send">36<' in first
    assert first.count("@firma") >= 25 and "p11@firma2.example" not in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert "p11@firma2.example" in second and "p0@firma0.example" not in second
    response = client.get(reverse("forums:staff_invitations_csv", args=[forum.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Unternehmen" and len(rows) == 1 + 36
    assert {row[3] for row in rows[1:]} == {
        f"p{j}@firma{i}.example" for i in range(3) for j in range(12)
    }
    # A filter narrows the page, its CSV and the send alike.
    narrowed = client.get(reverse("forums:staff_invitations_csv", args=[forum.pk]), {"q": "Firma1"})
    assert len(narrowed.content.decode("utf-8-sig").strip().splitlines()) == 1 + 12


def test_confirmation_before_the_mass_send(
    client, cluster_manager, cluster, gate_off, django_capture_on_commit_callbacks
):
    forum = build_forum(cluster)
    add_company(cluster, "Firma GmbH", contacts=4)
    client.force_login(cluster_manager)
    page = client.get(reverse("forums:staff_invitations", args=[forum.pk])).content.decode()
    confirm_url = reverse("forums:staff_invitations_confirm", args=[forum.pk])
    assert confirm_url in page
    confirm = client.get(confirm_url).content.decode()
    assert "4 Einladungen jetzt senden?" in confirm
    assert not Batch.objects.exists()  # asking sends nothing
    send = reverse("forums:staff_invitations_send", args=[forum.pk])
    assert f'action="{send}?"' in confirm and 'name="expected" value="4"' in confirm
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send + "?", {"expected": "4"})
    assert Batch.objects.get().planned == 4


def _measure_page(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), max(len(q["sql"]) for q in queries.captured_queries)


def test_queries_and_sql_do_not_grow_with_contacts_or_invitations(
    client, cluster_manager, cluster, smtp_sink, broker, django_capture_on_commit_callbacks
):
    forum = build_forum(cluster, capacity=500)
    client.force_login(cluster_manager)
    url = reverse("forums:staff_invitations", args=[forum.pk])

    def invite_new_company(name, contacts):
        add_company(cluster, name, contacts=contacts)
        with django_capture_on_commit_callbacks(execute=True):
            invitations.invitation_send(forum=forum, data={"q": name}, actor=cluster_manager)
        broker.run_all()

    invite_new_company("Klein GmbH", 3)
    add_company(cluster, "Offen GmbH", contacts=2)
    client.get(url)
    small = _measure_page(client, url)
    for i in range(4):
        invite_new_company(f"Gross{i} GmbH", 40)
    add_company(cluster, "Neu GmbH", contacts=30)
    page = client.get(url).content.decode()
    assert 'data-count="already">163<' in page and 'data-count="to_send">32<' in page
    large = _measure_page(client, url)
    assert large[0] == small[0]
    # No list of ids in the SQL: the longest statement stays the same length (give or take
    # the digits of a number).
    assert large[1] <= small[1] + 10, (small, large)
