"""ERDF visibility: the pages of funded activities, their participant lists and the certificates
carry the EU emblem (drawn as SVG in the app) and the statement of the project's programme
period: 2021-2027 "Kofinanziert von der Europäischen Union" (Reg. 2021/1060 Art. 47, 50,
Annex IX); 2014-2020 "Europäische Union" with the fund's name (Reg. 1303/2013 Annex XII,
Reg. 821/2014). Activities outside a funded project carry neither."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from forums.models import Forum
from funding import services as funding
from funding.models import AidRecord, ErdfProject
from members.models import Cluster

from .conftest import BERLIN, declare, future, held
from .test_certificate import pdf_text

pytestmark = pytest.mark.django_db
CO_FUNDED = "Kofinanziert von der Europäischen Union"


def _forum(title):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    start = datetime(2026, 6, 3, 17, tzinfo=BERLIN)
    return Forum.objects.create(
        cluster=cluster,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=30,
        state=Forum.State.PUBLISHED,
    )


def test_forum_page_and_participant_list_of_a_funded_forum(client, cluster_manager):
    funded, other = _forum("Metall-Forum gefördert"), _forum("Metall-Forum ohne Förderung")
    project = ErdfProject.objects.create(name="Cluster 2021", period="2021-2027")
    project.forums.add(funded)
    client.force_login(cluster_manager)
    page = client.get(reverse("forums:detail", args=[funded.pk])).content.decode()
    assert CO_FUNDED in page and 'class="eu-emblem"' in page
    assert page.count("<polygon") == 12  # the twelve stars
    plain = client.get(reverse("forums:detail", args=[other.pk])).content.decode()
    assert CO_FUNDED not in plain and "eu-emblem" not in plain
    pdf = client.get(reverse("forums:staff_participants_pdf", args=[funded.pk])).content
    assert CO_FUNDED in pdf_text(pdf)


def test_workshop_page_and_certificate_of_a_2014_2020_project(
    client, module, project_manager, company_a
):
    ErdfProject.objects.create(name="SEFEX", period="2014-2020", programme=module.programme)
    declare(company_a, project_manager)
    workshop = held(company_a, module, project_manager, future())
    client.force_login(project_manager)
    page = client.get(reverse("sefex:detail", args=[workshop.pk])).content.decode()
    assert "Europäischer Fonds für regionale Entwicklung" in page and "eu-emblem" in page
    assert CO_FUNDED not in page
    text = pdf_text(funding.certificate_issue(record=AidRecord.objects.get(workshop=workshop)))
    assert "Europäische Union" in text and "Europäischer Fonds für regionale Entwicklung" in text
