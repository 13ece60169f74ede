"""Fixtures of the forums tests: a published forum ahead and companies with a relationship."""

from contextlib import contextmanager

import pytest

from forums.models import Forum
from members.models import Cluster, Company, Relationship
from tests.factories import ForumFactory, company_with_contacts


@pytest.fixture
def cluster(db):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    return cluster


def add_company(cluster, name: str, *, kind=Relationship.Kind.MEMBER, contacts: int = 3) -> Company:
    return company_with_contacts(
        name, contacts=contacts, cluster=cluster, kind=kind, city="Heilbronn"
    )


@pytest.fixture
def make_company(cluster):
    def make(name, **kwargs):
        return add_company(cluster, name, **kwargs)

    return make


def build_forum(cluster, **fields) -> Forum:
    return ForumFactory(cluster=cluster, **fields)


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
