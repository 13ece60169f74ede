"""A mail about something of no cluster (a contact, a SEFEX workshop) is signed by the agency,
as configured in the app; a cluster's sender does not leak into it."""

from email.utils import parseaddr

import pytest

from members.identity_services import identity_save
from members.models import Agency, Cluster
from outbox.tasks import send_mails

pytestmark = pytest.mark.django_db


def test_a_mail_without_a_cluster_carries_the_agencys_sender_and_imprint(
    smtp_sink, queue_test_mail
):
    agency = Agency.objects.get(pk=1)
    agency.sender_name = "Agentur Süd GmbH"
    agency.sender_email = "post@agentur-sued.example"
    agency.reply_to = "antwort@agentur-sued.example"
    agency.imprint = "Amtsgericht Ludwigsburg HRB 999"
    identity_save(instance=agency)
    cluster = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    cluster.sender_email = "kunststoff@cluster.example"
    identity_save(instance=cluster)

    mail = queue_test_mail()
    assert mail.from_email == "Agentur Süd GmbH <post@agentur-sued.example>"
    send_mails.apply(args=[[mail.pk]])
    [message] = smtp_sink.messages
    assert parseaddr(message["From"]) == ("Agentur Süd GmbH", "post@agentur-sued.example")
    assert message["Reply-To"] == "antwort@agentur-sued.example"
    for part in ("plain", "html"):
        body = message.get_body(preferencelist=(part,)).get_content()
        assert "HRB 999" in body and "Agentur Süd GmbH" in body
        assert "kunststoff@cluster.example" not in body
