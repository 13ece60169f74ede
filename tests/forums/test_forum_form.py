"""The forum form: the agenda is a formset of labelled rows (added, removed, saved in order of
time), errors are summed up at the top with links to their fields, and a start in the past
is refused, while a forum whose date has passed can still have its other details put right."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Forum

PAST_MESSAGE = "Der Beginn liegt in der Vergangenheit."


def _data(cluster, start, **extra) -> dict:
    data = {
        "cluster": cluster.pk,
        "title": "Forum mit Programm",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "30",
        "seats_per_company": "2",
        "audience": "network",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def _rows(*rows, initial=0) -> dict:
    data = {"agenda-TOTAL_FORMS": str(len(rows)), "agenda-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        data.update({f"agenda-{i}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def start():
    return (timezone.localtime() + timedelta(days=20)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )


def test_new_form_has_labelled_agenda_row_and_add_button(client, cluster_manager, db):
    client.force_login(cluster_manager)
    page = client.get(reverse("forums:create")).content.decode()
    # One row with a visible label per field, the empty row for more, the add button.
    for field in ("starts_at", "ends_at", "title", "speaker", "DELETE"):
        assert f'for="id_agenda-0-{field}"' in page
    assert "<template data-formset-template>" in page and "agenda-__prefix__-title" in page
    assert "data-formset-add" in page and "forums/agenda.js" in page
    assert "table-responsive" not in page  # the box that collapsed to 0 px is gone
    assert "<script>" not in page and "onclick" not in page  # no inline script (CSP)


def test_agenda_rows_are_saved_in_time_order_without_removed_ones(
    client, cluster_manager, cluster, start
):
    client.force_login(cluster_manager)
    rows = _rows(
        {"starts_at": "16:00", "title": "Werksführung", "speaker": "Alpha"},
        {"starts_at": "14:00", "ends_at": "14:15", "title": "Begrüßung"},
        {"starts_at": "15:00", "title": "Gestrichen", "DELETE": "on"},
        {"starts_at": "", "title": ""},  # an added row left empty
    )
    response = client.post(reverse("forums:create"), _data(cluster, start, **rows))
    assert response.status_code == 302
    forum = Forum.objects.get()
    assert list(forum.agenda_items.values_list("title", flat=True)) == [
        "Begrüßung",
        "Werksführung",
    ]
    # Editing shows the saved rows (and one empty row), removing one keeps the other.
    page = client.get(reverse("forums:edit", args=[forum.pk])).content.decode()
    assert 'value="Begrüßung"' in page and 'name="agenda-2-title"' in page
    edit = _rows(
        {"starts_at": "14:00", "ends_at": "14:15", "title": "Begrüßung", "DELETE": "on"},
        {"starts_at": "16:00", "title": "Werksführung", "speaker": "Alpha"},
        {"starts_at": "", "title": ""},
        initial=2,
    )
    response = client.post(reverse("forums:edit", args=[forum.pk]), _data(cluster, start, **edit))
    assert response.status_code == 302
    assert list(forum.agenda_items.values_list("title", flat=True)) == ["Werksführung"]


def test_errors_are_summed_up_at_the_top_with_links(client, cluster_manager, cluster, start):
    client.force_login(cluster_manager)
    rows = _rows({"starts_at": "14:00", "title": "Begrüßung"}, {"title": "Ohne Uhrzeit"})
    data = _data(cluster, start, capacity="", **rows)
    response = client.post(reverse("forums:create"), data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[
        page.index('id="error-summary"') : page.index("</ul>", page.index("error-summary"))
    ]
    assert 'href="#id_capacity"' in summary
    assert 'href="#id_agenda-1-starts_at"' in summary and "Programmpunkt 2" in summary
    assert page.index('id="error-summary"') < page.index('name="title"')  # above the form
    assert not Forum.objects.exists()


def test_start_in_the_past_is_refused_with_a_clear_message(client, cluster_manager, cluster, start):
    client.force_login(cluster_manager)
    past = timezone.localtime() - timedelta(days=1)
    response = client.post(
        reverse("forums:create"), _data(cluster, past), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 400
    assert PAST_MESSAGE in response.content.decode()
    assert not Forum.objects.exists()
    with pytest.raises(ValidationError):
        services.forum_create(
            actor=cluster_manager,
            cluster=cluster,
            title="Gestern",
            starts_at=past,
            ends_at=past + timedelta(hours=2),
            capacity=10,
        )
    assert not Forum.objects.exists()


def test_a_passed_draft_keeps_its_date_and_other_fields_can_be_changed(
    client, cluster_manager, cluster, make_forum
):
    past = timezone.localtime().replace(second=0, microsecond=0) - timedelta(days=3)
    draft = make_forum(
        state=Forum.State.DRAFT,
        published_at=None,
        starts_at=past,
        ends_at=past + timedelta(hours=2),
    )
    client.force_login(cluster_manager)
    data = _data(cluster, past, title="Korrigierter Titel", venue_city="Neckarsulm")
    response = client.post(reverse("forums:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.venue_city, draft.starts_at) == (
        "Korrigierter Titel",
        "Neckarsulm",
        past,
    )
    # Moving it to another past date is refused, by the form and by the service.
    earlier = past - timedelta(days=1)
    response = client.post(
        reverse("forums:edit", args=[draft.pk]), _data(cluster, earlier), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 400 and PAST_MESSAGE in response.content.decode()
    with pytest.raises(ValidationError):
        services.forum_update(forum=draft, actor=cluster_manager, starts_at=earlier, ends_at=past)
    draft.refresh_from_db()
    assert draft.starts_at == past
