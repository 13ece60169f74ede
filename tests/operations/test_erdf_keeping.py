"""ERDF evidence is kept per funded project: five years from 31 December of the year of the
project's last payment (Reg. 2021/1060 Art. 82), without end while no date is entered. Held
workshops of a programme a project counts, and attendance at the forums of a project where it
counts as support, are that evidence; shared by several projects, the longest keeping wins."""

from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from forums.models import Registration
from funding.models import ErdfProject
from members.models import Cluster, Contact
from operations.models import RetentionReview
from operations.retention import RetentionProtected, deletion_check, keeping_of
from operations.review import retention_review_confirm, retention_review_create
from privacy.erasure import contact_erase
from sefex.models import Workshop
from tests import factories
from tests.forums.conftest import build_forum

from .data import funded_programme

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def project(name, *, programme=None, forums=(), forums_count=False, paid=None) -> ErdfProject:
    made = ErdfProject.objects.create(
        name=name,
        period=ErdfProject.Period.P2021,
        programme=programme,
        forums_count=forums_count,
        last_payment_on=paid,
    )
    made.forums.set(forums)
    return made


def held_workshop(company, manager) -> Workshop:
    """A held workshop of the funded programme; no de-minimis record, so only ERDF keeps it."""
    module = funded_programme().modules.get()
    return factories.held_workshop(company, module, manager, date(2024, 5, 6))


@pytest.fixture
def forum():
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    return build_forum(cluster)


def attend(forum, company, state=Registration.State.ATTENDED) -> Registration:
    contact = Contact.objects.create(
        company=company, first_name="Erika", last_name="Teilnehmerin", email="erika@alpha.example"
    )
    return Registration.objects.create(
        forum=forum, contact=contact, company=company, state=state, source="staff"
    )


@contextmanager
def refused(**kwargs):
    with pytest.raises(RetentionProtected, **kwargs) as caught, transaction.atomic():
        yield caught


def test_two_projects_on_one_programme_keep_its_workshops_until_the_later_payment(
    company_a, project_manager
):
    workshop = held_workshop(company_a, project_manager)
    project("EFRE I", programme=workshop.programme, paid=date(2030, 3, 1))
    project("EFRE II", programme=workshop.programme, paid=date(2032, 5, 1))
    with translation.override("de"), pytest.raises(RetentionProtected) as caught:
        deletion_check(workshop, today=date(2037, 12, 31))
    assert "31.12.2037" in str(caught.value.args[0])
    assert "2021/1060" in str(caught.value.args[0])
    deletion_check(workshop, today=date(2038, 1, 1))  # both have run out


def test_a_project_without_a_date_keeps_the_evidence_without_end(company_a, project_manager):
    workshop = held_workshop(company_a, project_manager)
    project("EFRE I", programme=workshop.programme, paid=date(2020, 3, 1))
    undated = project("EFRE II", programme=workshop.programme)
    with translation.override("de"), pytest.raises(RetentionProtected, match="letzten Zahlung"):
        deletion_check(workshop, today=date(2099, 1, 1))
    undated.last_payment_on = date(2021, 12, 31)
    undated.save()
    assert keeping_of(workshop).until == date(2026, 12, 31)


def test_a_workshop_of_a_programme_no_project_counts_is_not_erdf_evidence(
    company_a, project_manager
):
    workshop = held_workshop(company_a, project_manager)
    project("Anderes Projekt", programme=funded_programme(), paid=None)
    assert keeping_of(workshop) is None
    Workshop.objects.filter(pk=workshop.pk).delete()
    assert not Workshop.objects.filter(pk=workshop.pk).exists()


def test_attendance_at_a_counted_forum_is_refused_deletion_and_kept_through_erasure(
    forum, company_a
):
    project("EFRE Foren", forums=[forum], forums_count=True)
    registration = attend(forum, company_a)
    with translation.override("de"), refused() as caught:
        Registration.objects.filter(pk=registration.pk).delete()
    message = str(caught.value.args[0])
    assert message.startswith("Nicht gelöscht: Anmeldung")
    assert "Zahlung" in message and "2021/1060" in message
    with refused():
        registration.delete()
    with refused():
        forum.delete()  # the cascade reaches the registration

    contact_erase(contact=registration.contact, actor=None, reason="Antrag per Brief")
    registration.refresh_from_db()
    assert registration.state == Registration.State.ATTENDED  # kept ...
    contact = Contact.objects.get(pk=registration.contact_id)
    assert (contact.first_name, contact.last_name, contact.email) == (
        "Anonymisiert",
        f"#{contact.pk}",
        "",
    )  # ... the person is gone


def test_other_registrations_and_uncounted_forums_are_not_protected(forum, company_a):
    confirmed = attend(forum, company_a, state=Registration.State.CONFIRMED)
    other = build_forum(forum.cluster, title="Forum ohne Förderung")
    uncounted = attend(other, company_a)
    project("EFRE Foren", forums=[forum], forums_count=True)
    project("EFRE ohne Foren", forums=[other], forums_count=False)
    assert keeping_of(confirmed) is None and keeping_of(uncounted) is None
    Registration.objects.filter(pk__in=[confirmed.pk, uncounted.pk]).delete()
    assert not Registration.objects.filter(pk__in=[confirmed.pk, uncounted.pk]).exists()


def test_the_review_lists_attendance_only_when_every_project_holding_it_has_run_out(
    forum, company_a, agency_admin
):
    registration = attend(forum, company_a)
    first = project("EFRE I", forums=[forum], forums_count=True, paid=date(2020, 6, 30))
    second = project("EFRE II", forums=[forum], forums_count=True)

    today = date(2026, 1, 2)  # the first project's keeping ended on 31.12.2025
    assert not retention_review_create(today=today).items.exists()  # the second keeps it
    second.last_payment_on = date(2021, 2, 1)
    second.save()
    assert not retention_review_create(today=today).items.exists()  # until 31.12.2026
    first.forums_count = False  # the first no longer counts it: only the second decides
    first.save()
    assert not retention_review_create(today=today).items.exists()

    next_year = date(2027, 1, 2)
    review = retention_review_create(today=next_year)
    item = review.items.get()
    assert (item.content_type.model, item.object_id) == ("registration", registration.pk)
    assert item.kept_until == date(2026, 12, 31)
    assert Registration.objects.filter(pk=registration.pk).exists()  # listed, not deleted
    with time_machine.travel(datetime(2027, 1, 2, 12, tzinfo=BERLIN), tick=False):
        # The guard checks against the real day, as a confirmation does.
        assert retention_review_confirm(review=review, actor=agency_admin) == 1
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert RetentionReview.objects.get(pk=review.pk).confirmed_by == agency_admin


def test_the_review_lists_a_workshop_once_the_later_of_two_payments_has_run_out(
    company_a, project_manager
):
    workshop = held_workshop(company_a, project_manager)
    project("EFRE I", programme=workshop.programme, paid=date(2020, 3, 1))
    project("EFRE II", programme=workshop.programme, paid=date(2022, 3, 1))
    assert not retention_review_create(today=date(2027, 6, 1)).items.exists()
    item = retention_review_create(today=date(2028, 1, 2)).items.get()
    assert (item.content_type.model, item.object_id) == ("workshop", workshop.pk)
    assert item.kept_until == date(2027, 12, 31)


def test_a_project_holding_evidence_is_not_deleted_before_it(forum, company_a):
    empty = project("EFRE ohne Nachweise", forums=[forum], forums_count=True)
    ErdfProject.objects.filter(pk=empty.pk).delete()  # nothing held yet: it may go
    holding = project("EFRE Foren", forums=[forum], forums_count=True)
    attend(forum, company_a)
    with translation.override("de"), refused(match="EFRE-Projekt EFRE Foren"):
        holding.delete()
    holding.last_payment_on = date(2019, 1, 10)
    holding.save()
    deletion_check(holding, today=date(2025, 1, 1))  # 31.12.2024 has passed


def test_the_admin_enters_the_last_payment_on_the_project(client, forum, agency_admin):
    client.force_login(agency_admin)
    edited = project("EFRE Foren", forums=[forum], forums_count=True)
    url = reverse("admin:funding_erdfproject_change", args=[edited.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Letzte Zahlung an das Projekt" in page and "Nachweise aufbewahrt bis" in page
    response = client.post(
        url,
        {
            "name": edited.name,
            "period": edited.period,
            "fund": edited.fund,
            "forums_count": "on",
            "forums": [forum.pk],
            "last_payment_on": "15.03.2027",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    edited.refresh_from_db()
    assert edited.last_payment_on == date(2027, 3, 15)
    assert edited.keep_until == date(2032, 12, 31)
    listing = client.get(reverse("admin:funding_erdfproject_changelist"), HTTP_ACCEPT_LANGUAGE="de")
    assert "31.12.2032" in listing.content.decode()


def test_the_admin_shows_the_refusal_and_deletes_nothing(client, forum, company_a, agency_admin):
    client.force_login(agency_admin)
    holding = project("EFRE Foren", forums=[forum], forums_count=True)
    registration = attend(forum, company_a)
    url = reverse("admin:forums_registration_delete", args=[registration.pk])
    response = client.post(url, {"post": "yes"}, HTTP_ACCEPT_LANGUAGE="de", follow=True)
    assert response.redirect_chain[0][0] == url.removesuffix("delete/")
    page = response.content.decode()
    assert "Nicht gelöscht: Anmeldung" in page and "2021/1060" in page
    assert Registration.objects.filter(pk=registration.pk).exists()

    changelist = reverse("admin:forums_registration_changelist")
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [registration.pk], "post": "yes"},
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )
    assert "Nicht gelöscht: Anmeldung" in response.content.decode()
    assert Registration.objects.filter(pk=registration.pk).exists()

    url = reverse("admin:funding_erdfproject_delete", args=[holding.pk])
    response = client.post(url, {"post": "yes"}, HTTP_ACCEPT_LANGUAGE="de", follow=True)
    assert "Nicht gelöscht: EFRE-Projekt EFRE Foren" in response.content.decode()
    assert ErdfProject.objects.filter(pk=holding.pk).exists()
