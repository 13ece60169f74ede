"""Forum and registration changes drop the cached public pages of their cluster."""

from django.db.models.signals import post_delete, post_save

from forums.models import AgendaItem, Forum, Registration

from . import cache


def _forum_changed(sender, instance, **kwargs):
    cache.drop(str(instance.cluster_id))
    cache.drop(cache.OVERVIEW)


def _seats_changed(sender, instance, **kwargs):
    # No extra query in the services' transactions: the forum is usually loaded already;
    # if not, every cluster's pages go.
    if sender.forum.is_cached(instance):
        cache.drop(str(instance.forum.cluster_id))
        cache.drop(cache.OVERVIEW)
    else:
        cache.drop(cache.ALL)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_forum_changed, sender=Forum, dispatch_uid=f"public-forum-{signal}")
        signal.connect(
            _seats_changed, sender=Registration, dispatch_uid=f"public-registration-{signal}"
        )
        signal.connect(_seats_changed, sender=AgendaItem, dispatch_uid=f"public-agenda-{signal}")
