"""Attachments: size and type limits with a clear German message, nothing written for a refused
file (no row, no stored file), and files only through the permission-checked view."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from sefex import services
from sefex.models import Attachment

from .conftest import future, held

TOO_LARGE_DE = "Die Datei ist zu groß"
TYPE_DE = "Programme und Dateien dieses Typs können nicht hochgeladen werden."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SEFEX_MAX_UPLOAD_BYTES = 1000
    return tmp_path


@pytest.fixture
def workshop(company_a, module, project_manager, media):
    return held(company_a, module, project_manager, future(3), now=future(4))


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


BAD = {
    "oversized": (
        SimpleUploadedFile("gross.pdf", b"%PDF" + b"x" * 1000, "application/pdf"),
        TOO_LARGE_DE,
    ),
    "exe": (
        SimpleUploadedFile("setup.exe", b"MZ\x90\x00rest", "application/octet-stream"),
        TYPE_DE,
    ),
    "renamed_exe": (
        SimpleUploadedFile("bericht.pdf", b"MZ\x90\x00rest", "application/pdf"),
        TYPE_DE,
    ),
    "elf": (SimpleUploadedFile("tool.txt", b"\x7fELF\x02\x01", "text/plain"), TYPE_DE),
    "script": (SimpleUploadedFile("run.sh", b"#!/bin/sh\nrm -rf /", "text/x-sh"), TYPE_DE),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_upload_through_the_page_shows_message_and_writes_nothing(
    client, project_manager, workshop, media, case
):
    upload, german = BAD[case]
    client.force_login(project_manager)
    with translation.override("de"):
        response = client.post(
            reverse("sefex:file_new", args=[workshop.pk]),
            {"file": upload},
            HTTP_ACCEPT_LANGUAGE="de",
        )
    assert response.status_code == 200
    assert german in response.content.decode()
    assert not Attachment.objects.exists()
    assert _stored_files(media) == []


@pytest.mark.parametrize("case", list(BAD))
def test_bad_upload_through_the_service_is_refused_too(project_manager, workshop, media, case):
    upload, _german = BAD[case]
    upload.seek(0)
    with pytest.raises(ValidationError):
        services.attachment_add(workshop=workshop, actor=project_manager, upload=upload)
    assert not Attachment.objects.exists()
    assert _stored_files(media) == []


def test_good_upload_is_stored_under_a_random_name(
    client, project_manager, workshop, media, django_capture_on_commit_callbacks
):
    client.force_login(project_manager)
    upload = SimpleUploadedFile("Protokoll März.pdf", b"%PDF-1.4 ok", "application/pdf")
    response = client.post(reverse("sefex:file_new", args=[workshop.pk]), {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Protokoll März.pdf"
    assert attachment.content_type == "application/pdf" and attachment.size == 11
    [stored] = _stored_files(media)
    assert "Protokoll" not in stored.name and str(workshop.uid) in str(stored)
    download = client.get(reverse("sefex:file", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ok"
    # Deleting removes the row and, after the commit, the file.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sefex:file_delete", args=[attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert _stored_files(media) == []
