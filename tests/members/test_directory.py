"""The directory: same number of queries for 10 and 1,000 companies; filters and search on
the page; export of the filtered list."""

import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import selectors
from members.models import Cluster, Company, Contact, Relationship, Sector

# Session, login, roles from the cache; count, page rows, their relationships, sectors (prefetches).
# The filter form's cluster, sector and topic lists come from the cache after the first view.
DIRECTORY_QUERIES = 4


def make_companies(count: int) -> None:
    """Bulk: companies with a current membership, two sectors and two contacts each."""
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    sectors = list(Sector.objects.order_by("number"))
    start = Company.objects.count()
    companies = Company.objects.bulk_create(
        Company(
            legal_name=f"Firma {start + i:05d} GmbH",
            postcode=f"74{i % 1000:03d}",
            city="Heilbronn",
            sme_class="small",
        )
        for i in range(count)
    )
    Relationship.objects.bulk_create(
        Relationship(company=c, cluster=cluster, kind="member", valid_from=date(2020, 1, 1))
        for c in companies
    )
    links = Company.sectors.through
    links.objects.bulk_create(
        links(company_id=c.pk, sector_id=sectors[i % len(sectors)].pk)
        for i, c in enumerate(companies)
    )
    links.objects.bulk_create(
        links(company_id=c.pk, sector_id=sectors[(i + 3) % len(sectors)].pk)
        for i, c in enumerate(companies)
    )
    Contact.objects.bulk_create(
        Contact(company=c, first_name="Vera", last_name=f"Kontakt{n}")
        for c in companies
        for n in (1, 2)
    )


def _directory(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("members:directory"), params)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"relationship": "member", "sme_class": "small", "postcode": "74", "page": "2"}],
)
def test_directory_query_count_does_not_grow(cm_client, django_assert_num_queries, params):
    make_companies(10 if not params else 60)
    _directory(cm_client, params)  # fills the filter choices' cache
    with django_assert_num_queries(DIRECTORY_QUERIES):
        small, _ = _directory(cm_client, params)
    make_companies(1000)
    with django_assert_num_queries(DIRECTORY_QUERIES):
        large, _ = _directory(cm_client, params)
    rows = large.context["rows"]
    assert len(rows) == 50
    # the rows carry what the table shows
    assert rows[0]["contacts"] == 2
    assert (
        rows[0]["relationships"] == ["MetallDIALOG: Mitglied"] or len(rows[0]["relationships"]) == 1
    )
    assert len(rows[0]["sectors"]) == 2
    assert rows[0]["sectors"][0] in large.content.decode()  # the name, not the number
    assert rows[0]["url"] in large.content.decode()


def test_filter_lists_show_a_new_cluster_sector_or_topic_at_once(cm_client):
    """The cached filter lists are dropped when a cluster, sector or topic is saved."""
    from members.models import Topic

    _directory(cm_client, {})  # the lists are cached now
    Cluster.objects.create(slug="neu", name="Neuer Cluster")
    Sector.objects.create(number=99, name="Neue Branche", wz2008="99", wz2025="99")
    topic = Topic.objects.create(name="Neues Thema", slug="neu")
    page, _ = _directory(cm_client, {})
    html = page.content.decode()
    assert "Neuer Cluster" in html and "Neue Branche" in html and "Neues Thema" in html
    topic.is_active = False
    topic.save()
    page, _ = _directory(cm_client, {})
    assert "Neues Thema" not in page.content.decode()


def test_directory_filters_search_and_page(cm_client, company_a, company_b):
    page = cm_client.get(reverse("members:directory"), {"q": "alpha"}).content.decode()
    assert company_a.legal_name in page
    assert company_b.legal_name not in page
    page = cm_client.get(reverse("members:directory"), {"q": "Bruno"}).content.decode()
    assert company_b.legal_name in page and company_a.legal_name not in page
    # a bad filter value is a form error, not a 500
    response = cm_client.get(reverse("members:directory"), {"sme_class": "huge", "page": "x"})
    assert response.status_code == 200


def test_directory_rows_are_escaped_and_an_empty_result_says_so(cm_client, company_a):
    company_a.legal_name = "<b>Alpha</b> & Söhne"
    company_a.save()
    page = cm_client.get(reverse("members:directory"), {"q": "Alpha"}).content.decode()
    assert "&lt;b&gt;Alpha&lt;/b&gt; &amp; Söhne</a>" in page and "<b>Alpha" not in page
    page = cm_client.get(reverse("members:directory"), {"q": "Niemand"}).content.decode()
    assert '<td colspan="6">Kein Unternehmen passt zu diesen Filtern.</td>' in page


def test_search_fallback_without_postgres(monkeypatch, company_a, company_b):
    monkeypatch.setattr(selectors, "_uses_postgres", lambda queryset: False)
    found = selectors.search_companies_or_contacts(
        Company.objects.all(), "anna heilbronn", company_ref="pk", prefix=""
    )
    assert list(found) == [company_a]
    found = selectors.search_companies_or_contacts(
        Contact.objects.all(), "neckarsulm", company_ref="company_id", prefix="company__"
    )
    assert [c.first_name for c in found] == ["Bruno"]


def test_export_of_the_filtered_directory(cm_client, company_a, company_b):
    response = cm_client.get(reverse("members:directory_export", args=["csv"]), {"q": "beta"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Beta Stanztechnik GmbH" in text and "Bruno" in text
    assert "Alpha" not in text
    response = cm_client.get(reverse("members:directory_export", args=["xlsx"]), {"q": "alpha"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Firma"
    assert [r[0] for r in rows[1:]] == ["Alpha Präzisionstechnik GmbH"]


def test_contact_list_filters_and_exports(cm_client, company_a, company_b):
    Contact.objects.filter(first_name="Bruno").update(receives_invitations=False)
    page = cm_client.get(reverse("members:contacts"), {"receives_invitations": "false"})
    assert [c.first_name for c in page.context["page"]] == ["Bruno"]
    response = cm_client.get(
        reverse("members:contacts_export", args=["csv"]), {"receives_invitations": "true"}
    )
    text = response.content.decode("utf-8-sig")
    assert "Anna" in text and "Bruno" not in text
