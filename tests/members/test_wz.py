"""One economic activity code per company: WZ 2025 (= NACE Rev. 2.1) and WZ 2008 classes, checked
against the shipped lists of the cluster's divisions, free (but well-formed) elsewhere; sectors
group the codes; certificates and the register carry the WZ 2025 class, never a range."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import wz
from members.models import Company, Sector


@pytest.mark.parametrize(
    ("raw", "edition", "stored"),
    [
        ("25.62", "wz2008", "25.62"),
        ("25,53", "wz2025", "25.53"),
        ("2553", "wz2025", "25.53"),
        ("25.53.1", "wz2025", "25.53.1"),
        ("28.97", "wz2025", "28.97"),  # additive manufacturing machinery: new in WZ 2025
        ("25.50", "wz2008", "25.50"),
        ("46.72", "wz2025", "46.72"),  # another division: free entry, checked for its form
        ("", "wz2025", ""),
    ],
)
def test_valid_codes(raw, edition, stored):
    assert wz.validate(raw, edition) == stored


@pytest.mark.parametrize(
    ("raw", "edition", "code"),
    [
        ("25.50", "wz2025", "unknown"),  # forging moved to 25.40 in WZ 2025
        ("25.53", "wz2008", "unknown"),  # machining is 25.62 in WZ 2008
        ("28.97", "wz2008", "unknown"),
        ("22.19", "wz2025", "unknown"),
        ("25.6", "wz2025", "format"),  # a group, not a class
        ("24.1-24.4", "wz2025", "format"),  # a range is never a code
        ("00.10", "wz2008", "format"),
        ("25.53.12", "wz2025", "format"),
    ],
)
def test_invalid_codes_are_refused(raw, edition, code):
    with pytest.raises(ValidationError) as error:
        wz.validate(raw, edition)
    assert error.value.code == code


def test_every_shipped_class_has_a_german_title_and_belongs_to_a_shipped_division():
    for edition in wz.EDITIONS:
        classes = wz.classes(edition)
        assert {code[:2] for code in classes} == wz.SHIPPED_DIVISIONS
        assert all(wz.CODE.match(code) and title.strip() for code, title in classes.items())
    assert wz.title("25.53.0", "wz2025") == "Mechanik a. n. g."


@pytest.mark.django_db
def test_sectors_group_the_codes():
    sectors = list(Sector.objects.order_by("number"))
    numbers = [s.number for s in wz.sectors_of("25.62", "25.53", sectors)]
    assert numbers == [6]
    assert [s.number for s in wz.sectors_of("", "28.13", sectors)] == [11, 12]
    assert [s.number for s in wz.sectors_of("24.33", "", sectors)] == [1]
    assert wz.sectors_of("", "24.51", sectors)[0].number == 2


@pytest.mark.django_db
def test_company_form_refuses_a_wrong_code_in_german_and_saves_nothing(cm_client, company_a):
    url = reverse("members:company_edit", args=[company_a.pk])
    data = {"legal_name": company_a.legal_name, "country": "DE", "wz2025": "25.50"}
    response = cm_client.post(url, data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "ist keine Klasse der Abteilung 25 in WZ 2025" in response.content.decode()
    company_a.refresh_from_db()
    assert company_a.wz2025 == ""
    data.update(wz2025="25,53", wz2008="2562")
    assert cm_client.post(url, data).status_code == 302
    company_a.refresh_from_db()
    assert (company_a.wz2025, company_a.wz2008) == ("25.53", "25.62")
    page = cm_client.get(reverse("members:company", args=[company_a.pk])).content.decode()
    assert "WZ 2025 25.53 Mechanik a. n. g." in page


@pytest.mark.django_db
def test_the_register_snapshot_is_the_wz2025_class_never_a_range():
    from funding.aid_services import company_snapshot

    company = Company.objects.create(legal_name="Guss GmbH", wz2025="24.53.0", wz2008="24.53")
    company.sectors.add(Sector.objects.get(number=1))
    assert company_snapshot(company)["nace_code"] == "24.53"
    plain = Company.objects.create(legal_name="Ohne Code GmbH")
    plain.sectors.add(Sector.objects.get(number=1))  # "24.1-24.4": a range, not taken
    assert company_snapshot(plain)["nace_code"] == ""
