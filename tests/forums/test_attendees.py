"""Who is coming: only attendees who agreed are listed, and only to registered members of the
same forum; a person agrees for themselves alone (portal, invitation link) and can withdraw."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from forums import attendees, services
from forums.models import Forum, Registration
from forums.tokens import make_registration_token
from members.models import Contact
from tests.conftest import company_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(make_company):
    return make_company("Alpha Präzisionstechnik GmbH")


@pytest.fixture
def beta(make_company):
    return make_company("Beta Stanztechnik GmbH")


@pytest.fixture
def gamma(make_company):
    return make_company("Gamma Gießerei KG")


@pytest.fixture
def user_alpha(alpha):
    return company_login(alpha, "uwe@alpha.example", "Uwe", "Alpha")


@pytest.fixture
def user_beta(beta):
    return company_login(beta, "berta@beta.example", "Berta", "Beta")


@pytest.fixture
def user_gamma(gamma):
    return company_login(gamma, "gero@gamma.example", "Gero", "Gamma")


def _register(forum, contact, *, listed: bool) -> Registration:
    registration = services.registration_create(forum=forum, contact=contact)
    if listed:
        attendees.listing_set(registration=registration, listed=True)
    return registration


def _page(client, forum) -> str:
    response = client.get(reverse("forums:detail", args=[forum.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_registered_member_sees_only_those_who_agreed(
    client, forum, user_alpha, user_beta, alpha, beta
):
    agreed = Contact.objects.create(
        company=alpha,
        first_name="Lisa",
        last_name="Liste",
        email="lisa.liste@alpha.example",
        function=Contact.Function.QUALITY,
    )
    silent = Contact.objects.create(company=alpha, first_name="Stefan", last_name="Still")
    _register(forum, agreed, listed=True)
    _register(forum, silent, listed=False)
    _register(forum, user_beta.contact, listed=False)
    client.force_login(user_beta)
    page = _page(client, forum)
    assert "Lisa Liste" in page
    assert alpha.legal_name in page
    assert agreed.get_function_display() in page
    assert "Stefan Still" not in page
    assert agreed.email not in page  # no address on the list


def test_member_without_a_seat_sees_no_list(client, forum, user_alpha, user_gamma, alpha):
    _register(forum, alpha.contacts.first(), listed=True)
    client.force_login(user_gamma)
    page = _page(client, forum)
    assert alpha.contacts.first().full_name not in page
    assert 'id="attendees"' not in page


def test_waiting_list_is_not_registered_enough(client, make_forum, user_alpha, user_beta, alpha):
    forum = make_forum(capacity=1)
    _register(forum, alpha.contacts.first(), listed=True)
    waiting = services.registration_create(forum=forum, contact=user_beta.contact)
    assert waiting.state == Registration.State.WAITLISTED
    client.force_login(user_beta)
    assert alpha.contacts.first().full_name not in _page(client, forum)


def test_portal_registration_lists_only_the_person_who_ticked(client, forum, user_alpha, alpha):
    colleague = alpha.contacts.exclude(pk=user_alpha.contact_id).first()
    client.force_login(user_alpha)
    page = _page(client, forum)
    assert 'name="listed"' in page
    # She registers herself with the tick beside "Mich anmelden" ...
    response = client.post(reverse("forums:register_self", args=[forum.pk]), {"listed": "on"})
    assert response.status_code == 302
    # ... and a colleague, with a tick posted along that must not list him.
    response = client.post(
        reverse("forums:register", args=[forum.pk]), {"contacts": [colleague.pk], "listed": "on"}
    )
    assert response.status_code == 302
    own = forum.registrations.get(contact=user_alpha.contact)
    other = forum.registrations.get(contact=colleague)
    assert own.listed_since is not None
    assert other.listed_since is None  # nobody is listed on a colleague's word
    event = AuditEvent.objects.get(action="attendee_list.agreed")
    assert event.actor_id == user_alpha.pk and event.object_id == str(own.pk)


def test_portal_registration_without_the_tick_lists_nobody(client, forum, user_alpha):
    client.force_login(user_alpha)
    client.post(reverse("forums:register_self", args=[forum.pk]))
    assert forum.registrations.get().listed_since is None
    assert not AuditEvent.objects.filter(action__startswith="attendee_list.").exists()


def test_invitation_link_asks_and_lists(client, forum, alpha):
    contact = alpha.contacts.first()
    url = reverse("forums:token", args=[make_registration_token(contact=contact, forum=forum)])
    assert 'name="listed"' in client.get(url).content.decode()
    client.post(url, {"action": "register", "listed": "on"})
    assert forum.registrations.get(contact=contact).listed_since is not None


def test_person_withdraws_and_agrees_again(client, forum, user_alpha, user_beta):
    own = _register(forum, user_alpha.contact, listed=True)
    _register(forum, user_beta.contact, listed=False)
    client.force_login(user_alpha)
    url = reverse("forums:listing", args=[forum.pk])
    assert client.post(url, {}).status_code == 302
    own.refresh_from_db()
    assert own.listed_since is None
    client.force_login(user_beta)
    assert user_alpha.contact.full_name not in _page(client, forum)
    client.force_login(user_alpha)
    client.post(url, {"listed": "on"})
    own.refresh_from_db()
    assert own.listed_since is not None
    actions = list(
        AuditEvent.objects.filter(action__startswith="attendee_list.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["attendee_list.agreed", "attendee_list.withdrawn", "attendee_list.agreed"]


def test_listing_needs_an_own_registration(client, forum, make_forum, user_alpha, cluster_manager):
    client.force_login(user_alpha)
    url = reverse("forums:listing", args=[forum.pk])
    assert client.post(url, {"listed": "on"}).status_code == 404
    draft = make_forum(state=Forum.State.DRAFT, published_at=None)
    assert client.post(reverse("forums:listing", args=[draft.pk])).status_code == 404
    assert client.get(url).status_code == 405
    client.force_login(cluster_manager)
    assert client.post(url, {"listed": "on"}).status_code == 403
    client.logout()
    assert client.post(url, {"listed": "on"}).status_code == 302  # to the login
    assert not AuditEvent.objects.filter(action__startswith="attendee_list.").exists()


@pytest.mark.parametrize("size", [3, 30])
def test_forum_page_queries_do_not_grow_with_the_list(
    client, make_forum, make_company, user_beta, size, django_assert_max_num_queries
):
    forum = make_forum(capacity=100, seats_per_company=100)
    company = make_company("Delta Drehteile GmbH", contacts=size)
    for contact in company.contacts.all():
        _register(forum, contact, listed=True)
    _register(forum, user_beta.contact, listed=True)
    client.force_login(user_beta)
    with django_assert_max_num_queries(20):
        page = _page(client, forum)
    assert page.count("Delta Drehteile GmbH") == size


def test_invitation_link_withdraws_and_agrees_again(client, forum, alpha):
    contact = alpha.contacts.first()
    url = reverse("forums:token", args=[make_registration_token(contact=contact, forum=forum)])
    client.post(url, {"action": "register", "listed": "on"})
    registration = forum.registrations.get(contact=contact)
    assert "Mich von der Teilnehmerliste nehmen" in client.get(url).content.decode()
    assert client.post(url, {"action": "unlist"}).status_code == 302
    registration.refresh_from_db()
    assert registration.listed_since is None
    client.post(url, {"action": "list"})
    registration.refresh_from_db()
    assert registration.listed_since is not None


def test_invitation_link_without_registration_lists_nothing(client, forum, alpha):
    contact = alpha.contacts.first()
    url = reverse("forums:token", args=[make_registration_token(contact=contact, forum=forum)])
    assert client.post(url, {"action": "list"}).status_code == 404
    assert not forum.registrations.exists()
