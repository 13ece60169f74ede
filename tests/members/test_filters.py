"""CompanyFilter and ContactFilter: each criterion, combined, on PostgreSQL full-text search."""

from datetime import date
from decimal import Decimal as D

import pytest

from members.filters import CompanyFilter, ContactFilter
from members.models import Cluster, Company, Contact, Relationship, Sector, SmeClass, Topic
from members.selectors import contacts_invitable
from members.services import sme_figures_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    metall = Cluster.objects.create(slug="metall", name="MetallDIALOG")
    kunststoff = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    energy = Topic.objects.get(slug="energieeffizienz")
    machining = Sector.objects.get(number=6)
    alpha = Company.objects.create(
        legal_name="Alpha Präzision GmbH", postcode="74072", city="Heilbronn"
    )
    beta = Company.objects.create(
        legal_name="Beta Stanztechnik GmbH", postcode="74172", city="Neckarsulm"
    )
    gamma = Company.objects.create(legal_name="Gamma Guss AG", postcode="75031", city="Eppingen")
    alpha.sectors.add(machining)
    Relationship.objects.create(
        company=alpha, cluster=metall, kind="member", valid_from=date(2020, 1, 1)
    )
    # beta: member of the plastics cluster but only partner of MetallDIALOG
    Relationship.objects.create(
        company=beta, cluster=kunststoff, kind="member", valid_from=date(2020, 1, 1)
    )
    Relationship.objects.create(
        company=beta, cluster=metall, kind="partner", valid_from=date(2021, 1, 1)
    )
    # gamma was a member until 2022, former since
    Relationship.objects.create(
        company=gamma,
        cluster=metall,
        kind="member",
        valid_from=date(2015, 1, 1),
        valid_to=date(2022, 12, 31),
    )
    Relationship.objects.create(
        company=gamma, cluster=metall, kind="former", valid_from=date(2023, 1, 1)
    )
    anna = Contact.objects.create(
        company=alpha, first_name="Anna", last_name="Amsel", email="anna@alpha.example"
    )
    anna.topics.add(energy)
    Contact.objects.create(
        company=beta,
        first_name="Bruno",
        last_name="Bussard",
        email="b@beta.example",
        receives_invitations=False,
    )
    Contact.objects.create(company=gamma, first_name="Gerd", last_name="Geier", email="")
    sme_figures_save(
        company=alpha, fiscal_year=2024, staff_units=D(5), turnover=D(10**6), balance_sheet=D(10**6)
    )
    sme_figures_save(
        company=beta,
        fiscal_year=2024,
        staff_units=D(300),
        turnover=D(10**8),
        balance_sheet=D(10**8),
    )
    return locals()


def companies(**params):
    return {
        c.legal_name.split()[0] for c in CompanyFilter(params, queryset=Company.objects.all()).qs
    }


def contacts(**params):
    return {c.first_name for c in ContactFilter(params, queryset=Contact.objects.all()).qs}


def test_cluster_and_relationship_mean_one_relationship(world):
    metall, kunststoff = world["metall"], world["kunststoff"]
    assert companies(cluster=metall.pk) == {"Alpha", "Beta", "Gamma"}
    assert companies(relationship="member") == {"Alpha", "Beta"}
    assert companies(cluster=metall.pk, relationship="member") == {"Alpha"}
    assert companies(cluster=kunststoff.pk, relationship="member") == {"Beta"}
    assert companies(relationship="former") == {"Gamma"}
    assert contacts(cluster=metall.pk, relationship="member") == {"Anna"}


def test_sector_sme_topic_postcode(world):
    assert companies(sector=world["machining"].pk) == {"Alpha"}
    assert companies(sme_class=[SmeClass.MICRO]) == {"Alpha"}
    assert companies(sme_class=[SmeClass.MICRO, SmeClass.LARGE]) == {"Alpha", "Beta"}
    assert companies(topic=world["energy"].pk) == {"Alpha"}
    assert companies(postcode="74") == {"Alpha", "Beta"}
    assert companies(postcode="741") == {"Beta"}
    assert contacts(postcode="75") == {"Gerd"}
    assert contacts(sme_class=[SmeClass.LARGE]) == {"Bruno"}
    assert contacts(topic=world["energy"].pk) == {"Anna"}
    assert contacts(sector=world["machining"].pk) == {"Anna"}


def test_search_over_company_contact_and_city(world):
    assert companies(q="alph") == {"Alpha"}
    assert companies(q="Neckarsulm") == {"Beta"}
    assert companies(q="bussard") == {"Beta"}
    # words may match different things, all must match
    assert companies(q="anna heilbronn") == {"Alpha"}
    assert companies(q="anna neckarsulm") == set()
    # punctuation is no tsquery syntax error
    assert companies(q="Gamma & | ! ( :*") == {"Gamma"}
    assert contacts(q="heilbronn") == {"Anna"}
    # in the contact list a name finds that person, not their colleagues
    Contact.objects.create(company=world["alpha"], first_name="Otto", last_name="Ohm")
    assert contacts(q="anna") == {"Anna"}
    assert contacts(q="alpha") == {"Anna", "Otto"}
    assert companies(q="otto") == {"Alpha"}


def test_invitation_choice_and_invitable(world):
    assert contacts(receives_invitations="false") == {"Bruno"}
    assert contacts(receives_invitations="true") == {"Anna", "Gerd"}
    # Gerd has no address, Bruno was deselected by his company
    assert {c.first_name for c in contacts_invitable()} == {"Anna"}


def test_invalid_filter_values_do_not_break(world):
    f = CompanyFilter({"sme_class": ["huge"], "cluster": "999999"}, queryset=Company.objects.all())
    assert not f.is_valid()
    assert "sme_class" in f.errors


def test_filter_form_renders_the_chosen_values(world):
    f = ContactFilter(
        {
            "sme_class": ["micro", "large"],
            "receives_invitations": "false",
            "relationship": "member",
        },
        queryset=Contact.objects.all(),
    )
    html = str(f.form)
    assert '<option value="micro" selected>' in html
    assert '<option value="large" selected>' in html
    assert '<option value="small">' in html
    assert (
        'name="sme_class" multiple' in html or "multiple" in html.split('name="sme_class"')[1][:40]
    )
    assert '<option value="false" selected>' in html
    assert '<option value="member" selected>' in html
    assert f'<option value="{world["metall"].pk}">MetallDIALOG</option>' in html
    # values are escaped
    Topic.objects.create(name="<b>Löten</b>", slug="loeten")
    html = str(ContactFilter({}, queryset=Contact.objects.all()).form)
    assert "&lt;b&gt;Löten&lt;/b&gt;" in html


def test_postgres_search_can_use_the_gin_indexes(world):
    """The search expressions match the indexes of migration 0006 (else they would rot)."""
    from django.db import connection

    queryset = CompanyFilter({"q": "alph"}, queryset=Company.objects.all()).qs
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "company_search_idx" in plan
    assert "contact_search_idx" in plan
