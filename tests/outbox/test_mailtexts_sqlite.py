"""`make run` uses SQLite: the text in force for a cluster's mail (its own, else the agency's,
else the shipped template) is found there too."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from django.db import connection
from members.models import Cluster
from outbox.mailtexts.selectors import text_in_force
from outbox.models import MailText
from django.core.cache import cache

assert connection.vendor == "sqlite"
template = "emails/forums_invitation"
metal = Cluster.objects.create(slug="m", name="Metall")
plastics = Cluster.objects.create(slug="k", name="Kunststoff")
assert text_in_force(template, "de", plastics.pk) is None  # the shipped template
MailText.objects.create(template=template, language="de", subject="Agentur")
MailText.objects.create(template=template, language="de", subject="K1", cluster=plastics)
MailText.objects.create(template=template, language="de", subject="K2", cluster=plastics)
cache.clear()  # rows written here, not through the services that drop the cached text
print(text_in_force(template, "de", plastics.pk)["subject"])
print(text_in_force(template, "de", metal.pk)["subject"])
MailText.objects.create(template=template, language="de", cluster=plastics, is_default=True)
cache.clear()
print(text_in_force(template, "de", plastics.pk)["subject"])
"""


def test_the_text_in_force_is_found_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "metalldialog.settings.base",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "CELERY_BROKER_URL": f"filesystem://{tmp_path}",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrate = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [*manage, "migrate", "-v0"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert migrate.returncode == 0, migrate.stderr
    run = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [*manage, "shell", "-c", SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    # The cluster's newest, the agency's for another cluster, the agency's after a reset.
    assert run.stdout.split()[-3:] == ["K2", "Agentur", "Agentur"]
