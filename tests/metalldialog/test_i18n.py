"""German is the default of pages and mails; English can be chosen."""

from django.urls import reverse


def test_pages_are_german_by_default(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert '<html lang="de">' in page
    assert "Anmelden" in page
    assert "Passwort vergessen?" in page


def test_a_browser_asking_for_english_gets_english(client, db):
    # Without a preference (no Accept-Language, no choice) it is German, as above.
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page


def test_switching_to_english_and_back(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en">' in page
    assert "Forgot your password?" in page
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert "Passwort vergessen?" in client.get(reverse("account_login")).content.decode()


def test_login_code_mail_is_german(client, cluster_manager, smtp_sink):
    client.post(reverse("account_request_login_code"), {"email": cluster_manager.email})
    mail = smtp_sink.messages[0]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Anmeldecode" in mail["Subject"] or "Anmelde" in body, (mail["Subject"], body)


def test_footer_names_the_sender(client, db, settings):
    page = client.get(reverse("home")).content.decode()
    assert settings.SENDER_NAME in page
    assert settings.SENDER_CONTACT_EMAIL in page
