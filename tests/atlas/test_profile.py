"""A company describes its competences and decides whether other members see them."""

import pytest
from django.urls import reverse

from atlas.models import Profile, ProfileEntry
from core.models import AuditEvent
from members.models import Contact

from .conftest import publish

pytestmark = pytest.mark.django_db
URL = reverse("atlas:own_profile")


def _form(person, **changes):
    data = {
        "summary": "CNC-Lohnfertigung für den Maschinenbau",
        "products": "Spannvorrichtungen",
        "processes": ["cnc_milling", "cnc_turning"],
        "materials": ["aluminium"],
        "certifications": ["iso_9001", "iatf_16949"],
        "capacity": "ample",
        "capacity_note": "Zwei Schichten, 5-Achs-Fräsen frei",
        "contact": str(person.pk),
        "published": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_company_publishes_its_profile(client, user_alpha, alpha):
    client.force_login(user_alpha)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _form(user_alpha.contact))
    assert response.status_code == 302
    profile = Profile.objects.get(company=alpha)
    assert profile.published and profile.published_at
    assert sorted(profile.codes("process")) == ["cnc_milling", "cnc_turning"]
    assert sorted(profile.codes("certification")) == ["iatf_16949", "iso_9001"]
    event = AuditEvent.objects.get(action="atlas_profile.published")
    assert event.actor_id == user_alpha.pk
    assert event.after["certification"] == ["IATF 16949", "ISO 9001"]
    assert event.after["process"] == ["CNC-Drehen", "CNC-Fräsen"]  # names, not codes


def test_saving_again_replaces_entries_and_withdrawing_is_recorded(client, user_alpha, alpha):
    client.force_login(user_alpha)
    client.post(URL, _form(user_alpha.contact))
    client.post(URL, _form(user_alpha.contact, processes=["welding"], published=None))
    profile = Profile.objects.get(company=alpha)
    assert not profile.published
    assert profile.codes("process") == ["welding"]
    assert ProfileEntry.objects.filter(profile=profile, kind="process").count() == 1
    assert AuditEvent.objects.filter(action="atlas_profile.withdrawn").count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"contact": None}, "contact"),  # publishing needs someone who receives requests
        ({"processes": ["no-such-process"]}, "processes"),
        ({"certifications": ["ISO 9999"]}, "certifications"),
        ({"capacity": "infinite"}, "capacity"),
        ({"summary": "x" * 2001}, "summary"),
    ],
)
def test_bad_input_says_why_and_writes_nothing(client, user_alpha, changes, field):
    client.force_login(user_alpha)
    response = client.post(URL, _form(user_alpha.contact, **changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Profile.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="atlas_").exists()


def test_contact_of_another_company_is_refused(client, user_alpha, beta):
    foreign = Contact.objects.create(
        company=beta, first_name="Fremd", last_name="Beta", email="f@beta.example"
    )
    client.force_login(user_alpha)
    response = client.post(URL, _form(foreign))
    assert response.status_code == 400
    assert "contact" in response.context["form"].errors
    assert not Profile.objects.exists()


def test_contact_without_address_cannot_receive_requests(client, user_alpha, alpha):
    silent = Contact.objects.create(company=alpha, first_name="Ohne", last_name="Mail")
    client.force_login(user_alpha)
    response = client.post(URL, _form(silent))
    assert response.status_code == 400
    assert not Profile.objects.exists()


def test_profile_page_by_persona(
    client, user_alpha, user_beta, alpha, beta, cluster_manager, project_manager
):
    published = publish(alpha, processes=["welding"])
    hidden = publish(beta, processes=["casting"])
    hidden.published = False
    hidden.save()
    client.force_login(user_beta)
    assert client.get(reverse("atlas:profile", args=[published.pk])).status_code == 200
    assert client.get(reverse("atlas:profile", args=[hidden.pk])).status_code == 200  # own
    client.force_login(user_alpha)
    assert client.get(reverse("atlas:profile", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("atlas:profile", args=[99999])).status_code == 404
    client.force_login(cluster_manager)
    assert client.get(reverse("atlas:profile", args=[hidden.pk])).status_code == 200
    client.force_login(project_manager)
    assert client.get(reverse("atlas:search")).status_code == 403
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(reverse("atlas:search")).status_code == 302
