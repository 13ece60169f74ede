"""Funding evidence refuses deletion inside its keeping period (see operations.retention)."""

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from forums.models import Registration
from funding.models import AidRecord, Declaration, DeclarationConfirmation, ErdfProject, PriorAid
from sefex.models import Workshop

from .retention import RetentionProtected, deletion_check


@receiver(pre_delete, sender=AidRecord, dispatch_uid="operations.keep_aid_record")
@receiver(pre_delete, sender=Declaration, dispatch_uid="operations.keep_declaration")
@receiver(pre_delete, sender=PriorAid, dispatch_uid="operations.keep_prior_aid")
@receiver(pre_delete, sender=DeclarationConfirmation, dispatch_uid="operations.keep_confirmation")
@receiver(pre_delete, sender=Workshop, dispatch_uid="operations.keep_workshop")
@receiver(pre_delete, sender=Registration, dispatch_uid="operations.keep_registration")
@receiver(pre_delete, sender=ErdfProject, dispatch_uid="operations.keep_erdf_project")
def keep_evidence(sender, instance, **kwargs):
    deletion_check(instance)


@receiver(pre_save, sender=AidRecord, dispatch_uid="operations.keep_certificate")
def keep_certificate(sender, instance, raw=False, **kwargs):
    """An issued certificate is never removed or replaced (a correction is a new record)."""
    if raw or instance.pk is None:
        return
    stored = AidRecord.objects.filter(pk=instance.pk).values_list("certificate_sha256", flat=True)
    stored = stored.first()
    if stored and instance.certificate_sha256 != stored:
        raise RetentionProtected(
            _("Not changed: the certificate %(number)s was issued and is kept unchanged.")
            % {"number": instance.number},
            [instance],
        )
