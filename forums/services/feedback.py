"""A participant's feedback after the forum."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Feedback, Forum, Registration
from .common import (
    State,
)


def feedback_submit(*, registration: Registration, rating: int, comment: str = "") -> Feedback:
    """An attendee's rating of a held forum; sending again replaces the earlier answer."""
    if registration.state != State.ATTENDED:
        raise ValidationError(_("Only participants who attended can give feedback."))
    if registration.forum.state != Forum.State.HELD and not registration.forum.has_ended():
        raise ValidationError(_("Feedback is possible once the forum has taken place."))
    if not 1 <= int(rating) <= 5:
        raise ValidationError(_("Please rate from 1 to 5."))
    with transaction.atomic():
        feedback, _created = Feedback.objects.update_or_create(
            registration=registration,
            defaults={"rating": int(rating), "comment": comment, "submitted_at": timezone.now()},
        )
    return feedback
