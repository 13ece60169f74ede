"""A whole journey through pages, broker, outbox and SMTP: register, get the mail, cancel
through its link, and the waiting person moves up and is told so."""

import re

from django.urls import reverse

from forums.models import Registration
from members.models import Contact
from outbox.models import Mail
from outbox.tasks import send_mails

State = Registration.State


def _send_all():
    send_mails.apply(args=[list(Mail.objects.values_list("pk", flat=True))])


def test_register_mail_link_cancel_promote(
    client, company_user_a, company_a, make_forum, make_company, committed, smtp_sink
):
    forum = make_forum(capacity=1, seats_per_company=2)
    colleague = Contact.objects.create(
        company=company_a, first_name="Carla", last_name="Alpha", email="carla@alpha.example"
    )
    waiting_person = make_company("Warte GmbH", contacts=1).contacts.get()

    client.force_login(company_user_a)
    with committed():
        response = client.post(
            reverse("forums:register", args=[forum.pk]), {"contacts": [colleague.pk]}
        )
    assert response.status_code == 302
    assert client.post(reverse("forums:token", args=["x"])).status_code == 400  # bad link
    from forums.services import registration_create

    with committed():
        registration_create(forum=forum, contact=waiting_person)
    _send_all()
    by_recipient = {m["To"]: m for m in smtp_sink.messages}
    confirmation = by_recipient["carla@alpha.example"]
    assert forum.title in confirmation["Subject"]
    assert Mail.objects.filter(
        recipient_email="carla@alpha.example", kind="forum_registration_confirmed"
    ).exists()
    assert forum.title in by_recipient[waiting_person.email]["Subject"]
    assert Mail.objects.filter(kind="forum_registration_waitlisted").count() == 1
    assert not list(by_recipient[waiting_person.email].iter_attachments())  # no seat, no .ics

    # Carla follows the personal link in her mail and cancels, without logging in.
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://[^\s]+/forums/link/[^\s]+/", text).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]
    client.logout()
    assert client.get(path).status_code == 200
    with committed():
        response = client.post(path, {"action": "cancel"})
    assert response.status_code == 302
    assert Registration.objects.get(contact=colleague).state == State.CANCELLED
    promoted = Registration.objects.get(contact=waiting_person)
    assert promoted.state == State.CONFIRMED

    smtp_sink.messages.clear()
    _send_all()
    subjects = {m["To"]: m["Subject"] for m in smtp_sink.messages}
    assert set(subjects) == {"carla@alpha.example", waiting_person.email}
    assert Mail.objects.filter(kind="forum_registration_promoted", object_id=promoted.pk).exists()
