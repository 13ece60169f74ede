from django.urls import reverse


def test_staff_pages_render(cm_client, company_a):
    for url in [
        reverse("members:directory"),
        reverse("members:directory") + "?q=alpha&postcode=74",
        reverse("members:contacts"),
        reverse("members:company", args=[company_a.pk]),
        reverse("members:company_edit", args=[company_a.pk]),
        reverse("members:company_history", args=[company_a.pk]),
        reverse("members:contact_create", args=[company_a.pk]),
        reverse("members:relationship_create", args=[company_a.pk]),
        reverse("members:sme_figures_create", args=[company_a.pk]),
        reverse("members:company_create"),
        reverse("members:import"),
    ]:
        response = cm_client.get(url)
        assert response.status_code == 200, url


def test_portal_renders(a_client, company_a):
    for url in [
        reverse("members:portal"),
        reverse("members:portal_profile"),
        reverse("members:portal_contact_create"),
        reverse("members:portal_invitations"),
    ]:
        response = a_client.get(url)
        assert response.status_code == 200, url
