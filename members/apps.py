from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from . import identity, selectors
        from .clusters import grants_forget
        from .models import Agency, Cluster, ClusterGrant, Sector, Topic

        def forget_filter_choices(**kwargs):
            # Now, and again once committed: a page rendered in between must not keep
            # the old list for minutes.
            selectors.filter_choices_forget()
            transaction.on_commit(selectors.filter_choices_forget)

        def forget_grants(instance, **kwargs):
            grants_forget([instance.login_id])

        post_save.connect(forget_grants, sender=ClusterGrant, weak=False)
        post_delete.connect(forget_grants, sender=ClusterGrant, weak=False)

        # weak=False: the receiver is local to this method and would be collected.
        for model in (Cluster, Sector, Topic):
            for signal in (post_save, post_delete):
                signal.connect(forget_filter_choices, sender=model, weak=False)

        def forget_identity(sender, instance, **kwargs):
            # Whatever saved it (the identity page, the admin, a script): pages and mails
            # read the new sender from the next request on.
            identity.identity_forget(instance.pk if sender is Cluster else None)

        for model in (Cluster, Agency):
            for signal in (post_save, post_delete):
                signal.connect(forget_identity, sender=model, weak=False)
