"""The yearly retention review: funding evidence whose legal keeping period has ended is
listed (a task, early each year); nothing is deleted until a person confirms the list, and the
keeping period is checked again for each record then."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core.audit import concrete_values, record
from forums.models import Registration
from funding.models import AidRecord, Declaration, DeclarationConfirmation, ErdfProject
from sefex.models import Workshop

from .audit import RetentionAction
from .models import RetentionItem, RetentionReview
from .retention import DEMINIMIS_YEARS, HELD_STATES, deletion_check, keeping_of

# Deleted in this order: an aid record before its workshop, a confirmation before its
# declaration (both are PROTECT).
ORDER = [AidRecord, Workshop, DeclarationConfirmation, Declaration, Registration]


def _candidates(today: date):
    last_year = today.year - DEMINIMIS_YEARS - 1
    yield from AidRecord.objects.filter(grant_date__year__lte=last_year)
    yield from Declaration.objects.filter(declared_on__year__lte=last_year)
    # ERDF evidence of paid projects whose five years have passed; keeping_of then checks
    # every project holding it (another one may still keep it).
    ended = [
        project
        for project in ErdfProject.objects.filter(last_payment_on__isnull=False)
        if project.keep_until < today
    ]
    yield from Workshop.objects.filter(
        programme__in={project.programme_id for project in ended if project.programme_id},
        state__in=HELD_STATES,
    )
    yield from Registration.objects.filter(
        forum__erdf_projects__in=[project for project in ended if project.forums_count],
        state=Registration.State.ATTENDED,
    ).distinct()


@transaction.atomic
def retention_review_create(*, today: date | None = None) -> RetentionReview:
    """This year's list of what may be deleted (running it again adds what is new)."""
    today = today or timezone.localdate()
    review, _created = RetentionReview.objects.get_or_create(year=today.year)
    listed = 0
    for instance in _candidates(today):
        keeping = keeping_of(instance)
        if keeping is None or keeping.holds_on(today):
            continue
        _item, created = RetentionItem.objects.get_or_create(
            review=review,
            content_type=ContentType.objects.get_for_model(instance),
            object_id=instance.pk,
            defaults={
                "label": f"{instance._meta.verbose_name} {instance}"[:250],
                "rule": keeping.rule[:250],
                "kept_until": keeping.until,
            },
        )
        listed += created
    if listed:
        record(actor=None, action=RetentionAction.REVIEW_LISTED, obj=review, after={"new": listed})
    return review


def _ordered(items):
    rank = {ContentType.objects.get_for_model(model).pk: i for i, model in enumerate(ORDER)}
    return sorted(items, key=lambda item: (rank.get(item.content_type_id, len(ORDER)), item.pk))


@transaction.atomic
def retention_review_confirm(*, review: RetentionReview, actor, today: date | None = None) -> int:
    """Deletes the listed records a person confirmed; each is checked again first (a record
    whose keeping got longer meanwhile, e.g. a later ERDF payment, refuses). Returns the count."""
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    deleted = 0
    for item in _ordered(review.items.filter(deleted_at__isnull=True)):
        model = item.content_type.model_class()
        instance = model._base_manager.filter(pk=item.object_id).first()
        if instance is not None:
            deletion_check(instance, today=today)
            if isinstance(instance, Declaration):
                DeclarationConfirmation.objects.filter(declaration=instance).delete()
            record(
                actor=actor,
                action=RetentionAction.DELETED,
                obj=instance,
                before=concrete_values(instance),
                reason=item.rule,
            )
            # A queryset deletion: Declaration.delete() refuses on principle; the keeping
            # period has just been checked (and is checked again by the pre_delete guard).
            model._base_manager.filter(pk=instance.pk).delete()
            deleted += 1
        item.deleted_at = timezone.now()
        item.save(update_fields=["deleted_at"])
    review.confirmed_at, review.confirmed_by = timezone.now(), actor
    review.save(update_fields=["confirmed_at", "confirmed_by"])
    return deleted
