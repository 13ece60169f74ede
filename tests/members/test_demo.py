"""The members demo: SME figures for every company, linked groups, idempotent."""

import pytest

from members.demo import SME_YEARS, seed_members
from members.models import Company, Relationship, SmeFigures, SmeHolding

pytestmark = pytest.mark.django_db


def test_demo_has_figures_for_every_company_and_linked_groups():
    assert seed_members()["created"]
    # Two clusters of one agency, each speaking for itself.
    from members.identity import identity_for
    from members.models import Cluster

    metall, plastics = (identity_for(Cluster.objects.get(slug=s)) for s in ("metall", "kunststoff"))
    assert metall.from_header != plastics.from_header and metall.colour != plastics.colour
    assert metall.imprint_text != plastics.imprint_text and "HRB" in identity_for().imprint_text
    companies = Company.objects.count()
    assert companies >= 250
    assert SmeFigures.objects.count() == companies * len(SME_YEARS)
    assert not Company.objects.filter(sme_class="").exists()
    # every size class appears
    assert set(Company.objects.values_list("sme_class", flat=True)) == {
        "micro",
        "small",
        "medium",
        "large",
    }
    linked = SmeHolding.objects.filter(kind="linked")
    assert linked.values("figures__company").distinct().count() >= 3
    # identifiers are unique when present
    assert Company.objects.exclude(register_number="").count() == companies
    # former members carry their membership in the history
    former = Relationship.objects.filter(kind="former", valid_to__isnull=True)
    assert former.exists()
    for rel in former[:5]:
        assert Relationship.objects.filter(
            company=rel.company, cluster=rel.cluster, kind="member", valid_to__lt=rel.valid_from
        ).exists()

    # every demo address is a valid one
    from django.core.validators import validate_email

    from members.models import Contact

    for email in Contact.objects.exclude(email="").values_list("email", flat=True):
        validate_email(email)

    counts = (Company.objects.count(), SmeFigures.objects.count(), SmeHolding.objects.count())
    assert seed_members() == {"created": False}
    assert (
        Company.objects.count(),
        SmeFigures.objects.count(),
        SmeHolding.objects.count(),
    ) == counts
