"""Writes of a cluster's or the agency's identity (see members.identity for reading it)."""

from django.core.files.base import ContentFile
from django.db import transaction

from core import audit

from .audit import IdentityAction
from .identity import identity_forget
from .models import Agency, Cluster
from .models.identity import IDENTITY_FIELDS

CLUSTER_FIELDS = ["name", *IDENTITY_FIELDS, "privacy_notice", "logo"]
AGENCY_FIELDS = ["name", *IDENTITY_FIELDS, "logo"]


def identity_save(
    *,
    instance: Cluster | Agency,
    logo: bytes | None = None,
    logo_extension: str = "png",
    logo_remove: bool = False,
    actor=None,
) -> Cluster | Agency:
    """Saves the (validated) identity of a cluster or of the agency, with its new logo, if
    any, and records the change; pages and mails use it from the next request on."""
    is_cluster = isinstance(instance, Cluster)
    fields = CLUSTER_FIELDS if is_cluster else AGENCY_FIELDS
    with transaction.atomic(durable=True):
        model = type(instance)
        stored = model.objects.select_for_update().get(pk=instance.pk)
        before = audit.values(stored, fields)
        old_logo = stored.logo.name
        if logo is not None:
            slug = instance.slug if is_cluster else "agency"
            instance.logo.save(f"{slug}.{logo_extension}", ContentFile(logo), save=False)
        elif logo_remove:
            instance.logo = ""
        instance.save()
        after = audit.values(instance, fields)
        audit.record(
            actor=actor,
            action=IdentityAction.CLUSTER_CHANGED if is_cluster else IdentityAction.AGENCY_CHANGED,
            obj=instance,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
        identity_forget(instance.pk if is_cluster else None)
        if old_logo and old_logo != instance.logo.name:
            storage = instance.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    return instance
