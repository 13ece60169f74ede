"""The attendee list's one write on the member forum page: a person agrees to be listed or
withdraws (the list itself is part of the forum page, see forums.attendees)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.roles import Role, role_required

from . import attendees
from .permissions import forum_get_for_user_or_404


@require_POST
@role_required(Role.COMPANY_USER)
def listing_update(request, pk):
    forum = forum_get_for_user_or_404(request.user, pk)
    registration = attendees.own_registration(request.user, forum)
    if registration is None:
        raise Http404
    form = attendees.ListingForm(request.POST)
    form.is_valid()  # a checkbox: absent means "no"
    listed = bool(form.cleaned_data.get("listed"))
    attendees.listing_set(registration=registration, listed=listed, actor=request.user)
    if listed:
        messages.success(request, _("You are on the attendee list of this forum."))
    else:
        messages.success(request, _("You are no longer on the attendee list of this forum."))
    return redirect("forums:detail", pk=forum.pk)
