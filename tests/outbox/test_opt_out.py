"""The one-click opt-out link: no login, signed, honoured by later advertising mail."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from outbox.models import Mail, Suppression
from outbox.rendering import opt_out_token
from outbox.tasks import send_mails

pytestmark = pytest.mark.django_db


def test_link_from_the_mail_opts_out_and_the_next_invitation_stays(
    client, smtp_sink, queue_test_mail, contact
):
    first = queue_test_mail(kind="confirmation")
    send_mails.apply(args=[[first.pk]])
    [message] = smtp_sink.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    url = re.search(r"http://\S+/mail/opt-out/\S+/", text).group(0)
    path = urlsplit(url).path

    page = client.get(path)  # a link scanner's GET changes nothing
    assert page.status_code == 200
    assert not Suppression.objects.exists()

    done = client.post(path)
    assert done.status_code == 200
    assert Suppression.objects.filter(email=contact.email.lower()).exists()
    contact.refresh_from_db()
    assert contact.opted_out_at is not None

    invitation = queue_test_mail(kind="invitation", marketing=True)
    send_mails.apply(args=[[invitation.pk]])
    invitation.refresh_from_db()
    assert invitation.state == Mail.State.SUPPRESSED
    assert len(smtp_sink.messages) == 1

    # Opting out twice is harmless.
    assert client.post(path).status_code == 200
    assert Suppression.objects.count() == 1


def test_forged_token_is_refused_without_writing(client, contact):
    token = opt_out_token(email=contact.email, contact_id=contact.pk)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post(reverse("outbox:opt_out", args=[forged]))
    assert response.status_code == 400
    assert not Suppression.objects.exists()
