"""The Celery app. Tasks take primary keys, are acked late and safe to run twice."""

import os

from celery import Celery

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
