"""Writes of the members app: one transaction each, keyword-only."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from metalldialog.roles import Role

from .models import Company, User


@transaction.atomic
def user_create(
    *,
    email: str,
    role: Role,
    password: str | None = None,
    company: Company | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Creates a login with one role. A company user needs a company; staff have none."""
    if role == Role.COMPANY_USER and company is None:
        raise ValidationError(_("A company user must belong to a company."))
    if role != Role.COMPANY_USER and company is not None:
        raise ValidationError(_("Only company users belong to a company."))
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account with this e-mail address exists already."))
    user = User.objects.create_user(
        email=email,
        password=password,
        company=company,
        first_name=first_name,
        last_name=last_name,
        # Staff roles work in the Django admin too.
        is_staff=role != Role.COMPANY_USER,
    )
    user.groups.add(Group.objects.get(name=role.value))
    return user
