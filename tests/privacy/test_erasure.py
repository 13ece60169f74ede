"""Erasure leaves no trace of the person in any text column, keeps the funding figures,
and keeps the address suppressed across a re-import."""

from django.db import connection

from core.models import AuditEvent
from members.models import Contact
from outbox.models import Mail, Suppression
from outbox.services import mail_queue, suppression_add
from outbox.tasks import send_mails
from privacy.audit import PrivacyAction
from privacy.erasure import contact_erase
from privacy.models import HashedSuppression
from tests.funding.conftest import declare, future, held
from tests.funding.test_retention import erdf_figures

NAME, EMAIL = "Zacharias Quellenberg", "z.quellenberg@alpha.example"


def _hits(needle: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb')"
        )
        found = []
        for table, column in cursor.fetchall():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608
                ["%" + needle + "%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
        return found


def test_erasure_leaves_no_personal_data_and_keeps_the_figures(
    module, project_manager, cluster_manager, company_a, smtp_sink
):
    declare(company_a, project_manager)
    person = company_a.contacts.create(
        first_name="Zacharias", last_name="Quellenberg", email=EMAIL, phone="+49 7131 99999"
    )
    person.title = "Dr."
    person.save()  # a second history row
    workshop = held(company_a, module, project_manager, future(), participants=[person])
    mail = mail_queue(
        kind="privacy_test",
        related=workshop,
        recipient_email=EMAIL,
        contact=person,
        template="emails/privacy_consent",
        context={
            "contact": person,
            "text_shown": "x",
            "confirm_url": "http://x",
            "expires_at": None,
        },
    )
    send_mails.apply(args=[[mail.pk]])
    suppression_add(email=EMAIL, contact=person)
    workshop.refresh_from_db()
    # The name in some free text, e.g. the workshop's minutes.
    type(workshop).objects.filter(pk=workshop.pk).update(request_note="Workshop mit " + NAME)
    assert _hits(EMAIL) and _hits(NAME)
    before = erdf_figures()
    participants_before = workshop.participants.count()

    entry = contact_erase(contact=person, actor=cluster_manager, reason="Antrag per Brief vom 1.4.")

    assert _hits(EMAIL) == [] and _hits(NAME) == [] and _hits("Quellenberg") == []
    assert _hits("+49 7131 99999") == []
    assert erdf_figures() == before
    assert workshop.participants.count() == participants_before
    assert Mail.objects.filter(contact=person).count() == 1
    assert entry.actor == cluster_manager and entry.action == PrivacyAction.ERASED
    erased = AuditEvent.objects.get(action=PrivacyAction.ERASED)
    assert erased.reason == "Antrag per Brief vom 1.4." and erased.object_id == str(person.pk)
    # The event names nobody: the placeholder, not the person.
    assert NAME not in erased.object_repr and erased.after["mails"] == 1
    assert HashedSuppression.objects.count() == 1
    assert not Suppression.objects.exists()  # only the hash is kept

    # Re-imported later: starts opted out, and the plain suppression is back.
    again = Contact.objects.create(
        company=company_a, first_name="Z", last_name="Q", email=EMAIL.upper()
    )
    again.refresh_from_db()
    assert again.opted_out_at is not None
    assert Suppression.objects.filter(email__iexact=EMAIL).exists()


def test_an_opt_out_outlives_deleting_the_contact(company_a):
    from members.services import contact_opt_out

    person = company_a.contacts.create(
        first_name="Olga", last_name="Out", email="olga@alpha.example"
    )
    contact_opt_out(contact=person)
    person.delete()
    again = Contact.objects.create(
        company=company_a, first_name="Olga", last_name="Out", email="Olga@alpha.example"
    )
    again.refresh_from_db()
    assert again.opted_out_at is not None


def test_erasure_closes_the_persons_login_at_the_company(client, company_a, cluster_manager):
    from allauth.account.models import EmailAddress
    from django.urls import reverse

    from core.roles import Role
    from members.services import user_create
    from tests.conftest import PASSWORD

    person = company_a.contacts.create(first_name="Lotte", last_name="Loginhaber", email=EMAIL)
    user = user_create(
        email=EMAIL,
        role=Role.COMPANY_USER,
        company=company_a,
        password=PASSWORD,
        first_name="Lotte",
        last_name="Loginhaber",
    )
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    client.force_login(user)
    assert client.get("/").wsgi_request.user == user

    entry = contact_erase(contact=person, actor=cluster_manager, reason="Antrag")

    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("", "")
    assert entry.after["logins"] == 1
    assert _hits(EMAIL) == [] and _hits("Loginhaber") == []
    # The open session ends with its next request; the old address logs in no more.
    assert not client.get("/").wsgi_request.user.is_authenticated
    answer = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert answer.status_code == 200 and not answer.wsgi_request.user.is_authenticated
