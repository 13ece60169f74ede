"""The typed actions of the audit trail.

Each app declares the actions it records in its own ``<app>/audit.py`` (found at start-up)::

    from django.db import models
    from django.utils.translation import gettext_lazy as _

    from core.actions import register

    @register
    class LoginAction(models.TextChoices):
        CREATED = "login.created", _("Login created")

The value is stored, the label shown. Values name the thing first ("login.created"), so the
trail groups well; a value belongs to one declaration only.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

_registry: dict[str, models.TextChoices] = {}


def register(choices: type[models.TextChoices]) -> type[models.TextChoices]:
    """Adds an app's actions (usable as a class decorator)."""
    for member in choices:
        known = _registry.get(member.value)
        if known is not None and type(known).__qualname__ != choices.__qualname__:
            raise ImproperlyConfigured(
                f"Audit action {member.value!r} is declared by {type(known).__qualname__} "
                f"and {choices.__qualname__}."
            )
        _registry[member.value] = member
    return choices


def is_registered(action) -> bool:
    return str(action) in _registry


def action_choices() -> list[tuple[str, str]]:
    """Every registered action as (value, label), for the model field and the filters."""
    return [(value, member.label) for value, member in sorted(_registry.items())]


@register
class AdminAction(models.TextChoices):
    """What the administration records for any model (see core.admin.AuditedAdminMixin)."""

    CREATED = "admin.created", _("Created in the administration")
    CHANGED = "admin.changed", _("Changed in the administration")
    DELETED = "admin.deleted", _("Deleted in the administration")
