"""The identity pages: a cluster manager sets a cluster's sender, imprint, colour and logo; the
agency's identity is the agency administrator's; bad input is refused in German with nothing
saved; each cluster's public pages carry that cluster's imprint."""

from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from members.identity import identity_for
from members.models import Agency, Cluster
from members.models.identity import LOGO_MAX_BYTES

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _form(cluster: Cluster, **changes) -> dict:
    data = {
        "name": cluster.name,
        "short_name": cluster.short_name,
        "colour": cluster.colour,
        "sender_name": cluster.sender_name,
        "sender_email": cluster.sender_email,
        "reply_to": cluster.reply_to,
        "address": cluster.address,
        "city": cluster.city,
        "imprint": cluster.imprint,
        "privacy_notice": cluster.privacy_notice,
    }
    return data | changes


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")


def test_cluster_manager_sets_sender_imprint_and_logo(cm_client, settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    cluster = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    identity_for(cluster)  # cached before: the change must reach the next page anyway
    url = reverse("members:cluster_identity_edit", args=["kunststoff"])
    assert cm_client.get(url).status_code == 200
    response = cm_client.post(
        url,
        _form(
            cluster,
            sender_name="Kunststoffcluster HN",
            sender_email="kunststoff@hn.example",
            reply_to="team@hn.example",
            colour="#1b5e20",
            imprint="Verantwortlich: **Jonas Beispiel**",
            logo_upload=_upload("logo.png", PNG),
        ),
    )
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.sender_email == "kunststoff@hn.example" and cluster.colour == "#1b5e20"
    identity = identity_for(cluster)
    assert identity.from_header == "Kunststoffcluster HN <kunststoff@hn.example>"
    assert identity.reply_address == "team@hn.example"
    assert "<strong>Jonas Beispiel</strong>" in identity.imprint_html
    event = AuditEvent.objects.get(action="identity.cluster_changed")
    assert event.after["sender_email"] == "kunststoff@hn.example"
    logo = Client().get(identity.logo_path)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == PNG


def test_invalid_colour_and_bad_logos_are_refused_in_german_and_nothing_is_saved(
    cm_client, settings, tmp_path, db
):
    settings.MEDIA_ROOT = tmp_path
    cluster = Cluster.objects.create(slug="metall", name="MetallDIALOG")
    url = reverse("members:cluster_identity_edit", args=["metall"])
    cases = [
        ({"colour": "blau"}, "Farbe als #rrggbb"),
        ({"logo_upload": _upload("big.png", PNG + b"\0" * LOGO_MAX_BYTES)}, "größer als"),
        ({"logo_upload": _upload("x.png", b"<svg onload=alert(1)>")}, "PNG- oder JPEG-Bild"),
        ({"sender_email": "keine-adresse"}, "gültige E-Mail-Adresse"),
    ]
    for changes, message in cases:
        response = cm_client.post(url, _form(cluster, sender_name="Geändert", **changes))
        assert response.status_code == 400, changes
        assert message in response.content.decode(), changes
    stored = Cluster.objects.get(pk=cluster.pk)
    assert stored.sender_name == cluster.sender_name and not stored.logo
    assert not AuditEvent.objects.filter(action="identity.cluster_changed").exists()
    assert not list(tmp_path.rglob("*.png"))


def test_the_agency_is_the_agency_administrators(cm_client, agency_admin, a_client, db):
    url = reverse("members:agency_identity_edit")
    assert cm_client.get(url).status_code == 403
    assert a_client.get(reverse("members:identity_list")).status_code == 403
    cluster = Cluster.objects.create(slug="fremd", name="Fremdcluster")
    assert (
        a_client.get(reverse("members:cluster_identity_edit", args=[cluster.slug])).status_code
        == 403
    )
    admin = Client()
    admin.force_login(agency_admin)
    agency = Agency.objects.get(pk=1)
    response = admin.post(
        url,
        {
            "name": "Agentur Süd GmbH",
            "short_name": "Agentur Süd",
            "colour": "#333333",
            "sender_name": "Agentur Süd GmbH",
            "sender_email": "info@agentur-sued.example",
            "reply_to": "",
            "address": "Marktplatz 1, 71634 Ludwigsburg",
            "city": "Ludwigsburg",
            "imprint": agency.imprint,
        },
    )
    assert response.status_code == 302
    assert identity_for().name == "Agentur Süd GmbH"
    page = admin.get(reverse("members:identity_list")).content.decode()
    assert "Marktplatz 1, 71634 Ludwigsburg" in page  # the staff footer speaks for the agency


def test_each_clusters_public_page_carries_its_own_imprint(client, db):
    from tests.factories import ForumFactory

    for slug, name, imprint, colour in (
        ("metall", "MetallDIALOG", "Impressum Metall HRB 111", "#0d47a1"),
        ("kunststoff", "Kunststoffcluster", "Impressum Kunststoff HRB 222", "#1b5e20"),
    ):
        cluster = Cluster.objects.create(
            slug=slug,
            name=name,
            sender_name=f"{name} Team",
            sender_email=f"info@{slug}.example",
            imprint=imprint,
            colour=colour,
            privacy_notice=f"Datenschutz {name}",
        )
        ForumFactory(cluster=cluster, title=f"Forum {name}")
    for slug, mine, theirs in (
        ("metall", "HRB 111", "HRB 222"),
        ("kunststoff", "HRB 222", "HRB 111"),
    ):
        cluster = Cluster.objects.get(slug=slug)
        forum = cluster.forums.get()
        for url in (
            reverse("public:cluster", args=[slug]),
            reverse("public:forum", args=[slug, forum.pk]),
            reverse("public:imprint", args=[slug]),
        ):
            page = client.get(url).content.decode()
            assert mine in page and theirs not in page, url
            assert f"info@{slug}.example" in page, url
            assert cluster.colour in page, url  # the header in the cluster's colour
        imprint_page = client.get(reverse("public:imprint", args=[slug])).content.decode()
        assert f"Datenschutz {cluster.name}" in imprint_page


def test_a_manager_bound_to_one_cluster_edits_only_that_clusters_identity(db):
    from tests.two_clusters import cluster_manager_of

    own = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    other = Cluster.objects.create(slug="metall", name="Metallcluster")
    client = Client()
    client.force_login(cluster_manager_of("kunststoff@example.org", own))
    listed = client.get(reverse("members:identity_list")).content.decode()
    assert reverse("members:cluster_identity_edit", args=[own.slug]) in listed
    assert reverse("members:cluster_identity_edit", args=[other.slug]) not in listed
    url = reverse("members:cluster_identity_edit", args=[other.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(other, name="Übernommen")).status_code == 404
    assert Cluster.objects.get(pk=other.pk).name == "Metallcluster"
