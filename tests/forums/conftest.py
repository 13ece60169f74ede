"""Fixtures of the forums tests: a published forum ahead and companies with a relationship."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from forums.models import Forum
from members.models import Cluster, Company, Contact, Relationship


@pytest.fixture
def cluster(db):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    return cluster


def add_company(cluster, name: str, *, kind=Relationship.Kind.MEMBER, contacts: int = 3) -> Company:
    company = Company.objects.create(legal_name=name, city="Heilbronn")
    if kind:
        Relationship.objects.create(
            company=company, cluster=cluster, kind=kind, valid_from="2020-01-01"
        )
    Contact.objects.bulk_create(
        Contact(
            company=company,
            first_name=f"Person{i}",
            last_name=name.split()[0],
            email=f"p{i}@{name.split()[0].lower()}.example",
        )
        for i in range(contacts)
    )
    return company


@pytest.fixture
def make_company(cluster):
    def make(name, **kwargs):
        return add_company(cluster, name, **kwargs)

    return make


def build_forum(cluster, **fields) -> Forum:
    start = timezone.now().replace(microsecond=0) + timedelta(days=14)
    values = {
        "cluster": cluster,
        "title": "Metall-Forum Industrie 4.0",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "venue_name": "Alpha Präzisionstechnik",
        "venue_street": "Hafenstraße 1",
        "venue_postcode": "74076",
        "venue_city": "Heilbronn",
        "capacity": 10,
        "seats_per_company": 2,
        "audience": Forum.Audience.NETWORK,
        "state": Forum.State.PUBLISHED,
        "published_at": timezone.now(),
    }
    values.update(fields)
    return Forum.objects.create(**values)


@pytest.fixture
def make_forum(cluster):
    def make(**fields):
        return build_forum(cluster, **fields)

    return make


@pytest.fixture
def forum(make_forum):
    return make_forum()


class TaskQueue:
    """The real Celery queue on Redis: take what the code queued and run it with .apply()."""

    def __init__(self, app):
        self.app = app

    def take(self) -> list[tuple[str, list, dict]]:
        taken = []
        with self.app.connection_for_read() as conn:
            queue = conn.SimpleQueue(self.app.conf.task_default_queue)
            try:
                while True:
                    try:
                        message = queue.get(block=False)
                    except queue.Empty:
                        break
                    message.ack()
                    args, kwargs, _embed = message.decode()
                    taken.append((message.headers["task"], args, kwargs))
            finally:
                queue.close()
        return taken

    def run_forum_tasks(self) -> list[str]:
        """Runs the queued forums.* tasks (as a worker would); returns their names."""
        ran = []
        for name, args, kwargs in self.take():
            if name.startswith("forums."):
                self.app.tasks[name].apply(args=args, kwargs=kwargs).get()
                ran.append(name)
        return ran


@pytest.fixture
def task_queue():
    """The broker's queue, emptied before and after: leftovers would keep a real worker of a
    later test busy."""
    from metalldialog.celery import app

    queue = TaskQueue(app)
    queue.take()  # nothing left over from earlier tests
    yield queue
    queue.take()


@pytest.fixture
def committed(django_capture_on_commit_callbacks, task_queue):
    """`with committed(): ...` commits (runs on-commit hooks), then runs the queued tasks."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        task_queue.run_forum_tasks()

    return run
