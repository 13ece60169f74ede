"""Bodies above DATA_UPLOAD_MAX_MEMORY_SIZE are refused by their declared length before
anything reads them, except by views that take an upload, up to their own limit."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from core.uploads import FORM_OVERHEAD_BYTES, RequestSizeMiddleware
from members.models import Company
from sefex.models import Attachment
from tests.sefex.conftest import future, held, module, programme  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anybody reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def test_an_oversized_body_is_refused_unread(settings):
    request = RequestFactory().post("/members/import/", data=b"", content_type="text/plain")
    request.META["CONTENT_LENGTH"] = str(500 * 1024 * 1024)
    request.META["wsgi.input"] = Unreadable()
    request.user = AnonymousUser()

    def view_must_not_run(request):
        raise AssertionError("the request went on")

    response = RequestSizeMiddleware(view_must_not_run)(request)
    assert response.status_code == 413
    assert "Datei zu groß" in response.content.decode()


def test_a_form_without_upload_takes_no_large_body(client, company_user_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(company_user_a)
    response = client.post(
        reverse("members:portal_profile"), {"legal_name": "x" * 20_000}, follow=False
    )
    assert response.status_code == 413
    assert "größer, als diese Seite annimmt" in response.content.decode()


def test_the_import_takes_files_up_to_its_limit(client, cluster_manager, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(cluster_manager)
    small = SimpleUploadedFile("firmen.csv", b"Firma;Ort\n" + b"x;y\n" * 5000, "text/csv")
    assert client.post(reverse("members:import"), {"file": small}).status_code == 200
    limit = 5 * 1024 * 1024
    too_big = SimpleUploadedFile(
        "firmen.csv", b"Firma;Ort\n" + b"x" * (limit + FORM_OVERHEAD_BYTES), "text/csv"
    )
    response = client.post(reverse("members:import"), {"file": too_big})
    assert response.status_code == 413
    assert "höchstens 5,0\xa0MB" in response.content.decode()
    assert not Company.objects.exists()


def test_workshop_files_follow_the_configured_limit(
    client,
    company_a,
    module,  # noqa: F811 - the fixture
    project_manager,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    settings.SEFEX_MAX_UPLOAD_BYTES = 20_000
    workshop = held(company_a, module, project_manager, future(3), now=future(4))
    client.force_login(project_manager)
    url = reverse("sefex:file_new", args=[workshop.pk])
    fits = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4 " + b"x" * 15_000, "application/pdf")
    assert client.post(url, {"file": fits}).status_code == 302
    too_big = SimpleUploadedFile(
        "protokoll.pdf", b"%PDF-1.4 " + b"x" * (20_000 + FORM_OVERHEAD_BYTES), "application/pdf"
    )
    assert client.post(url, {"file": too_big}).status_code == 413
    assert Attachment.objects.count() == 1
