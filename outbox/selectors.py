"""Read queries of the outbox: the staff's mail list, its filter choices, batch progress."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from .models import Batch, Mail


def mail_list(queryset: QuerySet[Mail]) -> QuerySet[Mail]:
    """Rows for the list page: the contact, its company and the scope come along."""
    return (
        queryset.select_related("contact", "contact__company")
        .prefetch_related("scope")
        .only(
            "pk",
            "kind",
            "key",
            "recipient_email",
            "subject",
            "state",
            "attempts",
            "last_error",
            "due_at",
            "sent_at",
            "created_at",
            "scope_type",
            "scope_id",
            "contact__first_name",
            "contact__last_name",
            "contact__title",
            "contact__company__legal_name",
            "contact__company__short_name",
        )
        .order_by("-created_at", "-pk")
    )


def kinds(queryset: QuerySet[Mail]) -> list[str]:
    return list(queryset.order_by("kind").values_list("kind", flat=True).distinct())


def scope_choices(queryset: QuerySet[Mail]) -> list[tuple[str, str]]:
    """The forums, workshops, … the visible mails belong to: one query per kind of object."""
    pairs = queryset.order_by().values_list("scope_type", "scope_id").distinct()
    by_type = defaultdict(set)
    for type_id, object_id in pairs:
        if type_id is not None:
            by_type[type_id].add(object_id)
    choices = []
    for type_id, ids in by_type.items():
        content_type = ContentType.objects.get_for_id(type_id)
        model = content_type.model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            label = f"{model._meta.verbose_name}: {obj}"
            choices.append((scope_value(content_type, obj.pk), label))
    return sorted(choices, key=lambda c: c[1].lower())


def scope_value(content_type: ContentType, object_id: int) -> str:
    return f"{content_type.app_label}.{content_type.model}:{object_id}"


def scope_q(value: str) -> Q | None:
    """Parses "app.model:id"; None for anything else."""
    try:
        label, object_id = value.rsplit(":", 1)
        app_label, model = label.split(".", 1)
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        return Q(scope_type=content_type, scope_id=int(object_id))
    except (ValueError, ContentType.DoesNotExist):
        return None


def state_counts(queryset: QuerySet[Mail]) -> dict[str, int]:
    """How many mails are in each state, in one query."""
    row = queryset.aggregate(
        total=Count("pk"),
        **{state: Count("pk", filter=Q(state=state)) for state in Mail.State.values},
    )
    return row


def batch_progress(batch: Batch) -> dict:
    return _progress(batch, state_counts(Mail.objects.filter(batch=batch)))


def batches_progress(batches: list[Batch]) -> list[dict]:
    """`batch_progress` of several batches in one query: [{"batch", "progress"}, ...]."""
    rows = (
        Mail.objects.filter(batch__in=batches)
        .order_by()
        .values("batch_id")
        .annotate(
            total=Count("pk"),
            **{state: Count("pk", filter=Q(state=state)) for state in Mail.State.values},
        )
    )
    by_batch = {row.pop("batch_id"): row for row in rows}
    empty = dict.fromkeys(["total", *Mail.State.values], 0)
    return [
        {"batch": batch, "progress": _progress(batch, dict(by_batch.get(batch.pk, empty)))}
        for batch in batches
    ]


def _progress(batch: Batch, counts: dict) -> dict:
    open_ = counts[Mail.State.QUEUED] + counts[Mail.State.SENDING]
    # Rows are created in chunks by the worker, so "planned" can exceed the rows so far.
    pending_rows = max(batch.planned - counts["total"], 0)
    counts["pending"] = open_ + pending_rows
    counts["done"] = counts["pending"] == 0
    counts["planned"] = batch.planned
    return counts
