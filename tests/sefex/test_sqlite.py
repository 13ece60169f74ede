"""`make run` uses SQLite: the SEFEX migrations apply there (the exclusion constraints are
PostgreSQL-only), and the service still refuses a double booking."""

from tests.sqlite_shell import run_script_on_sqlite

SCRIPT = """
from datetime import date, timedelta
from django.db import connection
from django.utils import timezone
from members.models import Company
from members.services import user_create
from core.roles import Role
from sefex import services
from sefex.models import Module, Programme

assert connection.vendor == "sqlite"
pm = user_create(email="pm@example.org", role=Role.PROJECT_MANAGER, password="x-long-password-1")
programme = Programme.objects.create(name="P", funding_start=date(2020, 1, 1),
                                     funding_end=date(2030, 1, 1))
module = Module.objects.create(programme=programme, name="M")
start = (timezone.now() + timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
first = services.workshop_request(actor=None, module=module,
                                  company=Company.objects.create(legal_name="A"))
second = services.workshop_request(actor=None, module=module,
                                   company=Company.objects.create(legal_name="B"))
services.workshop_schedule(workshop=first, actor=pm, project_manager=pm, starts_at=start)
try:
    services.workshop_schedule(workshop=second, actor=pm, project_manager=pm,
                               starts_at=start + timedelta(hours=1))
except services.SlotTaken:
    print("REFUSED")
"""


def test_migrations_apply_on_sqlite_and_the_service_refuses_overlaps(tmp_path):
    output = run_script_on_sqlite(tmp_path, SCRIPT)
    assert "REFUSED" in output
