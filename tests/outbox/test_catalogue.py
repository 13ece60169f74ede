"""The one catalogue of mail kinds: every kind declared once, by one app, rendering from its
sample; the outbox's callers name declared kinds; MailKind.queue writes a row per recipient."""

import ast
import importlib
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from members.identity import identity_for
from members.models import Contact
from outbox import catalogue
from outbox.catalogue import MailKind, Recipient
from outbox.mailtexts import placeholders
from outbox.mailtexts.catalogue import placeholders_of
from outbox.models import Mail
from outbox.rendering import render_mail

# The outbox functions whose `kind` names a mail kind.
QUEUEING = {"mail_queue", "mail_build", "batch_start", "mail_cancel_pending"}


def declaring_modules() -> dict[str, tuple[MailKind, ...]]:
    """Each app's mails module that declares kinds (KINDS), and the outbox's own."""
    found = {"outbox.catalogue": catalogue.KINDS}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.mails")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "KINDS"):
            found[module.__name__] = module.KINDS
    return found


def test_every_kind_is_declared_by_one_app_and_registered_once():
    modules = declaring_modules()
    assert {"forums.mails", "sefex.mails", "privacy.mails", "circulars.mails"} <= set(modules)
    owners: dict[str, str] = {}
    for name, kinds in modules.items():
        for mail in kinds:
            assert mail.kind not in owners, (
                f"{mail.kind} declared by {owners[mail.kind]} and {name}"
            )
            owners[mail.kind] = name
            assert catalogue.get(mail.kind) is mail
    # Nothing is registered that no app's catalogue declares.
    assert {mail.kind for mail in catalogue.registered()} == set(owners)


def test_registering_a_second_declaration_of_a_kind_fails():
    from django.core.exceptions import ImproperlyConfigured

    known = catalogue.registered()[0]
    catalogue.register(known)  # the same declaration again changes nothing
    with pytest.raises(ImproperlyConfigured):
        catalogue.register(MailKind(kind=known.kind, label="Other", template=known.template))
    assert catalogue.get(known.kind) is known


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_kind_renders_from_its_sample(db, language):
    identity_for()  # the sender is in the database
    for mail in catalogue.registered():
        assert mail.sample is not None, mail.kind
        rendered = render_mail(
            template=mail.template,
            context=mail.sample(),
            language=language,
            recipient_email="anna.alpha@example.org",
            contact_id=None,
        )
        assert rendered.subject.strip(), mail.kind
        assert rendered.text.strip(), mail.kind
        assert "<html" in rendered.html.lower(), mail.kind


def test_every_placeholder_names_a_value_of_the_sample(db):
    """The kind's placeholders (declared, or read off its sample); the sender's come from the
    base context, not from the kind."""
    for mail in catalogue.registered():
        sample = mail.sample()
        names = set(mail.placeholders or {}) | set(placeholders_of(mail))
        for name in names - set(placeholders.SENDER_PLACEHOLDERS):
            assert placeholders.resolve(sample, name) is not None, f"{mail.kind}: {name}"


def _kind_values(path: Path, module_name: str):
    """(line, value) of each `kind=` passed to an outbox queueing function that the module
    defines at its top level (a constant, or a declared MailKind's `.kind`)."""
    tree = ast.parse(path.read_text())
    module = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in QUEUEING:
            continue
        for keyword in node.keywords:
            if keyword.arg != "kind":
                continue
            value = keyword.value
            if isinstance(value, ast.Constant):
                yield node.lineno, value.value
                continue
            owner = value.value if isinstance(value, ast.Attribute) else value
            if not isinstance(owner, ast.Name):
                continue
            module = module or importlib.import_module(module_name)
            found = getattr(module, owner.id, None)
            if isinstance(value, ast.Attribute) and isinstance(found, MailKind):
                yield node.lineno, found.kind
            elif isinstance(value, ast.Name) and isinstance(found, str):
                yield node.lineno, found


def test_every_kind_the_code_queues_is_registered():
    root = Path(settings.BASE_DIR)
    checked = set()
    for config in apps.get_app_configs():
        folder = Path(config.path)
        if root not in folder.parents:
            continue  # a third-party app
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module_name = ".".join(path.relative_to(root).with_suffix("").parts)
            for line, kind in _kind_values(path, module_name.removesuffix(".__init__")):
                assert catalogue.get(kind) is not None, f"{path}:{line}: {kind!r} is not declared"
                checked.add(kind)
    # The call sites were found, not skipped (the rest pass a declared kind's `.kind` along).
    assert {
        "forum_reminder",
        "sefex_action_due",
        "crm_task_due",
        "circular",
        "outbox_test",
    } <= checked


@pytest.fixture
def saved_contact(company_a):
    return Contact.objects.filter(company=company_a).first()


def test_queue_writes_one_row_per_recipient_and_skips_one_without_address(saved_contact, caplog):
    people = [
        Recipient("anna@alpha.example", "Anna Alpha"),
        Recipient("", "Niemand"),
        Recipient("kein-adresse", "Kaputt"),  # not an address: logged, left out
        Recipient("Bruno@Beta.example", "Bruno Beta", "en"),
    ]
    mail = MailKind(
        kind="catalogue_check",
        label="Check",
        template="emails/outbox_test",
        recipients=lambda obj: people,
        context=lambda obj, recipient, **extra: {"name": recipient.name, "link": extra["link"]},
    )
    caplog.set_level(logging.INFO, logger="outbox.catalogue")
    assert mail.queue(saved_contact, key="k1", link="http://testserver/x") == 2
    rows = Mail.objects.filter(kind="catalogue_check").order_by("recipient_email")
    assert [(r.recipient_email, r.language, r.key) for r in rows] == [
        ("anna@alpha.example", "de", "k1"),
        ("bruno@beta.example", "en", "k1"),
    ]
    assert rows[0].object_id == saved_contact.pk and "Anna Alpha" in rows[0].text_body
    assert "recipient without address, mail catalogue_check skipped" in caplog.text
    assert caplog.text.count("mail catalogue_check not queued") == 1  # only the broken address
    # The same key again is the same mail: nothing new.
    assert mail.queue(saved_contact, key="k1", link="http://testserver/x") == 0
    assert Mail.objects.filter(kind="catalogue_check").count() == 2


def test_queue_attaches_the_calendar_entry_only_when_the_kind_names_a_method(saved_contact):
    calls = []

    def calendar(obj, recipient, method):
        calls.append((recipient.email, method))
        return ("entry.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")

    mail = MailKind(
        kind="catalogue_calendar",
        label="Check",
        template="emails/outbox_test",
        recipients=lambda obj: [Recipient("anna@alpha.example", "Anna Alpha")],
        context=lambda obj, recipient, **extra: {"name": recipient.name, "link": "x"},
        method=lambda obj, *, seat: "REQUEST" if seat else None,
        calendar=calendar,
    )
    assert mail.queue(saved_contact, key="seat", seat=True) == 1
    assert mail.queue(saved_contact, key="none", seat=False) == 1
    attachments = dict(
        Mail.objects.filter(kind="catalogue_calendar").values_list("key", "attachments")
    )
    assert len(attachments["seat"]) == 1 and attachments["none"] == []
    assert calls == [("anna@alpha.example", "REQUEST")]
