"""The Celery app. Tasks take primary keys, are acked late and safe to run twice."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metalldialog.settings.base")

# DjangoTask gives every task delay_on_commit()/apply_async_on_commit(), so a task
# queued inside a transaction only leaves when the transaction has committed.
app = Celery("metalldialog", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_queue(sender, **kwargs):
    """The embedded filesystem transport of `make run` needs its folders to exist."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = sender.conf.broker_transport_options.get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)


@worker_init.connect
def _refuse_without_mail_server(sender=None, **kwargs):
    """A worker without EMAIL_URL (and not in debug mode) would only print the mails."""
    from django.core.exceptions import ImproperlyConfigured

    from metalldialog.startup import refuse_without_mail_server

    try:
        refuse_without_mail_server()
    except ImproperlyConfigured as error:
        # Celery logs and ignores exceptions of signal handlers; SystemExit ends the worker.
        raise SystemExit(f"The worker refuses to start. {error}") from error
