from collections import Counter

import pytest
from django.core.management import call_command

from forums.models import Feedback, Forum, Registration

State = Registration.State


@pytest.mark.django_db
def test_demo_forums_once_and_consistent():
    call_command("seed_demo")
    counts = (Forum.objects.count(), Registration.objects.count(), Feedback.objects.count())
    call_command("seed_demo")
    assert (Forum.objects.count(), Registration.objects.count(), Feedback.objects.count()) == counts
    states = Counter(Forum.objects.filter(cluster__slug="metall").values_list("state", flat=True))
    assert states == {"held": 2, "published": 2, "draft": 1}
    plastics = Counter(
        Forum.objects.filter(cluster__slug="kunststoff").values_list("state", flat=True)
    )
    assert plastics == {"held": 1, "published": 1, "draft": 1}
    assert Registration.objects.filter(forum__cluster__slug="kunststoff").exists()
    held = Forum.objects.filter(state="held")
    assert Registration.objects.filter(forum__in=held, state=State.ATTENDED).exists()
    assert Registration.objects.filter(forum__in=held, state=State.NO_SHOW).exists()
    assert Feedback.objects.exists()
    for forum in Forum.objects.all():
        seats = forum.registrations.filter(state__in=Registration.SEAT_STATES)
        assert seats.count() <= forum.capacity
        per_company = Counter(seats.values_list("company_id", flat=True))
        assert max(per_company.values(), default=0) <= forum.seats_per_company
        waiting = forum.registrations.filter(state=State.WAITLISTED).order_by("waitlist_position")
        assert [r.waitlist_position for r in waiting] == list(range(1, waiting.count() + 1))
    full = Forum.objects.get(title__contains="Industrie 4.0")
    assert full.registrations.filter(state=State.WAITLISTED).exists()
