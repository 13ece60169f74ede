"""Mail texts per cluster: a cluster's own text, else the agency-wide one, else the shipped
template. A cluster manager bound to one cluster edits that cluster's texts only; the
agency-wide text is for agency-wide logins. Mails pick the text by their sender's cluster."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from circulars.mails import circular_mails
from circulars.models import Circular
from core.models import AuditEvent
from forums.invitations import invitation_mails
from forums.models import Forum
from members.identity import identity_forget
from outbox.mailtexts import catalogue, selectors, services
from outbox.models import Batch, Mail, MailText
from tests.factories import ForumFactory, company_with_contacts
from tests.two_clusters import cluster_manager_of

pytestmark = pytest.mark.django_db

KIND = "forum_invitation"
TEMPLATE = "emails/forums_invitation"
PLASTICS_DRAFT = {
    "subject": "Kunststoff lädt ein: {{ forum.title }}",
    "text": "",
    "body_markdown": "Guten Tag {{ contact.full_name }},\n\n[Anmelden]({{ registration_url }})",
}
AGENCY_DRAFT = dict(PLASTICS_DRAFT, subject="Die Agentur lädt ein: {{ forum.title }}")


@pytest.fixture
def kunststoff(kunststoff):
    """The plastics cluster (tests.two_clusters) with a sender of its own."""
    kunststoff.sender_name = "Kunststoffcluster"
    kunststoff.sender_email = "info@kunststoff.example"
    kunststoff.save()
    identity_forget(kunststoff.pk)
    return kunststoff


@pytest.fixture
def person(metall):
    return company_with_contacts("Alpha GmbH", contacts=1, cluster=metall).contacts.get()


def _invitation(cluster, person) -> Mail:
    """The invitation to `person` as the bulk send builds it (unsaved)."""
    forum = ForumFactory(cluster=cluster, title=f"Forum {cluster.slug}")
    batch = Batch.objects.create(
        kind=KIND, content_type=ContentType.objects.get_for_model(Forum), object_id=forum.pk
    )
    [mail] = invitation_mails(batch, [person])
    return mail


def _url(name="outbox:mailtext_edit", cluster=None, args=(KIND, "de")):
    url = reverse(name, args=list(args)) if args else reverse(name)
    return url + (f"?cluster={cluster.pk}" if cluster else "")


def _save(actor, draft, cluster=None):
    return services.mail_text_save(
        mail_type=catalogue.get_or_404(KIND), language="de", draft=draft, actor=actor,
        cluster=cluster,
    )  # fmt: skip


def _reset(actor, cluster=None):
    return services.mail_text_reset(
        mail_type=catalogue.get_or_404(KIND), language="de", actor=actor, cluster=cluster
    )


def test_plastics_managers_edit_changes_plastics_invitations_only(
    client, metall, kunststoff, plastics_manager, person
):
    metal_default = _invitation(metall, person).subject
    assert metal_default.startswith("Einladung: Forum metall")

    client.force_login(plastics_manager)
    response = client.post(_url(cluster=kunststoff), dict(PLASTICS_DRAFT, action="save"))
    assert response.status_code == 302
    assert response["Location"] == _url(cluster=kunststoff)
    version = MailText.objects.get()
    assert (version.cluster, version.template) == (kunststoff, TEMPLATE)
    event = AuditEvent.objects.get(action="mail_text.saved")
    assert event.actor == plastics_manager and event.after["cluster"] == str(kunststoff)

    plastics = _invitation(kunststoff, person)
    assert plastics.subject == "Kunststoff lädt ein: Forum kunststoff"
    assert plastics.from_email == "Kunststoffcluster <info@kunststoff.example>"
    assert _invitation(metall, person).subject == metal_default
    # A mail of no cluster (the agency's) keeps the default too.
    assert selectors.text_in_force(TEMPLATE, "de") is None


def test_a_cluster_inherits_the_agency_text_until_it_has_its_own_and_after_its_reset(
    cluster_manager, metall, kunststoff, person
):
    shipped = {c.slug: _invitation(c, person).subject for c in (metall, kunststoff)}
    _save(cluster_manager, AGENCY_DRAFT)  # agency-wide: both clusters inherit it
    assert _invitation(metall, person).subject == "Die Agentur lädt ein: Forum metall"
    assert _invitation(kunststoff, person).subject == "Die Agentur lädt ein: Forum kunststoff"

    _save(cluster_manager, PLASTICS_DRAFT, cluster=kunststoff)
    assert _invitation(kunststoff, person).subject == "Kunststoff lädt ein: Forum kunststoff"
    assert _invitation(metall, person).subject == "Die Agentur lädt ein: Forum metall"

    _reset(cluster_manager, cluster=kunststoff)  # back to the agency-wide text, not shipped
    assert _invitation(kunststoff, person).subject == "Die Agentur lädt ein: Forum kunststoff"
    with pytest.raises(Exception, match="agenturweiten"):
        _reset(cluster_manager, cluster=kunststoff)  # nothing of its own left to reset

    _reset(cluster_manager)  # the agency-wide text goes: every cluster gets the shipped one
    assert {c.slug: _invitation(c, person).subject for c in (metall, kunststoff)} == shipped
    assert MailText.objects.filter(cluster=kunststoff).count() == 2
    assert MailText.objects.filter(cluster=None).count() == 2


def test_the_cache_holds_one_entry_per_cluster_and_a_save_drops_only_its_own(
    cluster_manager, metall, kunststoff
):
    _save(cluster_manager, AGENCY_DRAFT)
    _save(cluster_manager, PLASTICS_DRAFT, cluster=kunststoff)
    keys = {c: selectors.cache_key(TEMPLATE, "de", c.pk) for c in (metall, kunststoff)}
    assert len(set(keys.values()) | {selectors.cache_key(TEMPLATE, "de")}) == 3
    assert selectors.text_in_force(TEMPLATE, "de", metall.pk)["subject"] == AGENCY_DRAFT["subject"]
    plastics_text = selectors.text_in_force(TEMPLATE, "de", kunststoff.pk)
    assert plastics_text["subject"] == PLASTICS_DRAFT["subject"]
    assert cache.get(keys[metall])["subject"] == AGENCY_DRAFT["subject"]
    assert cache.get(keys[kunststoff])["subject"] == PLASTICS_DRAFT["subject"]

    _save(cluster_manager, dict(PLASTICS_DRAFT, subject="Neu {{ forum.title }}"), kunststoff)
    assert cache.get(keys[kunststoff]) is None
    assert cache.get(keys[metall]) is not None  # another cluster's entry stays
    # The agency-wide text is inherited: its change drops every cluster's entry.
    selectors.text_in_force(TEMPLATE, "de", kunststoff.pk)
    _save(cluster_manager, dict(AGENCY_DRAFT, subject="Agentur neu {{ forum.title }}"))
    assert cache.get(keys[metall]) is None and cache.get(keys[kunststoff]) is None
    assert selectors.text_in_force(TEMPLATE, "de", metall.pk)["subject"].startswith("Agentur neu")


def test_a_metal_manager_cannot_reach_the_plastics_text_nor_edit_the_agency_one(
    client, metall, kunststoff, metal_manager
):
    client.force_login(metal_manager)
    reset = {"name": "outbox:mailtext_reset"}
    assert client.get(_url(cluster=kunststoff)).status_code == 404
    save = dict(PLASTICS_DRAFT, action="save")
    assert client.post(_url(cluster=kunststoff), save).status_code == 404
    assert client.post(_url(cluster=kunststoff, **reset)).status_code == 404
    assert client.get(_url("outbox:mailtext_list", kunststoff, args=())).status_code == 404
    assert client.get(_url() + "?cluster=x").status_code == 404
    # The agency-wide text: a page opened lands on the own cluster's, a write is refused.
    response = client.get(_url())
    assert response.status_code == 302 and response["Location"] == _url(cluster=metall)
    # The list at its plain address (where the navigation links) is the own cluster's.
    listing = client.get(reverse("outbox:mailtext_list"))
    assert listing.status_code == 200
    assert f"?cluster={metall.pk}" in listing.content.decode()
    assert f"?cluster={kunststoff.pk}" not in listing.content.decode()
    assert client.post(_url(), dict(AGENCY_DRAFT, action="save")).status_code == 403
    assert client.post(_url(**reset)).status_code == 403
    assert not MailText.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="mail_text.").exists()

    page = client.get(_url(cluster=metall)).content.decode()
    assert "Kunststoffcluster" not in page and "Agenturweit" not in page  # no such choice
    assert client.post(_url(cluster=metall), save).status_code == 302
    assert MailText.objects.get().cluster == metall


def test_a_manager_without_clusters_gets_403(client, db):
    client.force_login(cluster_manager_of("ohne@example.org"))
    assert client.get(_url()).status_code == 403
    assert client.get(reverse("outbox:mailtext_list")).status_code == 403


def test_editor_shows_the_inherited_text_and_previews_and_tests_as_the_cluster(
    client, cluster_manager, kunststoff, django_capture_on_commit_callbacks
):
    _save(cluster_manager, AGENCY_DRAFT)
    client.force_login(cluster_manager)
    page = client.get(_url(cluster=kunststoff)).content.decode()
    assert "verwendet den agenturweiten Text" in page
    assert "Die Agentur lädt ein: {{ forum.title }}" in page  # the editor starts from it
    assert "Kunststoffcluster" in page and "Agenturweit" in page  # the choices
    assert "info@kunststoff.example" in page  # the preview is signed by the cluster

    with django_capture_on_commit_callbacks(execute=False):
        client.post(_url(cluster=kunststoff), dict(PLASTICS_DRAFT, action="test"))
    test_mail = Mail.objects.get()
    assert test_mail.from_email == "Kunststoffcluster <info@kunststoff.example>"
    assert "info@kunststoff.example" in test_mail.html_body

    client.post(_url(cluster=kunststoff), dict(PLASTICS_DRAFT, action="save"))
    page = client.get(_url(cluster=kunststoff)).content.decode()
    assert "verwendet den agenturweiten Text" not in page
    assert "Wieder den agenturweiten Text verwenden" in page
    # The history is the cluster's: the agency-wide version is not among it.
    history = page.split('id="mailtext-history"')[1]
    assert "Kunststoff lädt ein" in history and "Die Agentur lädt ein" not in history


def test_list_shows_the_clusters_texts_and_its_queries_do_not_grow(
    client, cluster_manager, metall, kunststoff, plastics_manager, django_assert_max_num_queries
):
    client.force_login(plastics_manager)
    url = _url("outbox:mailtext_list", kunststoff, args=())
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    count = len(few.captured_queries)  # now: the next request empties the query log
    for kind in ("forum_invitation", "forum_reminder", "crm_task_due"):
        mail_type = catalogue.get_or_404(kind)
        for language in ("de", "en"):
            for cluster in (None, metall, kunststoff) if mail_type.per_cluster else (None,):
                services.mail_text_save(
                    mail_type=mail_type,
                    language=language,
                    draft={"subject": "S", "text": "", "body_markdown": "B"},
                    actor=cluster_manager,
                    cluster=cluster,
                )
    services.mail_text_save(
        mail_type=catalogue.get_or_404("circular"), language="de",
        draft={"subject": "S", "text": "", "body_markdown": "B"}, actor=cluster_manager,
    )  # fmt: skip
    with django_assert_max_num_queries(count):
        page = client.get(url).content.decode()
    assert page.count("angepasst") == 4  # the plastics texts
    assert page.count("agenturweiter Text") == 1  # the circular inherits the agency's
    # The agency's own mails (a task due goes to staff) are not worded per cluster.
    assert "Nachfassaufgabe fällig" not in page and ">Rundschreiben</th>" in page


def test_a_circular_is_written_in_its_clusters_text_and_signed_by_it(
    cluster_manager, metall, kunststoff, person
):
    circular_type = catalogue.get_or_404("circular")
    services.mail_text_save(
        mail_type=circular_type, language="de", cluster=kunststoff, actor=cluster_manager,
        draft={"subject": "Kunststoff-Rundschreiben: {{ subject }}", "text": "",
               "body_markdown": "{{ body }}"},
    )  # fmt: skip

    def built(cluster):
        circular = Circular.objects.create(cluster=cluster, subject="Förderung", body="Text")
        batch = Batch.objects.create(
            kind="circular",
            content_type=ContentType.objects.get_for_model(Circular),
            object_id=circular.pk,
        )
        [mail] = circular_mails(batch, [person])
        return mail

    plastics = built(kunststoff)
    assert plastics.subject == "Kunststoff-Rundschreiben: Förderung"
    assert "info@kunststoff.example" in plastics.html_body  # the imprint: the cluster's
    assert built(metall).subject == "Förderung"


def test_a_mail_of_no_cluster_has_the_agency_wide_text_only(
    client, cluster_manager, kunststoff, plastics_manager
):
    task_due = catalogue.get_or_404("crm_task_due")
    assert not task_due.per_cluster and catalogue.get_or_404("circular").per_cluster
    with pytest.raises(ValidationError):
        services.mail_text_save(
            mail_type=task_due, language="de", actor=cluster_manager, cluster=kunststoff,
            draft={"subject": "S", "text": "", "body_markdown": "B"},
        )  # fmt: skip
    client.force_login(plastics_manager)
    url = reverse("outbox:mailtext_edit", args=["crm_task_due", "de"])
    assert client.get(url).status_code == 403  # not this login's to edit, nor a cluster's
    assert client.get(f"{url}?cluster={kunststoff.pk}").status_code == 404
    client.force_login(cluster_manager)
    assert client.get(f"{url}?cluster={kunststoff.pk}").status_code == 404
    page = client.get(url).content.decode()
    assert 'id="mailtext-scope"' not in page  # no choice of cluster for it
    assert not MailText.objects.exists()
