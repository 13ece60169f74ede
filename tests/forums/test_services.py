"""Registration rules, the waiting list, staff moves and the forum's life."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.models import AuditEvent
from forums import services
from forums.audit import ForumAction, RegistrationAction
from forums.models import Feedback, Forum, Registration
from members.models import Relationship

State = Registration.State


def _contact(company):
    return company.contacts.order_by("pk").first()


def test_register_confirms_then_waitlists_on_company_cap(forum, make_company):
    company = make_company("Gamma GmbH", contacts=3)
    people = list(company.contacts.order_by("pk"))
    regs = [services.registration_create(forum=forum, contact=c) for c in people]
    assert [r.state for r in regs] == [State.CONFIRMED, State.CONFIRMED, State.WAITLISTED]
    assert regs[2].waitlist_position == 1
    assert regs[0].confirmed_at is not None and regs[2].waitlisted_at is not None


def test_full_forum_waitlists_in_order(make_forum, make_company):
    forum = make_forum(capacity=2, seats_per_company=5)
    people = list(make_company("Delta GmbH", contacts=4).contacts.order_by("pk"))
    regs = [services.registration_create(forum=forum, contact=c) for c in people]
    assert [r.state for r in regs] == [State.CONFIRMED] * 2 + [State.WAITLISTED] * 2
    assert [r.waitlist_position for r in regs[2:]] == [1, 2]


def test_cancel_promotes_first_waiting(make_forum, make_company):
    forum = make_forum(capacity=2, seats_per_company=5)
    people = list(make_company("Delta GmbH", contacts=4).contacts.order_by("pk"))
    regs = [services.registration_create(forum=forum, contact=c) for c in people]
    services.registration_cancel(registration=regs[0])
    regs = [Registration.objects.get(pk=r.pk) for r in regs]
    assert [r.state for r in regs] == [
        State.CANCELLED,
        State.CONFIRMED,
        State.CONFIRMED,
        State.WAITLISTED,
    ]
    assert regs[2].waitlist_position is None
    # Cancelling twice changes nothing and promotes nobody else.
    services.registration_cancel(registration=regs[0])
    assert Registration.objects.get(pk=regs[3].pk).state == State.WAITLISTED
    # The audit trail: each registration, the cancellation, the promotion by the system.
    trail = AuditEvent.objects.filter(action__startswith="registration.").order_by("pk")
    assert [(e.action, e.object_id, e.after["state"]) for e in trail] == [
        (RegistrationAction.CREATED, str(regs[0].pk), State.CONFIRMED),
        (RegistrationAction.CREATED, str(regs[1].pk), State.CONFIRMED),
        (RegistrationAction.CREATED, str(regs[2].pk), State.WAITLISTED),
        (RegistrationAction.CREATED, str(regs[3].pk), State.WAITLISTED),
        (RegistrationAction.CANCELLED, str(regs[0].pk), State.CANCELLED),
        (RegistrationAction.PROMOTED, str(regs[2].pk), State.CONFIRMED),
    ]
    assert all(e.actor_id is None for e in trail)


def test_renewed_registration_after_cancel(forum, company_a):
    contact = _contact(company_a)
    first = services.registration_create(forum=forum, contact=contact)
    services.registration_cancel(registration=first)
    again = services.registration_create(forum=forum, contact=contact)
    assert again.pk != first.pk and again.state == State.CONFIRMED


def _assert_refused(code, message_de, **kwargs):
    """The service refuses with `code`, says why in German, and writes nothing."""
    before = Registration.objects.count()
    with translation.override("de"), pytest.raises(ValidationError) as info:
        services.registration_create(**kwargs)
    assert info.value.code == code
    assert Registration.objects.count() == before
    if message_de:
        assert info.value.messages == [message_de]
    return info.value


REFUSALS_DE = {
    "closed": "Die Anmeldefrist ist abgelaufen.",
    "cancelled": "Dieses Forum wurde abgesagt.",
    "draft": "Dieses Forum ist noch nicht veröffentlicht.",
    "foreign": "Diese Person ist kein Kontakt Ihres Unternehmens.",
}


@pytest.mark.parametrize(
    ("code", "fields"),
    [
        ("closed", {"registration_closes_at": timezone.now() - timedelta(minutes=1)}),
        ("cancelled", {"state": Forum.State.CANCELLED}),
        ("draft", {"state": Forum.State.DRAFT, "published_at": None}),
    ],
)
def test_refused_registration_writes_nothing(make_forum, company_a, code, fields):
    forum = make_forum(**fields)
    _assert_refused(code, REFUSALS_DE[code], forum=forum, contact=_contact(company_a))


def test_company_user_cannot_register_other_company(forum, company_user_a, company_b):
    _assert_refused(
        "foreign",
        REFUSALS_DE["foreign"],
        forum=forum,
        contact=_contact(company_b),
        actor=company_user_a,
    )


def test_registration_not_yet_open(make_forum, company_a):
    forum = make_forum(registration_opens_at=timezone.now() + timedelta(days=1))
    _assert_refused("not_open", "", forum=forum, contact=_contact(company_a))


def test_forum_that_ended_takes_no_registration(make_forum, company_a, cluster_manager):
    start = timezone.now() - timedelta(days=1)
    forum = make_forum(starts_at=start, ends_at=start + timedelta(hours=2))
    _assert_refused("held", "", forum=forum, contact=_contact(company_a), actor=cluster_manager)


def test_duplicate_registration_refused(forum, company_a):
    contact = _contact(company_a)
    services.registration_create(forum=forum, contact=contact)
    _assert_refused("duplicate", "", forum=forum, contact=contact)


def test_audience_rules(make_forum, make_company, cluster_manager):
    members_only = make_forum(audience=Forum.Audience.MEMBERS)
    network = make_forum(audience=Forum.Audience.NETWORK)
    open_forum = make_forum(audience=Forum.Audience.OPEN)
    partner = make_company("Partner GmbH", kind=Relationship.Kind.PARTNER)
    outsider = make_company("Fremd GmbH", kind=None)
    _assert_refused("audience", "", forum=members_only, contact=_contact(partner))
    assert services.registration_create(forum=network, contact=_contact(partner)).state == (
        State.CONFIRMED
    )
    _assert_refused("audience", "", forum=network, contact=_contact(outsider))
    pending = services.registration_create(forum=open_forum, contact=_contact(outsider))
    assert pending.state == State.PENDING
    approved = services.registration_approve(registration=pending, actor=cluster_manager)
    assert approved.state == State.CONFIRMED
    # Staff may register anyone, also after the public deadline.
    late = make_forum(
        audience=Forum.Audience.MEMBERS,
        registration_closes_at=timezone.now() - timedelta(hours=1),
    )
    staff_reg = services.registration_create(
        forum=late, contact=_contact(outsider), actor=cluster_manager, source="staff"
    )
    assert staff_reg.state == State.CONFIRMED and staff_reg.registered_by == cluster_manager


def test_former_member_counts_as_outsider(make_forum, make_company, cluster):
    company = make_company("Ehemals GmbH", kind=None)
    Relationship.objects.create(
        company=company,
        cluster=cluster,
        kind=Relationship.Kind.MEMBER,
        valid_from="2015-01-01",
        valid_to="2019-12-31",
    )
    forum = make_forum(audience=Forum.Audience.MEMBERS)
    _assert_refused("audience", "", forum=forum, contact=_contact(company))


def test_staff_moves(make_forum, make_company, cluster_manager):
    forum = make_forum(capacity=2, seats_per_company=5)
    people = list(make_company("Epsilon GmbH", contacts=4).contacts.order_by("pk"))
    r0, r1, r2, r3 = [services.registration_create(forum=forum, contact=c) for c in people]
    # Swap the waiting list order.
    services.registration_waitlist_shift(registration=r3, actor=cluster_manager, up=True)
    r2.refresh_from_db(), r3.refresh_from_db()
    assert (r3.waitlist_position, r2.waitlist_position) == (1, 2)
    # Full: giving a seat by hand is refused with a reason, nothing changes.
    with pytest.raises(ValidationError):
        services.registration_confirm(registration=r2, actor=cluster_manager)
    # Moving a confirmed person to the waiting list promotes the first waiting (r3).
    services.registration_move_to_waitlist(registration=r0, actor=cluster_manager)
    for r in (r0, r2, r3):
        r.refresh_from_db()
    assert r3.state == State.CONFIRMED
    assert r0.state == State.WAITLISTED and r0.waitlist_position == 3
    # Raising the seats lets the waiting list in (forum_update promotes).
    services.forum_update(forum=forum, actor=cluster_manager, capacity=4)
    for r in (r0, r2):
        r.refresh_from_db()
    assert r2.state == State.CONFIRMED and r0.state == State.CONFIRMED


def test_check_in_and_close(make_forum, make_company, cluster_manager):
    forum = make_forum(capacity=3, seats_per_company=5)
    people = list(make_company("Zeta GmbH", contacts=4).contacts.order_by("pk"))
    r0, r1, r2, r3 = [services.registration_create(forum=forum, contact=c) for c in people]
    # Two weeks ahead: check-in opens on the forum's day, unless staff choose to open it early.
    with pytest.raises(ValidationError):
        services.registration_check_in(registration=r0, actor=cluster_manager)
    assert Registration.objects.get(pk=r0.pk).state == State.CONFIRMED

    def check_in(registration, **kwargs):
        return services.registration_check_in(
            registration=registration, actor=cluster_manager, early=True, **kwargs
        )

    check_in(r0)
    # A walk-in from the waiting list needs a seat first (here: one more seat), not a check-in
    # that passes the seat count and the company's cap.
    with pytest.raises(ValidationError):
        check_in(r3)
    assert Registration.objects.get(pk=r3.pk).state == State.WAITLISTED
    services.forum_update(forum=forum, actor=cluster_manager, capacity=4)
    check_in(r3)
    check_in(r1)
    check_in(r1, attended=False)
    with pytest.raises(ValidationError):
        services.forum_close(forum=forum, actor=cluster_manager)  # not over yet
    Forum.objects.filter(pk=forum.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    forum.refresh_from_db()
    services.forum_close(forum=forum, actor=cluster_manager)
    states = {r.pk: Registration.objects.get(pk=r.pk).state for r in (r0, r1, r2, r3)}
    assert states == {
        r0.pk: State.ATTENDED,
        r1.pk: State.NO_SHOW,
        r2.pk: State.NO_SHOW,
        r3.pk: State.ATTENDED,
    }
    forum.refresh_from_db()
    assert forum.state == Forum.State.HELD
    # Late arrival recorded afterwards.
    services.registration_check_in(registration=r2, actor=cluster_manager)
    assert Registration.objects.get(pk=r2.pk).state == State.ATTENDED


def test_feedback_only_from_attendees(make_forum, company_a, cluster_manager):
    forum = make_forum()
    people = list(company_a.contacts.all())
    reg = services.registration_create(forum=forum, contact=people[0])
    with pytest.raises(ValidationError):
        services.feedback_submit(registration=reg, rating=5)
    services.registration_check_in(registration=reg, actor=cluster_manager, early=True)
    reg.refresh_from_db()
    with pytest.raises(ValidationError):  # not held yet
        services.feedback_submit(registration=reg, rating=5)
    Forum.objects.filter(pk=forum.pk).update(state=Forum.State.HELD)
    reg = Registration.objects.select_related("forum").get(pk=reg.pk)
    with pytest.raises(ValidationError):
        services.feedback_submit(registration=reg, rating=6)
    services.feedback_submit(registration=reg, rating=4, comment="Gut")
    services.feedback_submit(registration=reg, rating=5, comment="Sehr gut")
    assert list(Feedback.objects.values_list("rating", "comment")) == [(5, "Sehr gut")]


def test_reschedule_moves_deadlines_and_rejects_past(forum, cluster_manager):
    closes = forum.starts_at - timedelta(days=2)
    Forum.objects.filter(pk=forum.pk).update(registration_closes_at=closes)
    forum.refresh_from_db()
    new_start = forum.starts_at + timedelta(days=10)
    services.forum_reschedule(
        forum=forum,
        actor=cluster_manager,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=2),
    )
    forum.refresh_from_db()
    assert forum.registration_closes_at == closes + timedelta(days=10)
    assert forum.sequence == 1
    past = timezone.now() - timedelta(days=1)
    with pytest.raises(ValidationError):
        services.forum_reschedule(
            forum=forum, actor=cluster_manager, starts_at=past, ends_at=past + timedelta(hours=1)
        )
    forum.refresh_from_db()
    assert forum.sequence == 1


def test_published_forum_moves_only_through_reschedule(forum, cluster_manager):
    with pytest.raises(ValidationError):
        services.forum_update(
            forum=forum, actor=cluster_manager, starts_at=forum.starts_at + timedelta(days=1)
        )


def test_create_publish_cancel(cluster, cluster_manager):
    start = timezone.now() + timedelta(days=30)
    forum = services.forum_create(
        actor=cluster_manager,
        cluster=cluster,
        title="Energieeffizienz",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=30,
        seats_per_company=3,
        agenda=[{"starts_at": "18:00", "title": "Begrüßung", "speaker": "WFG"}],
    )
    assert forum.state == Forum.State.DRAFT and forum.reminder_days == [7, 1]
    assert forum.agenda_items.count() == 1
    services.forum_publish(forum=forum, actor=cluster_manager)
    forum.refresh_from_db()
    assert forum.state == Forum.State.PUBLISHED and forum.published_at
    with pytest.raises(ValidationError):
        services.forum_publish(forum=forum, actor=cluster_manager)
    services.forum_cancel(forum=forum, actor=cluster_manager, reason="Zu wenige Anmeldungen")
    forum.refresh_from_db()
    assert forum.state == Forum.State.CANCELLED and forum.sequence == 1
    with pytest.raises(ValidationError):
        services.forum_cancel(forum=forum, actor=cluster_manager)
    # History records who did it, and the one audit trail each step.
    assert forum.history.filter(history_user=cluster_manager).exists()
    trail = AuditEvent.objects.filter(object_id=str(forum.pk), action__startswith="forum.")
    assert list(trail.order_by("pk").values_list("action", "actor", "reason")) == [
        (ForumAction.CREATED, cluster_manager.pk, ""),
        (ForumAction.PUBLISHED, cluster_manager.pk, ""),
        (ForumAction.CANCELLED, cluster_manager.pk, "Zu wenige Anmeldungen"),
    ]
