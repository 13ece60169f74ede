"""The real Celery queues on Redis, read by tests."""

from contextlib import contextmanager


@contextmanager
def broker_away(app):
    """The broker unreachable for the block: a real Redis address nobody listens on."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_publish_retry")}
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_publish_retry=False)
    app._after_fork()  # Celery's own reset of its connection pools (as after a fork)
    try:
        yield
    finally:
        app.conf.update(saved)
        app._after_fork()


class BrokerQueue:
    """The real Celery queues on Redis: tests read what was queued and run it with .apply()."""

    def __init__(self, app):
        self.app = app

    def queue_names(self) -> list[str]:
        configured = self.app.conf.task_queues or []
        return [q.name for q in configured] or [self.app.conf.task_default_queue]

    def _messages(self, name: str):
        with self.app.connection_for_read() as conn:
            queue = conn.SimpleQueue(name)
            try:
                while True:
                    try:
                        message = queue.get(block=False)
                    except queue.Empty:
                        return
                    message.ack()
                    yield message
            finally:
                queue.close()

    def take(self, queue: str | None = None) -> list[tuple[str, list, dict]]:
        """Removes the queued tasks (of one queue, or of all) and returns (name, args, kwargs)."""
        taken = []
        for name in [queue] if queue else self.queue_names():
            for message in self._messages(name):
                args, kwargs, _embed = message.decode()
                taken.append((message.headers["task"], args, kwargs))
        return taken

    def run_all(self) -> list:
        """Runs the queued tasks (and what they queue) until the queues are empty."""
        results = []
        for _round in range(20):
            tasks = self.take()
            if not tasks:
                return results
            for name, args, kwargs in tasks:
                results.append(self.app.tasks[name].apply(args=args, kwargs=kwargs).get())
        raise AssertionError("tasks keep queueing tasks")

    def run_named(self, prefix: str) -> list[str]:
        """Runs the queued tasks whose name starts with `prefix` (and those they queue), as a
        worker would; drops the others (sends left to a test's own calls). Returns the names."""
        ran = []
        for _round in range(20):
            tasks = [(n, a, k) for n, a, k in self.take() if n.startswith(prefix)]
            if not tasks:
                return ran
            for name, args, kwargs in tasks:
                self.app.tasks[name].apply(args=args, kwargs=kwargs).get()
                ran.append(name)
        raise AssertionError("tasks keep queueing tasks")
