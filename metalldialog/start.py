"""What the start page asks each role to act on, read from the apps' selectors.

Every list is one query whatever its length (the page asserts its query count at two sizes);
each entry carries what the page needs to link to where the work is done.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cockpit import selectors as cockpit_selectors
from crm import selectors as crm_selectors
from forums import selectors as forum_selectors
from logins.permissions import is_company_admin
from members import selectors as member_selectors
from members.clusters import within_clusters
from outbox.catalogue import kind_label
from sefex import selectors as sefex_selectors
from sefex.models import Workshop

LIMIT = 5


def _failed_mails(within) -> dict:
    failed = cockpit_selectors.failed_mails(None, within)
    rows = [{**row, "kind_label": kind_label(row["kind"])} for row in failed["rows"][:LIMIT]]
    return {"rows": rows, "total": failed["total"]}


def cluster_manager(user, *, now=None) -> dict:
    """Next forums with their registration state (approvals waiting among it), failed mails,
    overdue action items, the user's tasks due and sleeping members nobody follows up."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Only the clusters the manager runs (None: every cluster).
    within = within_clusters(user)
    return {
        "tasks": crm_selectors.tasks_due(user, today, limit=LIMIT),
        "sleeping": crm_selectors.sleeping_without_follow_up(
            limit=LIMIT, today=today, within=within
        ),
        "forums": cockpit_selectors.upcoming_forums(None, now, within)[:LIMIT],
        "failed_mails": _failed_mails(within),
        "overdue": cockpit_selectors.overdue_action_items(
            None, timezone.localdate(now), limit=LIMIT
        ),
    }


def project_manager(user, *, now=None) -> dict:
    """Requests to answer, proposals without an answer, minutes to release, overdue items,
    the user's tasks due."""
    now = now or timezone.now()
    queue = sefex_selectors.manager_queue()
    return {
        "tasks": crm_selectors.tasks_due(user, timezone.localdate(now), limit=LIMIT),
        "requests": queue[Workshop.State.REQUESTED],
        "proposals": queue[Workshop.State.SLOTS_PROPOSED],
        "unreleased": queue[Workshop.State.HELD],
        "overdue": cockpit_selectors.overdue_action_items(
            None, timezone.localdate(now), limit=LIMIT
        ),
        "now": now,
    }


@dataclass(frozen=True)
class Gap:
    key: str
    text: str
    url: str
    action: str


def _gap(key: str) -> Gap:
    profile = reverse("members:portal_profile")
    texts = {
        "address": (_("The address is incomplete."), profile, _("Complete the profile")),
        "sectors": (_("No sector is chosen."), profile, _("Choose sectors")),
        "production": (
            _("It is not recorded whether you manufacture to order or sell own products."),
            profile,
            _("Complete the profile"),
        ),
        "contact_email": (
            _("No contact has an e-mail address: nobody receives invitations."),
            reverse("members:portal_contact_create"),
            _("Add a contact"),
        ),
        "identifier": (
            _(
                "Neither a commercial register number nor a VAT id is recorded; the cluster "
                "management needs one for funding reports."
            ),
            reverse("members:portal"),
            _("See the company data"),
        ),
    }
    text, url, action = texts[key]
    return Gap(key, text, url, action)


def company_user(company, *, user=None, now=None) -> dict:
    """Next forum and workshops, open action items, what the company's data lacks; for the
    company's administrator of logins, the way to its colleagues' logins."""
    now = now or timezone.now()
    forums = list(forum_selectors.forums_upcoming(company=company)[:1])
    return {
        "next_forum": forums[0] if forums else None,
        "workshops": sefex_selectors.company_next_workshops(company, now=now),
        "action_items": sefex_selectors.company_open_action_items(company),
        "gaps": [_gap(key) for key in member_selectors.company_gaps(company)],
        "contacts": list(member_selectors.company_contacts(company)[:10]),
        "today": timezone.localdate(now),
        "manages_logins": user is not None and is_company_admin(user),
    }
