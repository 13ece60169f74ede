"""Demo data of SEFEX: the 2017-2018 programme with its held and documented workshops, and a
current programme with workshops in every state (requests, proposals, bookings, minutes).

Seed rows are written directly (they describe the past; no mails go out for them) but keep every
rule the services keep: no overlaps, minutes only for held workshops. Deterministic and
idempotent: a second run finds the programme and changes nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from core.roles import Role
from members.models import Company, User

from .models import (
    ActionItem,
    AvailabilityException,
    AvailabilityRule,
    Finding,
    MaturityAssessment,
    Module,
    Programme,
    ProposedSlot,
    Workshop,
)

BERLIN = ZoneInfo("Europe/Berlin")
HISTORIC_NAME = "SEFEX 2017–2018"
CURRENT_NAME = "SEFEX II"
MODULES = [
    ("Strategisches Management", "Ziele, Geschäftsmodell, Strategieprozess"),
    ("Effizienzsteigerung", "Prozesse, Kosten, Digitalisierung der Fertigung"),
    ("Expansion", "Neue Märkte, eigene Produkte statt reiner Lohnfertigung"),
]
AGENDA = (
    "1. Begrüßung und Ziele des Workshops\n2. Ist-Analyse: Kunden, Produkte, Prozesse\n"
    "3. Handlungsfelder und Prioritäten\n4. Vereinbarte Maßnahmen und nächste Schritte"
)
SITUATIONS = [
    "Überwiegend Lohnfertigung für zwei Großkunden aus der Automobilzulieferung.",
    "Hohe Rüstzeiten, Auftragsplanung in Tabellen, wenig Kennzahlen.",
    "Erste eigene Baugruppe entwickelt, Vertrieb bisher nur über persönliche Kontakte.",
]
GOALS = [
    "Abhängigkeit vom größten Kunden unter 40 % senken; Strategie schriftlich festhalten.",
    "Rüstzeiten um 20 % senken; Kennzahlen-Cockpit für die Fertigung einführen.",
    "Eigenes Produkt auf einer Fachmesse zeigen; zwei neue Absatzmärkte prüfen.",
]
ACTIONS = [
    "Kundenportfolio analysieren (ABC-Analyse)",
    "SMED-Workshop für die Dreherei planen",
    "Messeauftritt auf der AMB prüfen",
    "Kennzahlen für Liefertreue definieren",
    "Produktdatenblatt für die eigene Baugruppe erstellen",
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BERLIN)


def _programmes() -> tuple[Programme, Programme, list[Module], list[Module]]:
    historic = Programme.objects.create(
        name=HISTORIC_NAME,
        funding_start=date(2016, 10, 1),
        funding_end=date(2019, 9, 30),
        planned_workshops=40,
        hourly_value=Decimal("120.00"),
        default_duration_hours=Decimal("4"),
        is_active=False,
    )
    today = timezone.localdate()
    current = Programme.objects.create(
        name=CURRENT_NAME,
        funding_start=date(today.year - 1, 1, 1),
        funding_end=date(today.year + 2, 12, 31),
        planned_workshops=30,
        hourly_value=Decimal("135.00"),
        default_duration_hours=Decimal("4"),
    )
    modules = []
    for programme in (historic, current):
        modules.append(
            [
                Module.objects.create(programme=programme, name=name, description=text, position=i)
                for i, (name, text) in enumerate(MODULES)
            ]
        )
    return historic, current, modules[0], modules[1]


def _minutes(
    workshop: Workshop, rng: random.Random, *, level: int, today: date, settled: bool = False
) -> None:
    """Minutes with two action items. `settled`: the programme is over, so every item was
    ticked off or dropped long ago (open items from years back would be no one's work)."""
    workshop.agenda = AGENDA
    workshop.summary = "Gemeinsam Handlungsfelder festgelegt; Maßnahmen mit Verantwortlichen."
    workshop.save(update_fields=["agenda", "summary"])
    index = workshop.module.position % len(SITUATIONS)
    Finding.objects.create(
        workshop=workshop, module=workshop.module, situation=SITUATIONS[index], goals=GOALS[index]
    )
    contacts = list(workshop.company.contacts.all()[:3])
    for n in range(2):
        if settled:
            due = timezone.localdate(workshop.starts_at) + timedelta(days=30 * (n + 1))
            state = ActionItem.State.DONE if rng.random() < 0.8 else ActionItem.State.DROPPED
        else:
            # A quick first step and a longer second one; what fell due more than two weeks
            # ago is done, so a recent workshop shows one item a few days overdue.
            due = timezone.localdate(workshop.starts_at) + timedelta(days=(7, 45)[n])
            done = due < today - timedelta(days=14)
            state = ActionItem.State.DONE if done else ActionItem.State.OPEN
        ActionItem.objects.create(
            workshop=workshop,
            title=rng.choice(ACTIONS),
            owner=contacts[n % len(contacts)] if contacts else None,
            due_on=due,
            state=state,
            done_at=_at(due, 9) if state == ActionItem.State.DONE else None,
        )

    def score(base):
        return max(1, min(5, base + rng.choice([-1, 0, 0, 1])))

    MaturityAssessment.objects.create(
        workshop=workshop,
        strategy=score(level),
        market_access=score(level),
        product_portfolio=max(1, min(5, level)),
        efficiency=score(level + 1),
        organisation=score(level),
        note="Einschätzung der Projektleitung nach dem Workshop.",
    )


def _workshop(programme, company, module, manager, state, start=None, hours=4, **extra):
    values = {
        "programme": programme,
        "company": company,
        "module": module,
        "project_manager": manager,
        "state": state,
        "duration_hours": Decimal(hours),
        "place": Workshop.Place.COMPANY,
        "place_detail": f"{company.street}, {company.postcode} {company.city}".strip(", "),
    }
    if start is not None:
        values.update(starts_at=start, ends_at=start + timedelta(hours=hours))
    values.update(extra)
    workshop = Workshop.objects.create(**values)
    contacts = list(company.contacts.all()[:2])
    if contacts:
        workshop.participants.set(contacts)
    return workshop


@transaction.atomic
def seed_sefex() -> dict:
    """Creates the programmes and workshops once; returns what it did."""
    if Programme.objects.filter(name=HISTORIC_NAME).exists():
        return {"created": False}
    manager = User.objects.filter(groups__name=Role.PROJECT_MANAGER.value).order_by("pk").first()
    companies = list(Company.objects.order_by("pk")[:14])
    if manager is None or len(companies) < 14:
        return {"created": False, "skipped": "needs the demo companies and a project manager"}
    rng = random.Random(2017)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    historic, current, old_modules, new_modules = _programmes()
    State = Workshop.State
    count = 0

    def closed_historic(company, module, start, level):
        workshop = _workshop(
            historic,
            company,
            module,
            manager,
            State.CLOSED,
            start,
            held_on=start.date(),
            documented_at=start + timedelta(days=3),
            closed_at=start + timedelta(days=40),
        )
        _minutes(workshop, rng, level=level, today=today, settled=True)

    # 2017-2018: three workshops each for five companies (one per module), maturity rising.
    day = date(2017, 2, 7)
    for company in companies[:5]:
        for level, module in enumerate(old_modules, start=1):
            closed_historic(company, module, _at(day, 9), level + rng.choice([0, 1]))
            count += 1
            day += timedelta(days=rng.choice([35, 42, 49]))
    # Two more closed in late 2018 and one cancelled: the programme ended in 2019, so nothing
    # of it waits for anyone any more (held-without-minutes and documented-not-closed
    # workshops are the current programme's below).
    closed_historic(companies[5], old_modules[0], _at(date(2018, 10, 9), 13), 2)
    closed_historic(companies[6], old_modules[1], _at(date(2018, 11, 13), 9), 2)
    _workshop(
        historic,
        companies[7],
        old_modules[2],
        None,
        State.CANCELLED,
        cancelled_at=_at(date(2018, 3, 1), 10),
        cancel_reason="Auftragsspitze im Betrieb",
    )
    count += 3

    # Now: every state of the current programme.
    monday = today - timedelta(days=today.weekday())
    past = monday - timedelta(days=14)
    w = _workshop(
        current,
        companies[0],
        new_modules[2],
        manager,
        State.CLOSED,
        _at(past - timedelta(days=60), 9),
        held_on=past - timedelta(days=60),
        documented_at=_at(past - timedelta(days=55), 9),
        closed_at=_at(past - timedelta(days=20), 9),
    )
    _minutes(w, rng, level=4, today=today)
    w = _workshop(
        current,
        companies[1],
        new_modules[1],
        manager,
        State.DOCUMENTED,
        _at(past, 9),
        held_on=past,
        documented_at=_at(past + timedelta(days=2), 9),
    )
    _minutes(w, rng, level=3, today=today)
    _workshop(
        current,
        companies[8],
        new_modules[0],
        manager,
        State.HELD,
        _at(past + timedelta(days=2), 13),
        held_on=past + timedelta(days=2),
    )
    _workshop(
        current,
        companies[9],
        new_modules[0],
        manager,
        State.SCHEDULED,
        _at(monday + timedelta(days=8), 9),
    )
    _workshop(
        current,
        companies[10],
        new_modules[1],
        manager,
        State.SCHEDULED,
        _at(monday + timedelta(days=17), 13),
        place=Workshop.Place.ONLINE,
        online_url="https://meet.example/sefex-demo",
    )
    proposed = _workshop(current, companies[0], new_modules[0], manager, State.SLOTS_PROPOSED)
    for offset, hour in ((9, 13), (10, 9), (15, 9)):
        start = _at(monday + timedelta(days=offset), hour)
        ProposedSlot.objects.create(
            workshop=proposed, starts_at=start, ends_at=start + timedelta(hours=4)
        )
    requested = [
        (companies[11], new_modules[2]),
        (companies[12], new_modules[0]),
        (companies[1], new_modules[2]),
    ]
    for company, module in requested:
        _workshop(
            current,
            company,
            module,
            None,
            State.REQUESTED,
            preferred_from=today + timedelta(days=14),
            preferred_until=today + timedelta(days=60),
            request_note="Wir möchten unsere Abhängigkeit von der Lohnfertigung verringern.",
        )
    _workshop(
        current,
        companies[13],
        new_modules[1],
        None,
        State.CANCELLED,
        cancelled_at=_at(past, 10),
        cancel_reason="Auf das nächste Jahr verschoben",
    )
    count += 10

    # The manager's week: Tuesday and Thursday, morning and afternoon; one day off.
    for weekday in (1, 3):
        for start, end in ((time(9), time(13)), (time(13), time(17))):
            AvailabilityRule.objects.create(
                project_manager=manager,
                weekday=weekday,
                start_time=start,
                end_time=end,
                valid_from=date(today.year, 1, 1),
            )
    AvailabilityException.objects.create(
        project_manager=manager, date=monday + timedelta(days=22), note="Urlaub"
    )
    return {"created": True, "workshops": count}
