"""`make run` uses SQLite: the text in force for a cluster's mail (its own, else the agency's,
else the shipped template) is found there too."""

from tests.sqlite_shell import run_script_on_sqlite

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
    output = run_script_on_sqlite(tmp_path, SCRIPT)
    # The cluster's newest, the agency's for another cluster, the agency's after a reset.
    assert output.split()[-3:] == ["K2", "Agentur", "Agentur"]
