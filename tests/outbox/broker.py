"""The real Celery queues on Redis, read by tests."""


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
