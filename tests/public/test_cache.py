"""Anonymous pages come from the cache, are dropped when a forum or its seats change, and
never carry a CSRF token: a second visitor's POST after a cached page works."""

import re
import time

import pytest
from django.conf import settings
from django.core.cache import cache as django_cache
from django.test import Client
from django.urls import reverse

from forums import services as forum_services
from forums.models import Registration
from publicpages import cache
from publicpages.models import PublicRequest
from tests.forums.conftest import build_forum
from tests.html import forms

pytestmark = pytest.mark.django_db
ORIGIN = "http://testserver"


def _forum_url(forum) -> str:
    return reverse("public:forum", args=[forum.cluster.slug, forum.pk])


def _seats(page: str) -> str:
    return re.search(r"(\d+) Plätze frei", page).group(1)


def test_the_second_visit_comes_from_the_cache(cluster, forum, django_assert_max_num_queries):
    url = _forum_url(forum)
    first = Client().get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(0):  # one round trip to the cache, no query
        second = Client().get(url)
    assert second.content == first.content
    assert second["Cache-Control"] == f"public, max-age={settings.PUBLIC_PAGE_CACHE_SECONDS}"
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in second["Vary"].split(",")}
    for page in ("public:overview",):
        Client().get(reverse(page))
        with django_assert_max_num_queries(0):
            Client().get(reverse(page))


def test_a_registration_drops_the_clusters_pages(
    cluster, forum, make_company, django_capture_on_commit_callbacks
):
    url = _forum_url(forum)
    listing = reverse("public:cluster", args=[cluster.slug])
    assert _seats(Client().get(url).content.decode()) == "10"
    Client().get(listing)
    company = make_company("Beta GmbH")
    with django_capture_on_commit_callbacks(execute=True):
        registration = forum_services.registration_create(
            forum=forum, contact=company.contacts.first()
        )
    assert _seats(Client().get(url).content.decode()) == "9"
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.registration_cancel(registration=registration)
    assert _seats(Client().get(url).content.decode()) == "10"


def test_a_forum_change_drops_its_pages(
    cluster, forum, cluster_manager, django_capture_on_commit_callbacks
):
    url = _forum_url(forum)
    Client().get(url)
    Client().get(reverse("public:overview"))
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.forum_update(forum=forum, actor=cluster_manager, title="Neuer Titel")
    assert "Neuer Titel" in Client().get(url).content.decode()
    assert "Neuer Titel" in Client().get(reverse("public:overview")).content.decode()


def test_seats_shown_are_never_older_than_the_cache_time(cluster, forum, make_company, settings):
    """A change the signals do not see (a bulk update) shows once the cached page expires."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 1
    url = _forum_url(forum)
    assert _seats(Client().get(url).content.decode()) == "10"
    company = make_company("Beta GmbH")
    contact = company.contacts.first()
    Registration.objects.bulk_create(
        [
            Registration(
                forum=forum, contact=contact, company=company, state="confirmed", source="staff"
            )
        ]
    )
    assert _seats(Client().get(url).content.decode()) == "10"  # still the cached page
    time.sleep(1.2)
    assert _seats(Client().get(url).content.decode()) == "9"


def test_logged_in_people_get_their_own_page(cluster, forum, cluster_manager):
    url = _forum_url(forum)
    Client().get(url)
    staff = Client()
    staff.force_login(cluster_manager)
    assert cluster_manager.email in staff.get(url).content.decode()
    assert cluster_manager.email not in Client().get(url).content.decode()


def test_cached_pages_carry_no_token_and_a_second_visitors_post_works(cluster):
    forum = build_forum(cluster, audience="open")
    url = _forum_url(forum)
    first = Client(enforce_csrf_checks=True)
    cached = first.get(url).content.decode()
    assert "csrfmiddlewaretoken" not in cached
    assert not [f for f in forms(cached) if f["method"] == "post"]

    second = Client(enforce_csrf_checks=True)
    page = second.get(url)
    assert page.content.decode() == cached  # the very same HTML, from the cache
    assert settings.CSRF_COOKIE_NAME not in second.cookies
    register_url = reverse("public:register", args=[cluster.slug, forum.pk])
    assert register_url in cached
    form_page = second.get(register_url)
    assert settings.CSRF_COOKIE_NAME in second.cookies
    form = next(f for f in forms(form_page.content.decode()) if f["method"] == "post")
    token = form["fields"]["csrfmiddlewaretoken"][1]
    data = {
        "csrfmiddlewaretoken": token,
        "first_name": "Nora",
        "last_name": "Neu",
        "company": "Neu Metallbau GmbH",
        "email": "nora@neu.example",
        "privacy": "on",
    }
    without = {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
    assert second.post(register_url, without, headers={"origin": ORIGIN}).status_code == 403
    assert not PublicRequest.objects.exists()
    done = second.post(register_url, data, headers={"origin": ORIGIN})
    assert done.status_code == 302
    assert PublicRequest.objects.filter(contact__email="nora@neu.example").exists()
    # The first visitor's form page has its own token, and works as well.
    first_form = first.get(register_url)
    first_token = next(f for f in forms(first_form.content.decode()) if f["method"] == "post")[
        "fields"
    ]["csrfmiddlewaretoken"][1]
    again = first.post(
        register_url,
        {**data, "csrfmiddlewaretoken": first_token, "email": "otto@neu.example"},
        headers={"origin": ORIGIN},
    )
    assert again.status_code == 302


def test_each_process_keeps_a_page_a_few_seconds_without_asking_the_cache(
    cluster, forum, settings, django_capture_on_commit_callbacks, make_company
):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 30
    cache.forget_local()
    url = _forum_url(forum)
    first = Client().get(url)
    django_cache.clear()  # the shared cache is gone: this process still has the page
    assert Client().get(url).content == first.content
    # A change written in this process drops its copies at once.
    company = make_company("Beta GmbH")
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.registration_create(forum=forum, contact=company.contacts.first())
    assert _seats(Client().get(url).content.decode()) == "9"
    cache.forget_local()


def test_a_process_copy_never_outlives_the_shared_entry(cluster, forum, settings, make_company):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 30
    settings.PUBLIC_PAGE_CACHE_SECONDS = 1
    cache.forget_local()
    url = _forum_url(forum)
    assert _seats(Client().get(url).content.decode()) == "10"
    company = make_company("Beta GmbH")
    Registration.objects.bulk_create(  # a write the signals do not see
        [
            Registration(
                forum=forum,
                contact=company.contacts.first(),
                company=company,
                state="confirmed",
                source="staff",
            )
        ]
    )
    time.sleep(1.2)
    assert _seats(Client().get(url).content.decode()) == "9"
    cache.forget_local()
