from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MetalldialogConfig(AppConfig):
    name = "metalldialog"
    verbose_name = _("metalldialog")

    def ready(self):
        from core.roles import sync_roles

        from . import signals, start_cache, startup  # noqa: F401 - the deployment check, the roles cache

        start_cache.connect()

        # After the last app's migrate, so every permission exists.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="metalldialog.sync_roles")
