"""Baseline of the registration rush: the least a registration can do safely.

Lock the forum row, count the seats taken, insert the registration (confirmed or on the
waiting list). No token, no rules, no audit, no mail: what locking and counting cost alone.
"""

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def bare_register(request, forum_id: int, contact_id: int):
    from forums.models import Forum, Registration
    from members.models import Contact

    company_id = Contact.objects.values_list("company_id", flat=True).get(pk=contact_id)
    with transaction.atomic():
        forum = Forum.objects.select_for_update().get(pk=forum_id)
        taken = Registration.objects.filter(forum=forum, state__in=Registration.SEAT_STATES).count()
        total = Registration.objects.filter(forum=forum).count()
        now = timezone.now()
        confirmed = taken < forum.capacity
        Registration.objects.bulk_create(
            [
                Registration(
                    forum=forum,
                    contact_id=contact_id,
                    company_id=company_id,
                    source=Registration.Source.PORTAL,
                    state=Registration.State.CONFIRMED
                    if confirmed
                    else Registration.State.WAITLISTED,
                    waitlist_position=None if confirmed else total - taken + 1,
                    created_at=now,
                )
            ]
        )
    return HttpResponse(status=201)
