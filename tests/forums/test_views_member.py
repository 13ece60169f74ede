"""Member pages, token links and calendar downloads, with the outsider in every test."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from forums import services
from forums.models import Feedback, Forum, Registration
from forums.tokens import make_feedback_token, make_registration_token
from members.models import Topic

State = Registration.State


@pytest.fixture
def published(make_forum):
    forum = make_forum()
    forum.topics.add(Topic.objects.get(slug="industrie-4-0"))
    return forum


# --- list ---------------------------------------------------------------------------------


def test_list_filters_by_topic_and_hides_drafts(client, company_user_a, make_forum):
    energy = make_forum(title="Energie-Forum")
    energy.topics.add(Topic.objects.get(slug="energieeffizienz"))
    other = make_forum(title="Fachkräfte-Forum")
    other.topics.add(Topic.objects.get(slug="fachkraefte"))
    make_forum(title="Entwurf", state=Forum.State.DRAFT, published_at=None)
    past = timezone.now() - timedelta(days=3)
    make_forum(title="Vergangen", starts_at=past, ends_at=past + timedelta(hours=2))
    client.force_login(company_user_a)
    page = client.get(reverse("forums:list")).content.decode()
    assert "Energie-Forum" in page and "Fachkräfte-Forum" in page
    assert "Entwurf" not in page and "Vergangen" not in page
    page = client.get(reverse("forums:list"), {"topic": "energieeffizienz"}).content.decode()
    assert "Energie-Forum" in page and "Fachkräfte-Forum" not in page


def _fill(make_forum, make_company, n):
    company = make_company(f"Fill{n} GmbH", contacts=2)
    for i in range(n):
        forum = make_forum(title=f"Forum {n}-{i}")
        forum.topics.add(*Topic.objects.all()[:2])
        services.registration_create(forum=forum, contact=company.contacts.first())


def test_list_query_count_constant(
    client, company_user_a, make_forum, make_company, django_assert_num_queries
):
    client.force_login(company_user_a)
    client.get(reverse("forums:list"))  # warm the session, login and role cache paths
    _fill(make_forum, make_company, 2)
    with django_assert_num_queries(4) as small:
        response = client.get(reverse("forums:list"))
    assert response.content.decode().count("Forum 2-") == 2
    _fill(make_forum, make_company, 12)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("forums:list"))
    assert response.content.decode().count("Forum 12-") == 12


@pytest.mark.parametrize("name", ["forums:list", "forums:my_registrations"])
def test_anonymous_goes_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]


# --- detail and registering ------------------------------------------------------------------


def test_detail_shows_agenda_host_and_seats(client, company_user_a, published, company_a):
    published.agenda_items.create(starts_at="18:00", title="Begrüßung", speaker="Dr. Weber")
    published.host_company = company_a
    published.save()
    client.force_login(company_user_a)
    page = client.get(reverse("forums:detail", args=[published.pk])).content.decode()
    assert "Begrüßung" in page and "Dr. Weber" in page
    assert company_a.legal_name in page
    assert "10" in page  # seats


def test_draft_is_404_for_members(client, company_user_a, make_forum):
    draft = make_forum(state=Forum.State.DRAFT, published_at=None)
    client.force_login(company_user_a)
    assert client.get(reverse("forums:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("forums:ics", args=[draft.pk])).status_code == 404
    assert client.get(reverse("forums:detail", args=[999999])).status_code == 404


def test_company_user_registers_colleagues(client, company_user_a, company_a, published):
    from members.models import Contact

    colleague = Contact.objects.create(company=company_a, first_name="Carl", last_name="Alpha")
    client.force_login(company_user_a)
    contacts = list(company_a.contacts.values_list("pk", flat=True))
    response = client.post(reverse("forums:register", args=[published.pk]), {"contacts": contacts})
    assert response.status_code == 302
    assert set(published.registrations.values_list("contact_id", flat=True)) == set(contacts)
    page = client.get(reverse("forums:detail", args=[published.pk])).content.decode()
    assert colleague.full_name in page


def test_company_user_cannot_register_foreign_contact(client, company_user_a, company_b, published):
    client.force_login(company_user_a)
    foreign = company_b.contacts.first()
    with translation.override("de"):
        response = client.post(
            reverse("forums:register", args=[published.pk]),
            {"contacts": [foreign.pk]},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="de",
        )
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert "Diese Person ist kein Kontakt Ihres Unternehmens." in response.content.decode()


def test_register_after_deadline_says_why(client, company_user_a, company_a, make_forum):
    forum = make_forum(registration_closes_at=timezone.now() - timedelta(minutes=5))
    client.force_login(company_user_a)
    response = client.post(
        reverse("forums:register", args=[forum.pk]),
        {"contacts": [company_a.contacts.first().pk]},
        follow=True,
    )
    assert not Registration.objects.exists()
    assert "Die Anmeldefrist ist abgelaufen." in response.content.decode()


def test_staff_and_project_manager_cannot_post_member_registration(
    client, project_manager, published, company_a
):
    client.force_login(project_manager)
    response = client.post(
        reverse("forums:register", args=[published.pk]),
        {"contacts": [company_a.contacts.first().pk]},
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_my_registrations_and_cancel(client, company_user_a, company_user_b, company_a, published):
    registration = services.registration_create(forum=published, contact=company_a.contacts.first())
    client.force_login(company_user_b)
    page = client.get(reverse("forums:my_registrations")).content.decode()
    assert published.title not in page
    # The outsider's cancel answers 404 and changes nothing.
    response = client.post(reverse("forums:registration_cancel", args=[registration.pk]))
    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).state == State.CONFIRMED

    client.force_login(company_user_a)
    page = client.get(reverse("forums:my_registrations")).content.decode()
    assert published.title in page
    response = client.post(reverse("forums:registration_cancel", args=[registration.pk]))
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).state == State.CANCELLED


# --- calendar --------------------------------------------------------------------------------


def test_ics_download_and_feed(client, company_user_a, published):
    client.force_login(company_user_a)
    response = client.get(reverse("forums:ics", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["SUMMARY"]) == published.title
    client.logout()
    assert client.get(reverse("forums:ics", args=[published.pk])).status_code == 302
    # The feed needs no login (calendar programs subscribe) and carries no personal data.
    feed = client.get(reverse("forums:feed"))
    assert feed.status_code == 200
    assert published.title in feed.content.decode()
    assert "ATTENDEE" not in feed.content.decode()


# --- token links -----------------------------------------------------------------------------


def test_token_link_registers_without_login(client, published, company_a):
    contact = company_a.contacts.first()
    url = reverse("forums:token", args=[make_registration_token(contact=contact, forum=published)])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "register"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.contact, registration.source) == (contact, Registration.Source.INVITATION)
    page = client.get(url).content.decode()
    assert "Bestätigt" in page or "Confirmed" in page
    client.post(url, {"action": "cancel"})
    assert Registration.objects.get().state == State.CANCELLED


@pytest.mark.parametrize("how", ["tampered", "expired", "foreign-salt"])
def test_bad_token_says_why_and_writes_nothing(client, published, company_a, how):
    contact = company_a.contacts.first()
    if how == "expired":
        token = make_registration_token(
            contact=contact, forum=published, expires_at=timezone.now() - timedelta(seconds=1)
        )
        expected = "Dieser Link ist abgelaufen."
    elif how == "tampered":
        token = make_registration_token(contact=contact, forum=published)[:-3] + "abc"
        expected = "Dieser Link ist ungültig."
    else:
        token = make_feedback_token(contact=contact, forum=published)
        expected = "Dieser Link ist ungültig."
    url = reverse("forums:token", args=[token])
    for response in (client.get(url), client.post(url, {"action": "register"})):
        assert response.status_code == 400
        assert expected in response.content.decode()
    assert not Registration.objects.exists()


def test_token_for_cancelled_forum_writes_nothing(client, make_forum, company_a):
    forum = make_forum(state=Forum.State.CANCELLED)
    token = make_registration_token(contact=company_a.contacts.first(), forum=forum)
    response = client.post(reverse("forums:token", args=[token]), {"action": "register"})
    assert "Dieses Forum wurde abgesagt." in response.content.decode()
    assert not Registration.objects.exists()


def test_token_for_draft_is_404(client, make_forum, company_a):
    forum = make_forum(state=Forum.State.DRAFT, published_at=None)
    token = make_registration_token(contact=company_a.contacts.first(), forum=forum)
    assert (
        client.post(reverse("forums:token", args=[token]), {"action": "register"}).status_code
        == 404
    )
    assert not Registration.objects.exists()


# --- feedback ----------------------------------------------------------------------------------


def test_feedback_link(client, make_forum, company_a, cluster_manager):
    forum = make_forum()
    contact = company_a.contacts.first()
    registration = services.registration_create(forum=forum, contact=contact)
    url = reverse("forums:feedback", args=[make_feedback_token(contact=contact, forum=forum)])
    response = client.post(url, {"rating": "5", "comment": "Toll"})
    assert response.status_code == 400  # did not attend yet
    assert not Feedback.objects.exists()
    services.registration_check_in(registration=registration, actor=cluster_manager, early=True)
    Forum.objects.filter(pk=forum.pk).update(state=Forum.State.HELD)
    assert client.get(url).status_code == 200
    assert client.post(url, {"rating": "9"}).status_code == 400
    response = client.post(url, {"rating": "4", "comment": "Toll"})
    assert response.status_code == 200
    assert Feedback.objects.get().rating == 4
    bad = reverse("forums:feedback", args=["x" + url.split("/")[-2]])
    assert client.get(bad).status_code == 400


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # list, detail, ics, my registrations
        ("anonymous", (302, 302, 302, 302)),
        ("company_user_a", (200, 200, 200, 200)),
        ("company_user_b", (200, 200, 200, 200)),
        ("project_manager", (200, 200, 200, 403)),
        ("cluster_manager", (200, 200, 200, 403)),
    ],
)
def test_member_pages_by_persona(request, client, published, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    urls = [
        reverse("forums:list"),
        reverse("forums:detail", args=[published.pk]),
        reverse("forums:ics", args=[published.pk]),
        reverse("forums:my_registrations"),
    ]
    assert tuple(client.get(url).status_code for url in urls) == expected


def test_outsider_sees_no_other_company_registrations(client, company_user_b, company_a, published):
    services.registration_create(forum=published, contact=company_a.contacts.first())
    client.force_login(company_user_b)
    page = client.get(reverse("forums:detail", args=[published.pk])).content.decode()
    assert "Anna Alpha" not in page


def test_admin_lists_for_cluster_manager(client, cluster_manager, published, company_a):
    services.registration_create(forum=published, contact=company_a.contacts.first())
    client.force_login(cluster_manager)
    for name in ("forum", "registration", "feedback"):
        assert client.get(reverse(f"admin:forums_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:forums_forum_change", args=[published.pk])).status_code == 200


def test_token_link_after_deadline_says_why(client, make_forum, company_a):
    forum = make_forum(registration_closes_at=timezone.now() - timedelta(hours=1))
    token = make_registration_token(contact=company_a.contacts.first(), forum=forum)
    response = client.post(reverse("forums:token", args=[token]), {"action": "register"})
    assert response.status_code == 400
    assert "Die Anmeldefrist ist abgelaufen." in response.content.decode()
    assert not Registration.objects.exists()
