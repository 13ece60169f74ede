"""Fixtures of the circulars tests: a cluster with companies in two sectors, PDFs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from circulars import services
from members.models import Cluster, Contact, Relationship, Sector
from outbox.models import Suppression
from privacy.models import Consent
from tests.factories import company_with_contacts


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf(name: str = "Einladung.pdf", size: int = 2000) -> SimpleUploadedFile:
    """A file that starts like a PDF, of `size` bytes."""
    head = b"%PDF-1.4\n"
    return SimpleUploadedFile(
        name, head + b"x" * max(size - len(head), 0), content_type="application/pdf"
    )


@pytest.fixture
def cluster(db):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    return cluster


@pytest.fixture
def network(cluster):
    """Werkzeugbau: Alpha (member; p1 opted out via the suppression list, p2 reads English)
    and Gamma (partner, no consent but for p1). Gießerei: Beta (member). Delta: tool maker
    outside the cluster."""
    tools = Sector.objects.create(number=91, name="Werkzeugbau", wz2008="25.73", wz2025="25.73")
    foundry = Sector.objects.create(number=92, name="Gießerei", wz2008="24.5", wz2025="24.5")
    alpha = company_with_contacts("Alpha GmbH", contacts=3, cluster=cluster)
    beta = company_with_contacts("Beta AG", contacts=2, cluster=cluster)
    gamma = company_with_contacts(
        "Gamma KG", contacts=2, cluster=cluster, kind=Relationship.Kind.PARTNER
    )
    delta = company_with_contacts("Delta SE", contacts=1)
    for company in (alpha, gamma, delta):
        company.sectors.add(tools)
    beta.sectors.add(foundry)
    Contact.objects.filter(email="p2@alpha.example").update(language="en")
    Suppression.objects.create(email="p1@alpha.example", reason=Suppression.Reason.OPT_OUT)
    Consent.objects.create(
        contact=Contact.objects.get(email="p1@gamma.example"),
        state=Consent.State.CONFIRMED,
        form="Messe",
        text_shown="Ja",
        token_hash="x" * 64,
        expires_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    return {"tools": tools, "foundry": foundry, "alpha": alpha, "beta": beta, "gamma": gamma}


@pytest.fixture
def circular(cluster, cluster_manager):
    return services.circular_create(
        cluster=cluster,
        subject="Neue Förderaufrufe",
        body="Liebe Mitglieder,\n\nbis **31. März** können Anträge gestellt werden.",
        uploads=[pdf("Aufruf.pdf", 3000)],
        actor=cluster_manager,
    )
