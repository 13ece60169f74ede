"""The registrations page of a forum at an agency: 500 registrations among thousands of
contacts. The list comes a page at a time and the form to register a contact (whose list
holds everyone not registered yet) loads when asked for, so the page stays light."""

from django.urls import reverse

from forums.models import Registration
from members.models import Company, Contact

HTMX = {"HTTP_HX_REQUEST": "true"}


def _people(prefix: str, companies: int) -> list[Contact]:
    """Two contacts in each of `companies` companies, in a few queries."""
    made = Company.objects.bulk_create(
        Company(legal_name=f"{prefix}{i:04d} GmbH", city="Heilbronn") for i in range(companies)
    )
    return Contact.objects.bulk_create(
        Contact(
            company=company,
            first_name=f"Gast{j}",
            last_name=f"{prefix}{i:04d}",
            email=f"gast{j}@{prefix.lower()}{i:04d}.example",
        )
        for i, company in enumerate(made)
        for j in range(2)
    )


def test_page_stays_light_and_the_form_comes_on_demand(client, cluster_manager, make_forum):
    forum = make_forum(capacity=600, seats_per_company=2)
    registered = _people("Angemeldet", 250)
    Registration.objects.bulk_create(
        Registration(
            forum=forum,
            contact=contact,
            company=contact.company,
            state=Registration.State.CONFIRMED,
            source=Registration.Source.STAFF,
        )
        for contact in registered
    )
    _people("Kontakt", 1000)  # 2,000 contacts not registered
    client.force_login(cluster_manager)
    url = reverse("forums:staff_registrations", args=[forum.pk])
    page = client.get(url)
    assert len(page.content) < 150_000, len(page.content)
    html = page.content.decode()
    assert "<option" not in html
    form_url = reverse("forums:staff_add_form", args=[forum.pk])
    assert f'data-hx-get="{form_url}"' in html and f'href="{form_url}"' in html

    fragment = client.get(form_url, **HTMX).content.decode()
    assert "<html" not in fragment
    assert fragment.count("<option") == 1 + 2000  # the empty choice and everyone not registered
    assert "Kontakt0999" in fragment and "Angemeldet0000" not in fragment
    assert 'name="csrfmiddlewaretoken"' in fragment

    # Without JavaScript the link opens the form as a page of its own.
    whole = client.get(form_url).content.decode()
    assert "<html" in whole and whole.count("<option") == 2001

    added = Contact.objects.get(email="gast0@kontakt0999.example")
    client.post(reverse("forums:staff_add", args=[forum.pk]), {"contact": added.pk})
    assert Registration.objects.filter(forum=forum, contact=added).exists()


def test_the_form_is_for_cluster_management_only(client, company_user_a, make_forum):
    forum = make_forum()
    url = reverse("forums:staff_add_form", args=[forum.pk])
    assert "login" in client.get(url)["Location"]
    client.force_login(company_user_a)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code in (403, 405)
