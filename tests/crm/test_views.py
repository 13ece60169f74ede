"""The contact history's pages: the activity form (bad input writes nothing), the company
page's one timeline, "My tasks", "Kontakt aufnehmen" and done from the start page; company
users reach none of it, unknown ids answer 404, every form posts only with its CSRF token;
the lists run a fixed number of queries at two sizes."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from crm import selectors, services
from crm.models import Activity, Task
from forums.models import Registration
from members.models import Cluster, Contact
from outbox.models import Mail
from tests.forums.conftest import build_forum
from tests.html import forms

pytestmark = pytest.mark.django_db


def _task(actor, company, *, days=0, title="Rückruf"):
    return services.task_create(
        actor=actor,
        company=company,
        title=title,
        due_on=timezone.localdate() + timedelta(days=days),
        assignee=actor,
    )


def test_company_users_reach_nothing(client, company_user_a, company_a, cluster_manager):
    task = _task(cluster_manager, company_a)
    client.force_login(company_user_a)
    for url in (f"/crm/companies/{company_a.pk}/activity/", "/crm/tasks/"):
        assert client.get(url).status_code == 403
    for url in (
        f"/crm/tasks/{task.pk}/done/",
        f"/crm/tasks/{task.pk}/reopen/",
        f"/crm/companies/{company_a.pk}/take-up/",
    ):
        assert client.post(url).status_code == 403
    assert not Task.objects.filter(done_at__isnull=False).exists()
    assert Task.objects.count() == 1


def test_unknown_ids_answer_404(client, cluster_manager):
    client.force_login(cluster_manager)
    assert client.get("/crm/companies/999999/activity/").status_code == 404
    assert client.post("/crm/tasks/999999/done/").status_code == 404
    assert client.post("/crm/companies/999999/take-up/").status_code == 404


def test_log_a_visit_with_a_follow_up(client, cluster_manager, company_a):
    anna = company_a.contacts.get()
    client.force_login(cluster_manager)
    url = f"/crm/companies/{company_a.pk}/activity/"
    page = client.get(url).content.decode()
    assert "Aktivität erfassen" in page and "Anna Alpha" in page
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    data = {
        "kind": "visit",
        "happened_on": timezone.localdate().isoformat(),
        "topic": "Werksbesuch",
        "text": "Erste Zeile\nZweite Zeile",
        "contacts": [anna.pk],
        "task_title": "Angebot nachfassen",
        "task_assignee": cluster_manager.pk,
    }
    response = client.post(url, data)  # the due date is missing
    assert response.status_code == 200
    assert "Bitte geben Sie an, wann die Nachfassaktion fällig ist." in response.content.decode()
    assert not Activity.objects.exists() and not Task.objects.exists()
    response = client.post(url, {**data, "task_due_on": due})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.kind == "visit" and list(activity.contacts.all()) == [anna]
    assert activity.tasks.get().due_on.isoformat() == due
    page = client.get(response["Location"]).content.decode()
    assert page.count('id="engagement-timeline"') == 1  # one timeline, not two
    assert "Werksbesuch" in page and "Erste Zeile<br>Zweite Zeile" in page
    assert "Angebot nachfassen" in page


def test_bad_input_gets_a_message(client, cluster_manager, company_a):
    client.force_login(cluster_manager)
    url = f"/crm/companies/{company_a.pk}/activity/"
    response = client.post(
        url, {"kind": "phone", "happened_on": "31.02.2026", "topic": "", "task_due_on": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in page
    assert "Bitte ein gültiges Datum eingeben." in page
    assert not Activity.objects.exists()


def _fill_timeline(company, actor, size: int, tag: str):
    contact = Contact.objects.create(
        company=company, first_name="Tim", last_name=tag, email=f"tim{tag}@alpha.example"
    )
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    for index in range(size):
        Registration.objects.create(
            forum=build_forum(cluster, title=f"Forum {tag}{index}"),
            contact=contact,
            company=company,
            state=Registration.State.CONFIRMED,
            source=Registration.Source.STAFF,
        )
        services.activity_log(
            actor=actor,
            company=company,
            kind=Activity.Kind.CALL,
            happened_on=timezone.localdate() - timedelta(days=index),
            topic=f"Anruf {tag}{index}",
            contacts=[contact],
            follow_up={
                "title": f"Aufgabe {tag}{index}",
                "due_on": timezone.localdate(),
                "assignee": actor,
            },
        )
        Mail.objects.create(
            content_type=ContentType.objects.get_for_model(Contact),
            object_id=contact.pk,
            contact=contact,
            kind="privacy_consent",
            key=str(index),
            recipient_email=contact.email,
            subject=f"Mail {tag}{index}",
            text_body="x",
            state=Mail.State.SENT,
            sent_at=timezone.now(),
        )


def test_timeline_and_my_tasks_in_fixed_queries(
    client, cluster_manager, company_a, django_assert_num_queries
):
    client.force_login(cluster_manager)
    for size, tag in ((1, "A"), (4, "B")):
        _fill_timeline(company_a, cluster_manager, size, tag)
        with django_assert_num_queries(9):
            section = selectors.company_section(company_a)
            kinds = [event["kind"] for event in section["timeline"]]
            [list(e["activity"].contacts.all()) for e in section["timeline"] if "activity" in e]
        with django_assert_num_queries(1):
            tasks = selectors.my_tasks(cluster_manager)
    assert kinds.count("activity") == 5 and kinds.count("mail") == 5
    assert kinds.count("registration") == 5
    assert len(section["open_tasks"]) == 5 and len(tasks["open"]) == 5
    page = client.get("/crm/tasks/").content.decode()
    assert "Aufgabe B3" in page and company_a.legal_name in page
    page = client.get(f"/members/{company_a.pk}/").content.decode()
    assert "Anmeldung: Bestätigt" in page and "Forum B3" in page and "Mail B3" in page


def test_done_from_the_start_page(client, cluster_manager, company_a):
    task = _task(cluster_manager, company_a, title="Heute anrufen")
    later = _task(cluster_manager, company_a, days=5, title="Später")
    client.force_login(cluster_manager)
    page = client.get("/").content.decode()
    assert "Ihre fälligen Aufgaben" in page and "Heute anrufen" in page
    assert "Später" not in page  # not due yet
    (form,) = [f for f in forms(page) if f["action"] == f"/crm/tasks/{task.pk}/done/"]
    assert form["fields"]["next"][1] == "/"
    response = client.post(form["action"], {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    task.refresh_from_db()
    later.refresh_from_db()
    assert task.is_done and not later.is_done
    assert f'data-task="{task.pk}"' not in client.get("/").content.decode()
    # An outside address in `next` is not followed.
    response = client.post(f"/crm/tasks/{task.pk}/reopen/", {"next": "https://evil.example/"})
    assert response["Location"] == "/crm/tasks/"


def test_get_in_touch_from_the_sleeping_list(client, cluster_manager, company_a):
    client.force_login(cluster_manager)
    home = client.get("/").content.decode()
    assert "Inaktive Mitglieder ohne Nachfassaktion" in home
    assert f'data-company="{company_a.pk}"' in home
    page = client.get("/cockpit/sleeping/").content.decode()
    (form,) = [f for f in forms(page) if f["action"] == f"/crm/companies/{company_a.pk}/take-up/"]
    response = client.post(form["action"], {"next": "/cockpit/sleeping/"}, follow=True)
    assert "Eine Aufgabe für Sie" in response.content.decode()
    task = Task.objects.get()
    assert task.assignee == cluster_manager and task.company == company_a
    assert f'data-company="{company_a.pk}"' not in client.get("/").content.decode()
    client.post(form["action"], {"next": "/cockpit/sleeping/"})
    assert Task.objects.count() == 1


def test_forms_post_only_with_their_csrf_token(cluster_manager, company_a):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cluster_manager)
    task = _task(cluster_manager, company_a)
    page = browser.get("/crm/tasks/").content.decode()
    (form,) = [f for f in forms(page) if f["action"] == f"/crm/tasks/{task.pk}/done/"]
    data = {name: value for name, (_, value) in form["fields"].items()}
    without = {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
    assert browser.post(form["action"], without).status_code == 403
    assert not Task.objects.get().is_done
    assert browser.post(form["action"], data).status_code == 302
    assert Task.objects.get().is_done
    url = f"/crm/companies/{company_a.pk}/activity/"
    page = browser.get(url).content.decode()
    token = next(f for f in forms(page) if "topic" in f["fields"])["fields"]["csrfmiddlewaretoken"][
        1
    ]
    fields = {"kind": "note", "happened_on": timezone.localdate().isoformat(), "topic": "Notiz"}
    assert browser.post(url, fields).status_code == 403
    assert not Activity.objects.exists()
    assert browser.post(url, {**fields, "csrfmiddlewaretoken": token}).status_code == 302
    assert Activity.objects.count() == 1
