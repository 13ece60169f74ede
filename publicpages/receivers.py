"""Forum, registration and agenda changes, and a changed identity (name, sender, imprint),
drop the cached public pages (no query)."""

from django.db.models.signals import post_delete, post_save

from forums.models import AgendaItem, Forum, Registration
from members.models import Agency, Cluster

from . import cache


def _changed(sender, instance, **kwargs):
    cache.drop()


def connect() -> None:
    for signal in (post_save, post_delete):
        for model in (Forum, Registration, AgendaItem, Cluster, Agency):
            uid = f"public-pages-{model.__name__}-{id(signal)}"
            signal.connect(_changed, sender=model, dispatch_uid=uid)
