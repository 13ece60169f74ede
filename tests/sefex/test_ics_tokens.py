"""Calendar entries keep Berlin wall-clock time across DST; links expire and cannot be altered;
the admin pages for the programme and workshops open."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from sefex.ics import workshop_ics
from sefex.models import Workshop
from sefex.tokens import (
    TokenError,
    TokenExpired,
    make_slot_token,
    read_feedback_token,
    read_slot_token,
)

from .conftest import future, proposed

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize("day", ["2027-03-30", "2027-10-26"])  # after the switch to summer/winter
def test_ics_keeps_local_time_across_dst(company_a, module, project_manager, day):
    start = datetime.fromisoformat(day).replace(hour=9, tzinfo=BERLIN)
    workshop = Workshop.objects.create(
        programme=module.programme,
        company=company_a,
        module=module,
        project_manager=project_manager,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        state=Workshop.State.SCHEDULED,
    )
    calendar = Calendar.from_ical(
        workshop_ics(workshop, "REQUEST", attendees=[("a@alpha.example", "Anna")])
    )
    event = next(iter(calendar.walk("VEVENT")))
    begin = event.decoded("dtstart")
    assert (begin.hour, str(begin.tzinfo)) == (9, "Europe/Berlin")
    assert begin == start and event.decoded("dtend") - begin == timedelta(hours=4)
    assert calendar.walk("VTIMEZONE")
    assert "a@alpha.example" in str(event["ATTENDEE"])


def test_slot_tokens_expire_and_are_tamper_proof(company_a, module, project_manager):
    workshop = proposed(company_a, module, project_manager, [future(3), future(4)])
    contact = company_a.contacts.first()
    token = make_slot_token(
        contact=contact, workshop=workshop, expires_at=timezone.now() + timedelta(hours=1)
    )
    data = read_slot_token(token)
    assert (data.contact_id, data.workshop_id) == (contact.pk, workshop.pk)
    with pytest.raises(TokenExpired):
        read_slot_token(token, now=timezone.now() + timedelta(hours=2))
    with pytest.raises(TokenError):
        read_feedback_token(token)  # another purpose
    with pytest.raises(TokenError):
        read_slot_token(token[:-2] + "xx")


def test_expired_link_page_says_why(client, company_a, module, project_manager):
    workshop = proposed(company_a, module, project_manager, [future(3), future(4)])
    token = make_slot_token(
        contact=company_a.contacts.first(),
        workshop=workshop,
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    response = client.get(reverse("sefex:token", args=[token]))
    assert response.status_code == 400
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SLOTS_PROPOSED


def test_admin_pages_open_for_the_project_manager(client, project_manager, company_a, module):
    proposed(company_a, module, project_manager, [future(3), future(4)])
    client.force_login(project_manager)
    for model in ("programme", "workshop", "availabilityrule", "availabilityexception"):
        assert client.get(reverse(f"admin:sefex_{model}_changelist")).status_code == 200, model
    assert (
        client.get(reverse("admin:sefex_programme_change", args=[module.programme_id])).status_code
        == 200
    )
