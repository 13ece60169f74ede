"""A participant's feedback after the workshop."""

from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Contact

from ..models import (
    Feedback,
    Workshop,
)
from .common import (
    State,
    WorkshopError,
)


@transaction.atomic
def feedback_submit(*, workshop_id: int, contact: Contact, rating: int, comment: str = ""):
    workshop = Workshop.objects.get(pk=workshop_id)
    if contact.company_id != workshop.company_id:
        raise WorkshopError(_("This link belongs to another company's workshop."), code="foreign")
    if workshop.state not in (State.HELD, State.DOCUMENTED, State.CLOSED):
        raise WorkshopError(_("Feedback is possible once the workshop has been held."))
    if not 1 <= int(rating) <= 5:
        raise WorkshopError(_("Each score must be between 1 and 5."), code="score")
    feedback, _created = Feedback.objects.update_or_create(
        workshop=workshop,
        contact=contact,
        defaults={"rating": int(rating), "comment": comment.strip()},
    )
    return feedback
