"""Every page an anonymous person can POST to, driven the way a browser does under enforced
CSRF checks: GET the page, read its form (hidden fields included) from the HTML, POST it back
with the cookie the page set and the browser's Origin header.

Each case first sends the form without its token (the request is refused with 403 and writes
nothing), then as the page gave it (the action takes effect). A page that loses its
`{% csrf_token %}` fails here, because its form then carries no token.

The one-click opt-out (RFC 8058) is exempt on purpose: a mail client posts it without a page.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from forums import services as forum_services
from forums.models import Forum, Registration
from forums.tokens import make_feedback_token, make_registration_token
from members.models import Company, Contact
from outbox.models import Mail, Suppression
from outbox.rendering import opt_out_token
from privacy import consent as consent_services
from privacy.models import Consent
from publicpages.models import PublicRequest
from sefex import services as sefex_services
from sefex.models import Workshop
from sefex.tokens import make_feedback_token as make_workshop_feedback_token
from sefex.tokens import make_slot_token
from tests.conftest import PASSWORD
from tests.forums.conftest import build_forum, cluster  # noqa: F401 - fixture
from tests.html import forms
from tests.sefex.conftest import future, module, programme, proposed, scheduled  # noqa: F401
from tests.totp import totp_code

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://testserver"
TOKEN = "csrfmiddlewaretoken"


@dataclass
class Visit:
    """One anonymous form: the page, what the visitor types or picks, and the outcome."""

    url: str
    fill: dict = field(default_factory=dict)
    button: dict | None = None  # the submit button pressed ({name: value}), if it matters
    form_action: str | None = None  # which form of the page (its action), if not the main one
    effect: Callable[["Browser"], bool] = lambda browser: False  # true once it took effect
    then: Callable[["Browser", object], None] | None = None  # a second step (e.g. the code)


class Browser:
    """A test client that refuses requests without a valid CSRF token, used as a browser."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def open(self, url):
        page = self.client.get(url, follow=True)
        assert page.status_code == 200, (url, page.status_code)
        assert settings.CSRF_COOKIE_NAME in self.client.cookies, "the page set no CSRF cookie"
        return page

    def form_of(self, page, action: str | None):
        """The page's form: the one posting to `action`, else the first one that is not
        the language switch or the logout of the page header."""
        chrome = {reverse("set_language"), reverse("account_logout")}
        candidates = [f for f in forms(page.content.decode()) if f["method"] == "post"]
        if action is not None:
            candidates = [f for f in candidates if f["action"] == action]
        else:
            candidates = [f for f in candidates if f["action"] not in chrome]
        assert candidates, f"no such form on {page.request['PATH_INFO']}"
        return candidates[0]

    def submit(self, page, visit: Visit, *, with_token: bool):
        form = self.form_of(page, visit.form_action)
        data = {
            name: value
            for name, (kind, value) in form["fields"].items()
            if kind == "hidden" or (kind in ("text", "email", "select") and value)
        }
        assert TOKEN in data, "the form carries no CSRF token"
        if not with_token:
            del data[TOKEN]
        data.update(visit.fill)
        if visit.button:
            assert visit.button in [{b["name"]: b["value"]} for b in form["buttons"]]
            data.update(visit.button)
        action = form["action"] or page.request["PATH_INFO"]
        return self.client.post(action, data, headers={"origin": ORIGIN})


# --- the pages -------------------------------------------------------------------------------


def _non_member_contact() -> Contact:
    company = Company.objects.create(legal_name="Gamma Partner KG", city="Heilbronn")
    return Contact.objects.create(
        company=company, first_name="Gerda", last_name="Gamma", email="gerda@gamma.example"
    )


def _link_in(text: str, path: str) -> str:
    return urlsplit(re.search(rf"https?://\S+{path}\S+", text).group(0)).path


def consent_confirm(world) -> Visit:
    contact = _non_member_contact()
    consent_services.consent_request(contact=contact, form="test")
    mail = Mail.objects.get(kind=consent_services.CONFIRMATION_KIND)
    url = _link_in(mail.text_body, "/privacy/consent/")
    return Visit(
        url,
        effect=lambda browser: Consent.objects.filter(state=Consent.State.CONFIRMED).exists(),
    )


def consent_withdraw(world) -> Visit:
    contact = _non_member_contact()
    consent_services.consent_request(contact=contact, form="test")
    consent = Consent.objects.get()
    Consent.objects.filter(pk=consent.pk).update(state=Consent.State.CONFIRMED)
    url = urlsplit(consent_services.withdraw_url(consent)).path
    return Visit(
        url, effect=lambda browser: Consent.objects.filter(state=Consent.State.WITHDRAWN).exists()
    )


def forum_registration_link(world) -> Visit:
    forum = build_forum(world["cluster"])
    contact = world["company_a"].contacts.first()
    token = make_registration_token(contact=contact, forum=forum)
    return Visit(
        reverse("forums:token", args=[token]),
        button={"action": "register"},
        effect=lambda browser: Registration.objects.filter(contact=contact).exists(),
    )


def forum_registration_link_listed(world) -> Visit:
    """The same link, ticking "show me on the attendee list"."""
    forum = build_forum(world["cluster"])
    contact = world["company_a"].contacts.first()
    token = make_registration_token(contact=contact, forum=forum)
    return Visit(
        reverse("forums:token", args=[token]),
        fill={"listed": "on"},
        button={"action": "register"},
        effect=lambda browser: Registration.objects.filter(
            contact=contact, listed_since__isnull=False
        ).exists(),
    )


def forum_link_attendee_list_withdraw(world) -> Visit:
    """On the same link, a registered person takes themselves off the attendee list."""
    forum = build_forum(world["cluster"])
    contact = world["company_a"].contacts.first()
    registration = forum_services.registration_create(forum=forum, contact=contact)
    Registration.objects.filter(pk=registration.pk).update(listed_since=forum.published_at)
    token = make_registration_token(contact=contact, forum=forum)
    return Visit(
        reverse("forums:token", args=[token]),
        button={"action": "unlist"},
        effect=lambda browser: Registration.objects.filter(
            pk=registration.pk, listed_since__isnull=True
        ).exists(),
    )


def forum_feedback(world) -> Visit:
    forum = build_forum(world["cluster"])
    contact = world["company_a"].contacts.first()
    registration = forum_services.registration_create(forum=forum, contact=contact)
    forum_services.registration_check_in(
        registration=registration, actor=world["staff"], early=True
    )
    Forum.objects.filter(pk=forum.pk).update(state=Forum.State.HELD)
    token = make_feedback_token(contact=contact, forum=forum)
    return Visit(
        reverse("forums:feedback", args=[token]),
        fill={"rating": "4", "comment": "Gute Gespräche"},
        effect=lambda browser: Registration.objects.filter(feedback__rating=4).exists(),
    )


def sefex_slot_choice(world) -> Visit:
    contact = world["company_a"].contacts.first()
    workshop = proposed(world["company_a"], world["module"], world["staff"], [future(3), future(4)])
    token = make_slot_token(contact=contact, workshop=workshop)
    slot = workshop.slots.order_by("starts_at").last()
    return Visit(
        reverse("sefex:token", args=[token]),
        fill={"slot": str(slot.pk)},
        effect=lambda browser: Workshop.objects.filter(
            pk=workshop.pk, state=Workshop.State.SCHEDULED
        ).exists(),
    )


def sefex_feedback(world) -> Visit:
    contact = world["company_a"].contacts.first()
    workshop = scheduled(world["company_a"], world["module"], world["staff"], future(3))
    sefex_services.workshop_mark_held(workshop=workshop, actor=world["staff"], now=workshop.ends_at)
    token = make_workshop_feedback_token(contact=contact, workshop=workshop)
    return Visit(
        reverse("sefex:feedback", args=[token]),
        fill={"rating": "5"},
        effect=lambda browser: workshop.feedback.filter(rating=5).exists(),
    )


def _logged_in(browser) -> bool:
    return "_auth_user_id" in browser.client.session


def login(world) -> Visit:
    user = world["company_user"]
    return Visit(
        reverse("account_login"),
        fill={"login": user.email, "password": PASSWORD},
        effect=_logged_in,
    )


def login_with_second_factor(world) -> Visit:
    """Staff: the password, then the authenticator code on the page that follows."""
    user = world["staff"]
    second_factor = reverse("mfa_authenticate")

    def type_the_app_code(browser, response):
        assert response.url == second_factor
        page = browser.open(second_factor)
        step = Visit(second_factor, fill={"code": totp_code()})
        assert browser.submit(page, step, with_token=False).status_code == 403
        assert not _logged_in(browser)
        assert browser.submit(page, step, with_token=True).status_code == 302
        assert _logged_in(browser)

    return Visit(
        reverse("account_login"),
        fill={"login": user.email, "password": PASSWORD},
        effect=lambda browser: browser.client.get(second_factor).status_code == 200,
        then=type_the_app_code,
    )


def _code_from(sink) -> str:
    text = sink.messages[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", text.replace("\r\n", "\n"), re.M).group(1)


def login_by_code(world) -> Visit:
    """Asking for the code is one form; typing it on the page that follows is the second."""
    user, sink = world["company_user"], world["smtp_sink"]

    def type_the_code(browser, response):
        assert response.status_code == 302
        page = browser.open(response.url)
        step = Visit(page.request["PATH_INFO"], fill={"code": _code_from(sink)})
        refused = browser.submit(page, step, with_token=False)
        assert refused.status_code == 403
        assert not _logged_in(browser)
        done = browser.submit(page, step, with_token=True)
        assert done.status_code == 302, done.content.decode()[:500]
        assert _logged_in(browser)

    return Visit(
        reverse("account_request_login_code"),
        fill={"email": user.email},
        effect=lambda browser: len(sink.messages) == 1,
        then=type_the_code,
    )


def password_reset(world) -> Visit:
    """The request form, then the new password on the page the mailed link opens."""
    user, sink = world["company_user"], world["smtp_sink"]
    new_password = "ein-neues-langes-passwort-7"

    def set_new_password(browser, response):
        assert response.status_code == 302
        text = sink.messages[-1].get_body(preferencelist=("plain",)).get_content()
        page = browser.open(_link_in(text, "/accounts/password/reset/key/"))
        step = Visit(
            page.request["PATH_INFO"], fill={"password1": new_password, "password2": new_password}
        )
        assert browser.submit(page, step, with_token=False).status_code == 403
        user.refresh_from_db()
        assert user.check_password(PASSWORD)
        assert browser.submit(page, step, with_token=True).status_code == 302
        user.refresh_from_db()
        assert user.check_password(new_password)

    return Visit(
        reverse("account_reset_password"),
        fill={"email": user.email},
        effect=lambda browser: len(sink.messages) == 1,
        then=set_new_password,
    )


def language_switch(world) -> Visit:
    """The header of every page (here the privacy notice) switches the language by POST."""
    return Visit(
        reverse("privacy:notice"),
        form_action=reverse("set_language"),
        button={"language": "en"},
        effect=lambda browser: settings.LANGUAGE_COOKIE_NAME in browser.client.cookies,
    )


def public_registration(world) -> Visit:
    """The public forum page's form: a person the network does not know yet."""
    forum = build_forum(world["cluster"], audience=Forum.Audience.OPEN)
    return Visit(
        reverse("public:register", args=[forum.cluster.slug, forum.pk]),
        fill={
            "first_name": "Nora",
            "last_name": "Neu",
            "company": "Neu Metallbau GmbH",
            "email": "nora@neu.example",
            "privacy": "on",
        },
        effect=lambda browser: PublicRequest.objects.exists(),
    )


def public_registration_confirm(world) -> Visit:
    forum = build_forum(world["cluster"], audience=Forum.Audience.OPEN)
    Client().post(
        reverse("public:register", args=[forum.cluster.slug, forum.pk]),
        {
            "first_name": "N",
            "last_name": "N",
            "company": "N",
            "email": "n@n.example",
            "privacy": "on",
        },
    )
    url = _link_in(Mail.objects.get(kind=consent_services.CONFIRMATION_KIND).text_body, "/events/")
    return Visit(url, effect=lambda browser: Registration.objects.filter(forum=forum).exists())


CASES = [
    public_registration,
    public_registration_confirm,
    consent_confirm,
    consent_withdraw,
    forum_registration_link,
    forum_registration_link_listed,
    forum_link_attendee_list_withdraw,
    forum_feedback,
    sefex_slot_choice,
    sefex_feedback,
    login,
    login_with_second_factor,
    login_by_code,
    password_reset,
    language_switch,
]


@pytest.fixture
def world(cluster, company_a, module, project_manager, company_user_a, smtp_sink):  # noqa: F811
    return {
        "cluster": cluster,
        "company_a": company_a,
        "module": module,
        "staff": project_manager,
        "company_user": company_user_a,
        "smtp_sink": smtp_sink,
    }


@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_anonymous_form_works_under_enforced_csrf(world, case):
    visit = case(world)
    browser = Browser()
    page = browser.open(visit.url)

    refused = browser.submit(page, visit, with_token=False)
    assert refused.status_code == 403
    assert "CSRF" in refused.content.decode()
    assert not visit.effect(browser)
    assert not _logged_in(browser)

    done = browser.submit(page, visit, with_token=True)
    assert done.status_code in (200, 302), done.content.decode()[:800]
    assert visit.effect(browser)
    if visit.then:
        visit.then(browser, done)


def test_one_click_opt_out_needs_no_token(company_a):
    """RFC 8058: the mail client posts `List-Unsubscribe=One-Click` without opening a page."""
    contact = company_a.contacts.first()
    contact.email = "anna@alpha.example"
    contact.save()
    url = reverse(
        "outbox:opt_out", args=[opt_out_token(email=contact.email, contact_id=contact.pk)]
    )
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Suppression.objects.filter(email="anna@alpha.example").exists()


FORM = re.compile(r"<form\b[^>]*method=[\"']post[\"'][^>]*>(.*?)</form>", re.S | re.I)
# Forms that must work without a token (the one-click opt-out, csrf_exempt on purpose).
WITHOUT_TOKEN = {"outbox/opt_out.html"}


def test_every_post_form_in_the_templates_carries_the_token():
    missing = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        name = str(template.relative_to(ROOT / "templates"))
        for body in FORM.findall(template.read_text()):
            if "{% csrf_token %}" not in body and "{% crispy" not in body:
                missing.append(name)
    assert [name for name in missing if name not in WITHOUT_TOKEN] == []


def test_consent_and_opt_out_pages_are_never_cached(company_a):
    contact = _non_member_contact()
    consent_services.consent_request(contact=contact, form="test")
    consent = Consent.objects.get()
    urls = [
        _link_in(Mail.objects.get().text_body, "/privacy/consent/"),
        urlsplit(consent_services.withdraw_url(consent)).path,
        reverse("outbox:opt_out", args=[opt_out_token(email=contact.email, contact_id=contact.pk)]),
    ]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
