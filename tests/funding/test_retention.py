"""Funding records outlive the people in them (GDPR Art. 17(3)(b)): deleting or anonymising a
contact changes no aid record, no certificate and no ERDF figure."""

from datetime import timedelta

from django.utils import timezone

from funding import selectors
from funding import services as funding
from funding.models import AidRecord
from members.services import contact_delete
from sefex import services as sefex

from .conftest import declare, future, held


def erdf_figures():
    today = timezone.localdate()
    report = selectors.erdf_report(today - timedelta(days=365), today + timedelta(days=365))
    return {
        key: report[key]
        for key in ("supported", "by_class", "workshops", "hours", "workshop_participants")
    } | {
        "aid_value": report["aid_value"],
        "register": list(
            selectors.register_rows(
                today - timedelta(days=365), today + timedelta(days=365)
            ).values_list("number", "company_name", "value", "grant_date", "nace_code")
        ),
    }


def test_erasing_or_anonymising_a_participant_changes_no_record_and_no_figure(
    module, project_manager, company_a
):
    declare(company_a, project_manager)
    first, second = list(company_a.contacts.all()) + [
        company_a.contacts.create(first_name="Berta", last_name="Beispiel", email="b@alpha.example")
    ]
    workshop = held(company_a, module, project_manager, future(), participants=[first, second])
    record = AidRecord.objects.get(workshop=workshop)
    assert record.participants == 2
    pdf = funding.certificate_issue(record=record)
    before = erdf_figures()
    fields_before = AidRecord.objects.filter(pk=record.pk).values().get()

    # Anonymise one person, erase the other.
    first.first_name, first.last_name, first.email, first.phone = "Anonymisiert", "", "", ""
    first.save()
    contact_delete(contact=second)

    assert not company_a.contacts.filter(pk=second.pk).exists()
    assert workshop.participants.count() == 1  # the workshop itself forgot the person ...
    assert erdf_figures() == before  # ... the funding figures did not
    assert AidRecord.objects.filter(pk=record.pk).values().get() == fields_before
    assert funding.certificate_issue(record=record) == pdf


def test_participants_edited_by_the_project_manager_keep_the_count_current(
    module, project_manager, company_a
):
    declare(company_a, project_manager)
    contacts = list(company_a.contacts.all())
    extra = company_a.contacts.create(first_name="Carl", last_name="Co")
    workshop = held(company_a, module, project_manager, future(), participants=contacts)
    sefex.workshop_update(workshop=workshop, actor=project_manager, participants=[*contacts, extra])
    assert AidRecord.objects.get(workshop=workshop).participants == len(contacts) + 1
    sefex.workshop_update(workshop=workshop, actor=project_manager, participants=[extra])
    assert AidRecord.objects.get(workshop=workshop).participants == 1
