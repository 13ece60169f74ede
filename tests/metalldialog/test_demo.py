import pytest
from django.core.management import call_command

from circulars.models import Circular
from circulars.selectors import circulars_with_figures
from core.roles import Role, has_role
from members.models import Cluster, Company, Contact, Relationship, User
from metalldialog.demo import DEMO_LOGINS, DEMO_PASSWORD
from outbox.models import Mail


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Cluster, Company, Contact, Relationship, User)
    }


@pytest.mark.django_db
def test_seed_demo_loads_once_and_again_changes_nothing():
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first["Cluster"] == 2
    assert 250 <= first["Company"] <= 270
    per_company = Company.objects.values_list("contacts__company", flat=True)
    assert per_company.count() == first["Contact"]
    for company in Company.objects.prefetch_related("contacts", "sectors"):
        assert 2 <= len(company.contacts.all()) <= 4
        assert company.sectors.exists()
    # Every sector of the DOMAIN list is represented.
    assert Company.objects.values("sectors").distinct().count() == 15
    assert Relationship.objects.filter(cluster__slug="kunststoff").exists()


@pytest.mark.django_db
def test_demo_logins_work_for_every_role(client):
    call_command("seed_demo")
    expected = [
        Role.CLUSTER_MANAGER,
        Role.PROJECT_MANAGER,
        Role.COMPANY_USER,
        Role.COMPANY_USER,
        Role.CLUSTER_MANAGER,
    ]
    for (_, email), role in zip(DEMO_LOGINS, expected, strict=True):
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert has_role(user, role)
    assert User.objects.get(email=DEMO_LOGINS[2][1]).company != (
        User.objects.get(email=DEMO_LOGINS[3][1]).company
    )


@pytest.mark.django_db
def test_demo_has_a_sent_circular_and_an_address_it_found_undeliverable():
    call_command("seed_demo")
    metal_manager = User.objects.get(email="clustermanagement@demo.example")
    [circular] = circulars_with_figures(user=metal_manager)
    assert circular.state == Circular.State.SENT
    assert circular.sent_count == circular.recipients_planned >= 3
    assert circular.bounced_count == 1
    [contact] = Contact.objects.filter(undeliverable_at__isnull=False)
    assert contact.email == Mail.objects.get(bounces__isnull=False).recipient_email
    assert "5.1.1" in contact.undeliverable_reason
    call_command("seed_demo")
    assert Circular.objects.count() == 1
