"""The invitation page at scale: its counts and recipients come from the cache while the rows
they are computed from stay as they were, and are computed again (exactly) when any changes."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from forums import audience, audience_cache
from forums.audience import INVITATION
from forums.models import Forum, Registration
from members.models import Contact, Relationship
from outbox.models import Mail, Suppression
from privacy.consent import invitation_audience


def _url(forum):
    return reverse("forums:staff_invitations", args=[forum.pk])


def _counts(html: str) -> dict[str, int]:
    return {key: int(n) for key, n in re.findall(r'data-count="(\w+)">(?:<[^>]+>)?(\d+)<', html)}


def _fresh_counts(forum) -> dict[str, int]:
    """What the page must show, computed without the cache."""
    forum = Forum.objects.select_related("cluster").get(pk=forum.pk)
    summary = audience.summary(forum, Contact.objects.all(), INVITATION)
    counts = {e.key: e.count for e in summary.exclusions}
    return counts | {"matching": summary.matching, "to_send": summary.to_send}


def _page_counts(client, forum) -> dict[str, int]:
    response = client.get(_url(forum))
    assert response.status_code == 200
    return _counts(response.content.decode())


def test_query_count_at_two_sizes_cold_and_cached(
    client, cluster_manager, forum, make_company, django_assert_num_queries
):
    """Cold: the forum (within the manager's clusters), fingerprint, filter, counts,
    recipients, sends; cached: the forum and the fingerprint, the rest of the page comes from
    the cache (the login too). The same at 2 and 32 contacts."""
    client.force_login(cluster_manager)
    make_company("Klein GmbH", contacts=2)
    client.get(_url(forum))  # the filter's choices and the content types, cached for all pages
    make_company("Leer GmbH", contacts=0)
    with django_assert_num_queries(6) as cold:
        client.get(_url(forum))
    with django_assert_num_queries(2):
        client.get(_url(forum))
    for i in range(6):
        make_company(f"Gross{i} GmbH", contacts=5)
    # New contacts change the fingerprint: computed again, with as many queries as before.
    with django_assert_num_queries(len(cold.captured_queries)):
        page = client.get(_url(forum))
    assert _counts(page.content.decode())["matching"] == 32
    with django_assert_num_queries(2):
        page = client.get(_url(forum))
    assert _counts(page.content.decode())["matching"] == 32


def test_cached_counts_follow_every_change_of_their_rows(
    client, cluster_manager, forum, make_forum, make_company
):
    """Each change below happens inside the test's one transaction (as a staff edit would in
    its own), and the page shows the counts computed afresh every time."""
    client.force_login(cluster_manager)
    alpha = make_company("Alpha GmbH")
    make_company("Beta AG")
    partner = make_company("Gamma KG", kind=Relationship.Kind.PARTNER, contacts=2)
    assert _page_counts(client, forum) == _fresh_counts(forum)
    first = _page_counts(client, forum)
    assert first["no_consent"] == 2  # the partner's contacts: no double opt-in (default gate)

    p0, p1, p2 = Contact.objects.filter(company=alpha).order_by("pk")
    forum_type = ContentType.objects.get_for_model(Forum)
    changes = [
        lambda: Contact.objects.filter(pk=p0.pk).update(receives_invitations=False),
        lambda: Suppression.objects.create(email=p1.email.upper(), reason="bounce"),
        lambda: Registration.objects.create(
            forum=forum, contact=p2, company=alpha, state="confirmed", source="staff"
        ),
        lambda: Mail.objects.create(
            kind=INVITATION,
            content_type=forum_type,
            object_id=forum.pk,
            recipient_email="p0@beta.example",
            subject="Einladung",
            text_body="Einladung",
        ),
        lambda: Relationship.objects.filter(company=partner).update(
            valid_to=timezone.localdate() - timedelta(days=1)
        ),
        lambda: Contact.objects.filter(email="p2@beta.example").update(email=""),
        lambda: Contact.objects.filter(email="p1@beta.example").delete(),
    ]
    seen = [first]
    for change in changes:
        change()
        counts = _page_counts(client, forum)
        assert counts == _fresh_counts(forum)
        assert counts != seen[-1]
        seen.append(counts)
    assert seen[-1]["to_send"] == 0

    # Another forum's mails leave this forum's fingerprint as it was.
    state = audience_cache.fingerprint(forum.pk)
    other = make_forum(title="Anderes Forum")
    Mail.objects.create(
        kind=INVITATION,
        content_type=forum_type,
        object_id=other.pk,
        recipient_email="p0@alpha.example",
        subject="Einladung",
        text_body="Einladung",
    )
    assert audience_cache.fingerprint(forum.pk) == state


def test_a_check_that_does_not_name_its_tables_turns_the_cache_off(settings, forum, cluster):
    def keep_everyone(queryset):
        return queryset

    settings.INVITATION_AUDIENCE_FILTERS = ["tests.forums.test_invitation_page_cache.KEEP"]
    global KEEP
    KEEP = keep_everyone
    assert audience_cache.fingerprint(forum.pk) is None
    KEEP.depends_on = ()
    assert audience_cache.fingerprint(forum.pk) is not None
    assert invitation_audience.depends_on


KEEP = None


@pytest.mark.parametrize("page", ["2", "x", "99"])
def test_recipient_pages_from_the_cache_match_the_query(
    client, cluster_manager, forum, make_company, page
):
    settings_free = [make_company(f"Firma{i} GmbH", contacts=6) for i in range(5)]
    assert settings_free
    client.force_login(cluster_manager)
    html = client.get(_url(forum), {"page": page}).content.decode()
    number = {"2": 2, "x": 1, "99": 2}[page]
    forum = Forum.objects.select_related("cluster").get(pk=forum.pk)
    expected = list(audience.recipients(forum, Contact.objects.all(), INVITATION))
    shown = expected[(number - 1) * 25 : number * 25]
    assert len(shown) == {1: 25, 2: 5}[number]
    for contact in shown:
        assert contact.email in html
    assert f"{number}" in html


def test_a_cached_page_changes_when_registration_closes(
    client, cluster_manager, make_forum, make_company, time_machine
):
    forum = make_forum(registration_closes_at=timezone.now() + timedelta(hours=1))
    make_company("Alpha GmbH")
    client.force_login(cluster_manager)
    assert 'id="send-button"' in client.get(_url(forum)).content.decode()
    time_machine.move_to(forum.registration_closes_at + timedelta(seconds=1))
    html = client.get(_url(forum)).content.decode()
    assert 'id="send-button"' not in html
    assert "registration is open" in html or "Anmeldung" in html


def test_a_draft_page_is_not_shared_its_header_holds_a_csrf_token(
    client, cluster_manager, make_forum, make_company
):
    draft = make_forum(state=Forum.State.DRAFT, published_at=None)
    make_company("Alpha GmbH")
    client.force_login(cluster_manager)
    first = client.get(_url(draft)).content.decode()
    assert "csrfmiddlewaretoken" in first
    client.logout()
    client.force_login(cluster_manager)
    client.get("/")  # a new session, a new token
    second = client.get(_url(draft)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second).group(1)
    assert token not in first


@pytest.mark.django_db(transaction=True)
def test_the_prepared_fingerprint_works_on_every_threads_connection(forum):
    """Each thread has its own database session: each prepares the statement for itself."""
    import threading

    from django.db import connection

    results, errors = [], []

    def read():
        try:
            results.extend(audience_cache.fingerprint(forum.pk) for _ in range(3))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1 and len(results) == 12


def test_every_logged_member_table_has_its_trigger(db):
    """The log's count stands for these tables only if each of them writes to it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'forums_audience_changed'"
        )
        triggered = {name for (name,) in cursor.fetchall()}
    assert {model._meta.db_table for model in audience_cache.LOGGED_MODELS} == triggered
    before = audience_cache.fingerprint(0)
    Contact.objects.filter(pk=-1).update(first_name="x")  # a statement, even without rows
    assert audience_cache.fingerprint(0) != before


def test_the_cached_preview_follows_an_edited_mail_text(
    client, cluster_manager, forum, make_company
):
    from outbox.mailtexts import catalogue, services

    make_company("Alpha GmbH", contacts=2)
    client.force_login(cluster_manager)
    before = client.get(_url(forum)).content.decode()
    assert 'id="preview-subject"' in before and "Neue Worte" not in before
    services.mail_text_save(
        mail_type=catalogue.get_or_404("forum_invitation"),
        language="de",
        draft={
            "subject": "Neue Worte: {{ forum.title }}",
            "body_markdown": "Neue Worte zur Einladung: {{ forum.title }}.",
        },
        actor=cluster_manager,
    )
    after = client.get(_url(forum)).content.decode()
    assert f'<span id="preview-subject">Neue Worte: {forum.title}</span>' in after
