"""Backup and restore end to end: data made through the services is backed up (pg_dump and
the media files), restored by `manage.py restore` in its own process into a fresh PostgreSQL
database and media folder, and the restored installation is compared with the original."""

import hashlib
import json

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from funding.models import AidRecord
from operations.backup import backup_create
from operations.restore import row_counts
from sefex.models import Attachment
from tests.conftest import PASSWORD

from .conftest import connected_to, manage
from .data import build

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restores_into_a_fresh_database_with_every_row_file_and_rule(
    scratch_database,
    tmp_path,
    settings,
    company_a,
    company_b,
    company_user_a,
    company_user_b,
    cluster_manager,
    project_manager,
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    made = build(
        companies=(company_a, company_b),
        staff=(cluster_manager, project_manager),
    )
    record, attachment = made["record"], made["attachment"]
    before = row_counts()
    snapshot = backup_create(tmp_path / "backups")
    manifest = json.loads((snapshot / "manifest.json").read_text())
    # The manifest counts what the dump holds: the database as it was (the backup's own
    # record is written after the dump).
    assert manifest["row_counts"] == before
    for table in ("forums_registration", "outbox_mail", "funding_aidrecord", "sefex_attachment"):
        assert manifest["row_counts"][table] > 0, table

    restored_media = tmp_path / "restored-media"
    result = manage("restore", str(snapshot), database=scratch_database, media=restored_media)
    assert result.returncode == 0, result.stderr
    assert "Jede Tabelle hat die Zeilenzahl der Sicherung." in result.stdout

    settings.MEDIA_ROOT = str(restored_media)
    with connected_to(scratch_database):
        assert row_counts() == manifest["row_counts"]
        restored = AidRecord.objects.get(pk=record.pk)
        assert restored.certificate_sha256 == record.certificate_sha256
        assert hashlib.sha256(bytes(restored.certificate_pdf)).hexdigest() == (
            record.certificate_sha256
        )
        upload = Attachment.objects.get(pk=attachment.pk)
        with upload.file.open("rb") as file:
            assert file.read() == bytes(restored.certificate_pdf)

        # A login still works, and it reaches its own company's certificate ...
        client_a = Client()
        response = client_a.post(
            reverse("account_login"), {"login": company_user_a.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        certificate = reverse("funding:certificate", args=[record.pk])
        response = client_a.get(certificate)
        assert response.status_code == 200
        assert b"".join(response) == bytes(restored.certificate_pdf)
        # ... while the other company's login gets 404 for it, its workshop and its file.
        client_b = Client()
        client_b.post(
            reverse("account_login"), {"login": company_user_b.email, "password": PASSWORD}
        )
        assert client_b.get(reverse("home")).status_code == 200
        for url in (
            certificate,
            reverse("sefex:detail", args=[made["workshop"].pk]),
            reverse("sefex:file", args=[attachment.pk]),
        ):
            assert client_b.get(url).status_code == 404, url
        assert connection.settings_dict["NAME"] == scratch_database
