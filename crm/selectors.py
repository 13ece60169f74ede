"""Reads for the contact history; each a fixed number of queries whatever the rows."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from cockpit import engagement
from forums.invitations import INVITATION
from forums.models import Forum, Registration
from members.models import Company, Contact
from outbox.catalogue import kind_label
from outbox.models import Mail

from .models import Activity, Task

TIMELINE_LIMIT = engagement.TIMELINE_LIMIT
DONE_SHOWN_DAYS = 14


def _open_tasks():
    return Task.objects.filter(done_at__isnull=True)


def company_activities(company: Company, within: Q | None = None) -> list[Activity]:
    """The newest activities with their contacts and tasks (three queries); `within` narrows
    them to a cluster manager's clusters (agency-wide ones stay)."""
    clusters = Q() if within is None else within | Q(cluster__isnull=True)
    return list(
        Activity.objects.filter(clusters, company=company)
        .select_related("author")
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("last_name", "first_name")),
            Prefetch("tasks", queryset=Task.objects.select_related("assignee")),
        )[:TIMELINE_LIMIT]
    )


def company_mails(company: Company):
    """Mails sent to the company's people (invitations are in the timeline already)."""
    return (
        Mail.objects.filter(contact__company=company, state=Mail.State.SENT)
        .exclude(kind=INVITATION)
        .order_by("-sent_at", "-pk")
        .values("pk", "kind", "subject", "sent_at", "contact__first_name", "contact__last_name")[
            :TIMELINE_LIMIT
        ]
    )


def company_registrations(company: Company, within: Q | None = None):
    """Registrations of the company's people not yet attended (those are in the cockpit's part):
    registered, waiting, cancelled, missed; at forums `within` a cluster manager's clusters."""
    return (
        Registration.objects.filter(company=company, forum__in=Forum.objects.filter(within or Q()))
        .exclude(state=Registration.State.ATTENDED)
        .order_by("-created_at", "-pk")
        .values(
            "forum_id",
            "forum__title",
            "state",
            "created_at",
            "contact__first_name",
            "contact__last_name",
        )[:TIMELINE_LIMIT]
    )


def company_timeline(company: Company, within: Q | None = None) -> list[dict]:
    """Activities, registrations, forums attended, workshops, invitations and mails, newest
    first (nine queries); `within` (on a cluster field) keeps a cluster manager's clusters."""
    events = engagement.company_timeline(company, within)
    states = dict(Registration.State.choices)
    for row in company_registrations(company, within):
        events.append(
            {
                "kind": "registration",
                "at": row["created_at"],
                "title": row["forum__title"],
                "who": f"{row['contact__first_name']} {row['contact__last_name']}",
                "label": states.get(row["state"], row["state"]),
                "forum": row["forum_id"],
            }
        )
    for activity in company_activities(company, within):
        events.append(
            {
                "kind": "activity",
                "at": activity.happened_on,
                "title": activity.topic,
                "activity": activity,
            }
        )
    for row in company_mails(company):
        events.append(
            {
                "kind": "mail",
                "at": row["sent_at"],
                "title": row["subject"],
                "who": f"{row['contact__first_name']} {row['contact__last_name']}",
                "label": kind_label(row["kind"]),
                "pk": row["pk"],
            }
        )

    def moment(event):
        at = event["at"]
        if not hasattr(at, "hour"):  # a day: its end, so it sorts after that day's events
            return timezone.make_aware(timezone.datetime(at.year, at.month, at.day, 23, 59))
        return at

    return sorted(events, key=moment, reverse=True)[:TIMELINE_LIMIT]


def company_open_tasks(company: Company) -> list[Task]:
    return list(_open_tasks().filter(company=company).select_related("assignee"))


def company_section(company: Company, within: Q | None = None) -> dict:
    return {
        "timeline": company_timeline(company, within),
        "open_tasks": company_open_tasks(company),
        "today": timezone.localdate(),
    }


def my_tasks(user) -> dict:
    """The user's open tasks (oldest due first) and those done in the last two weeks."""
    since = timezone.now() - timedelta(days=DONE_SHOWN_DAYS)
    tasks = list(
        Task.objects.filter(Q(done_at__isnull=True) | Q(done_at__gte=since), assignee=user)
        .select_related("company")
        .order_by("due_on", "pk")
    )
    return {
        "open": [task for task in tasks if not task.is_done],
        "done": [task for task in tasks if task.is_done],
        "today": timezone.localdate(),
    }


def tasks_due(user, today: date, *, limit: int) -> dict:
    """The user's open tasks due today or earlier (one query)."""
    rows = list(
        _open_tasks()
        .filter(assignee=user, due_on__lte=today)
        .select_related("company")
        .order_by("due_on", "pk")[: limit + 1]
    )
    return {"rows": rows[:limit], "more": len(rows) > limit}


def sleeping_without_follow_up(
    *, limit: int, today: date | None = None, within: Q | None = None
) -> dict:
    """Sleeping members (see cockpit.engagement) nobody has an open task for (one query);
    `within` narrows to a cluster manager's clusters."""
    rows = list(
        engagement.sleeping_members(today=today, within=within).filter(
            ~Exists(_open_tasks().filter(company_id=OuterRef("pk")))
        )[: limit + 1]
    )
    return {"rows": rows[:limit], "more": len(rows) > limit}


def open_task_companies(company_ids) -> set[int]:
    """Which of these companies have an open task (one query)."""
    return set(
        _open_tasks().filter(company_id__in=company_ids).values_list("company_id", flat=True)
    )
