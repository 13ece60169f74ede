"""Demo forums for `make run`: two held forums with attendance and feedback, two ahead (one
full with a waiting list), one draft. Deterministic; running it again changes nothing.

Written with the models directly (not the services) so that seeding the demo queues no mails;
the states follow the same rules the services apply (seats, company cap, waiting list order).
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from members.models import Cluster, Contact, Relationship, Topic

from .models import AgendaItem, Feedback, Forum, Registration

State = Registration.State

FORUMS = [
    # title, topic slugs, days from today, capacity, seats/company, state, registrations
    ("Metall-Forum: Fachkräfte sichern", ["fachkraefte"], -150, 35, 2, "held", 28),
    (
        "Metall-Forum: Energieeffizienz in der Fertigung",
        ["energieeffizienz"],
        -60,
        40,
        2,
        "held",
        33,
    ),
    (
        "Metall-Forum: Industrie 4.0 im Mittelstand",
        ["industrie-4-0", "automatisierung"],
        21,
        20,
        2,
        "published",
        25,
    ),
    (
        "Metall-Forum: Additive Fertigung in der Serie",
        ["additive-fertigung"],
        45,
        30,
        3,
        "published",
        8,
    ),
    ("Metall-Forum: Nachhaltigkeit und CO2-Bilanz", ["nachhaltigkeit"], 90, 30, 2, "draft", 0),
]
# The plastics cluster's own forums: one held, one ahead, one draft.
PLASTICS_FORUMS = [
    (
        "Kunststoff-Forum: Rezyklate in der Spritzgussfertigung",
        ["nachhaltigkeit"],
        -90,
        30,
        2,
        "held",
        18,
    ),
    (
        "Kunststoff-Forum: Werkzeugbau und Formenbau",
        ["automatisierung"],
        30,
        25,
        2,
        "published",
        12,
    ),
    (
        "Kunststoff-Forum: Energie sparen an der Spritzgießmaschine",
        ["energieeffizienz"],
        120,
        30,
        2,
        "draft",
        0,
    ),
]
DESCRIPTIONS = {
    "metall": (
        "Unternehmen der Metallbranche treffen sich beim Gastgeber vor Ort: "
        "Impulsvortrag, Betriebsrundgang und Austausch."
    ),
    "kunststoff": (
        "Kunststoffverarbeiter treffen sich beim Gastgeber vor Ort: "
        "Impulsvortrag, Betriebsrundgang und Austausch."
    ),
}
AGENDA = [
    (time(17, 0), time(17, 15), "Begrüßung und Vorstellungsrunde", "WFG Raum Heilbronn"),
    (time(17, 15), time(18, 0), "Impulsvortrag", "Gastgeber"),
    (time(18, 0), time(18, 45), "Betriebsrundgang", ""),
    (time(18, 45), time(20, 0), "Austausch beim Imbiss", ""),
]
COMMENTS = [
    "Sehr praxisnah, der Rundgang war das Highlight.",
    "Gute Gespräche mit anderen Betrieben.",
    "Vortrag etwas lang, sonst prima.",
    "",
    "Gerne mehr solcher Treffen.",
]


def _network_contacts(cluster) -> list[Contact]:
    """Contacts of member and partner companies, grouped by company (deterministic order)."""
    today = timezone.localdate()
    company_ids = Relationship.objects.filter(
        cluster=cluster,
        kind__in=[Relationship.Kind.MEMBER, Relationship.Kind.PARTNER],
        valid_to__isnull=True,
        valid_from__lte=today,
    ).values("company_id")
    return list(
        Contact.objects.filter(company_id__in=company_ids)
        .select_related("company")
        .order_by("company_id", "pk")
    )


@transaction.atomic
def seed_forums() -> dict:
    """Each cluster's demo forums, once (the plastics cluster's come to installations seeded
    before it had forums of its own)."""
    created = {"forums": 0, "registrations": 0, "feedback": 0, "created": False}
    for slug, plan, seed in (("metall", FORUMS, 2018), ("kunststoff", PLASTICS_FORUMS, 2019)):
        cluster = Cluster.objects.filter(slug=slug).first()
        if cluster is None or Forum.objects.filter(title=plan[0][0]).exists():
            continue
        for key, value in _seed_cluster_forums(cluster, plan, random.Random(seed)).items():  # noqa: S311 - demo data
            created[key] += value
        created["created"] = True
    return created


def _seed_cluster_forums(cluster: Cluster, plan: list, rng: random.Random) -> dict:
    contacts = _network_contacts(cluster)
    by_company: dict[int, list[Contact]] = {}
    for contact in contacts:
        by_company.setdefault(contact.company_id, []).append(contact)
    companies = list(by_company)
    hosts = [by_company[c][0].company for c in companies[:10]]
    first_company_id = contacts[0].company_id if contacts else None
    created = {"forums": 0, "registrations": 0, "feedback": 0}

    for index, (title, topics, days, capacity, per_company, state, wanted) in enumerate(plan):
        day = timezone.localdate() + timedelta(days=days)
        starts_at = timezone.make_aware(datetime.combine(day, time(17, 0)))
        host = hosts[index % len(hosts)] if hosts else None
        forum = Forum.objects.create(
            cluster=cluster,
            title=title,
            description=DESCRIPTIONS.get(cluster.slug, DESCRIPTIONS["metall"]),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            host_company=host,
            venue_name=host.legal_name if host else "WFG Raum Heilbronn",
            capacity=capacity,
            seats_per_company=per_company,
            registration_closes_at=starts_at - timedelta(days=2),
            audience=Forum.Audience.NETWORK,
            state=state,
            published_at=None if state == "draft" else starts_at - timedelta(days=40),
        )
        forum.topics.set(Topic.objects.filter(slug__in=topics))
        AgendaItem.objects.bulk_create(
            AgendaItem(forum=forum, starts_at=a, ends_at=b, title=t, speaker=s or "")
            for a, b, t, s in AGENDA
        )
        created["forums"] += 1
        # Pick people: the demo company user's company first in the forum ahead, then others.
        order = companies[:]
        rng.shuffle(order)
        if state == "published" and first_company_id in order:
            order.remove(first_company_id)
            order.insert(0, first_company_id)
        people = []
        for company_id in order:
            take = 2 if rng.random() < 0.25 else 1
            people.extend(by_company[company_id][:take])
            if len(people) >= wanted:
                break
        people = people[:wanted]
        seats, per, position = 0, {}, 0
        registrations = []
        for offset, contact in enumerate(people):
            registered_at = forum.published_at + timedelta(hours=3 * offset + 1)
            registration = Registration(
                forum=forum,
                contact=contact,
                company_id=contact.company_id,
                source=Registration.Source.PORTAL if offset % 3 else Registration.Source.INVITATION,
                created_at=registered_at,
            )
            fits = seats < capacity and per.get(contact.company_id, 0) < per_company
            if fits:
                seats += 1
                per[contact.company_id] = per.get(contact.company_id, 0) + 1
                registration.confirmed_at = registered_at
                if state == "held":
                    attended = rng.random() < 0.82
                    registration.state = State.ATTENDED if attended else State.NO_SHOW
                    registration.attended_at = (
                        starts_at + timedelta(minutes=5) if attended else None
                    )
                else:
                    registration.state = State.CONFIRMED
            else:
                position += 1
                registration.state = State.WAITLISTED
                registration.waitlist_position = position
                registration.waitlisted_at = registered_at
            registrations.append(registration)
        Registration.objects.bulk_create(registrations)
        created["registrations"] += len(registrations)
        if state == "held":
            feedback = [
                Feedback(
                    registration=r,
                    rating=rng.choice([3, 4, 4, 5, 5]),
                    comment=rng.choice(COMMENTS),
                    submitted_at=forum.ends_at + timedelta(days=1, hours=i),
                )
                for i, r in enumerate(registrations)
                if r.state == State.ATTENDED and rng.random() < 0.6
            ]
            Feedback.objects.bulk_create(feedback)
            created["feedback"] += len(feedback)
    return created


def seed_attendee_list() -> dict:
    """Every other attendee of the forums ahead agrees to be on the attendee list."""
    if Registration.objects.filter(listed_since__isnull=False).exists():
        return {"created": False}
    coming = Registration.objects.filter(
        state__in=Registration.SEAT_STATES, forum__starts_at__gte=timezone.now()
    ).order_by("pk")
    listed = [registration.pk for index, registration in enumerate(coming) if index % 2 == 0]
    Registration.objects.filter(pk__in=listed).update(listed_since=timezone.now())
    return {"created": True, "listed": len(listed)}
