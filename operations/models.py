"""Operations: the record of backups (for /healthz) and the yearly list of funding evidence
whose keeping period has ended (the ERDF dates are entered per project, funding.ErdfProject)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupRun(models.Model):
    """A finished snapshot (written after the dump, so a snapshot never contains its own row)."""

    finished_at = models.DateTimeField(_("finished"), db_index=True)
    name = models.CharField(_("Snapshot"), max_length=100)
    size = models.BigIntegerField(_("Size (bytes)"), default=0)

    class Meta:
        ordering = ["-finished_at"]
        verbose_name = _("Backup")
        verbose_name_plural = _("Backups")

    def __str__(self):
        return self.name


class RetentionReview(models.Model):
    """The yearly list of funding evidence whose keeping period has ended. Nothing is deleted
    until a person confirms the list."""

    year = models.PositiveSmallIntegerField(_("Year"), unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Confirmed by"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("Retention review")
        verbose_name_plural = _("Retention reviews")

    def __str__(self):
        return str(self.year)


class RetentionItem(models.Model):
    review = models.ForeignKey(
        RetentionReview, on_delete=models.CASCADE, related_name="items", verbose_name=_("Review")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(_("Record"), max_length=250)
    rule = models.CharField(_("Rule"), max_length=250)
    kept_until = models.DateField(_("Kept until"))
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        ordering = ["review", "kept_until", "pk"]
        verbose_name = _("Record that may be deleted")
        verbose_name_plural = _("Records that may be deleted")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "content_type", "object_id"], name="operations_item_once"
            )
        ]

    def __str__(self):
        return self.label
