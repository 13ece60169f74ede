"""Receivers of SEFEX's hooks; thin, they call the services."""

from . import services


def booking_check(*, workshop, starts_at, ends_at, actor):
    services.booking_check(workshop=workshop, starts_at=starts_at, ends_at=ends_at, actor=actor)


def workshop_held(sender, *, workshop, actor, **kwargs):
    services.aid_record_create(workshop=workshop, actor=actor)


def participants_changed(sender, *, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # contact.sefex_workshops.add(...): instance is the contact
        for workshop_id in pk_set or ():
            services.aid_record_participants_refresh(workshop_id=workshop_id)
    else:
        services.aid_record_participants_refresh(workshop_id=instance.pk)
