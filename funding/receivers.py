"""Receivers of SEFEX's hooks; thin, they call the services."""

from . import aid_services


def booking_check(*, workshop, starts_at, ends_at, actor):
    aid_services.booking_check(workshop=workshop, starts_at=starts_at, ends_at=ends_at, actor=actor)


def workshop_booked(sender, *, workshop, actor, **kwargs):
    aid_services.aid_grant(workshop=workshop, actor=actor)


def workshop_cancelled(sender, *, workshop, actor, was_booked, **kwargs):
    if was_booked:
        aid_services.aid_waive(workshop=workshop, actor=actor, reason=workshop.cancel_reason)


def workshop_held(sender, *, workshop, actor, **kwargs):
    aid_services.aid_record_create(workshop=workshop, actor=actor)


def participants_changed(sender, *, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # contact.sefex_workshops.add(...): instance is the contact
        for workshop_id in pk_set or ():
            aid_services.aid_record_participants_refresh(workshop_id=workshop_id)
    else:
        aid_services.aid_record_participants_refresh(workshop_id=instance.pk)
