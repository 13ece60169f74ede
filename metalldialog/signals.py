"""Keeps the cached roles (core.roles) true: any change of a login's groups, or of a
group itself, drops the cached roles of the logins concerned; a login reads them afresh."""

from django.contrib.auth import get_user_model, user_logged_in
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from core.login_cache import login_remember, logins_forget
from core.roles import roles_forget, roles_of

User = get_user_model()


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="metalldialog.roles_groups")
def roles_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:  # user.groups.add(...): the one login
        roles_forget([instance.pk])
    elif pk_set:  # group.user_set.add(...): the logins named
        roles_forget(pk_set)
    else:  # group.user_set.clear(): read before the rows go
        roles_forget(instance.user_set.values_list("pk", flat=True))


@receiver(post_save, sender=Group, dispatch_uid="metalldialog.roles_group_saved")
def roles_group_saved(sender, instance, created, **kwargs):
    if not created:  # a renamed group changes the role of each of its logins
        roles_forget(instance.user_set.values_list("pk", flat=True))


@receiver(pre_delete, sender=Group, dispatch_uid="metalldialog.roles_group_deleted")
def roles_group_deleted(sender, instance, **kwargs):
    roles_forget(instance.user_set.values_list("pk", flat=True))


@receiver(post_save, sender=User, dispatch_uid="metalldialog.login_saved")
def login_saved(sender, instance, **kwargs):
    """A saved login (password, active flag, e-mail, last login) is read afresh."""
    logins_forget([instance.pk])


@receiver(post_delete, sender=User, dispatch_uid="metalldialog.roles_user_deleted")
def roles_user_deleted(sender, instance, **kwargs):
    roles_forget([instance.pk])


@receiver(user_logged_in, dispatch_uid="metalldialog.roles_at_login")
def roles_at_login(sender, request, user, **kwargs):
    """Read (and cached) at login with the login itself (saved just before: last login), so
    every request of the session finds them."""
    roles_forget([user.pk])
    roles_of(user)
    login_remember(user)
