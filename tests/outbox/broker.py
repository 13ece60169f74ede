"""The real Celery queue on Redis, read by tests."""


class BrokerQueue:
    """The real Celery queue on Redis: tests read what was queued and run it with .apply()."""

    def __init__(self, app):
        self.app = app

    def _messages(self):
        with self.app.connection_for_read() as conn:
            queue = conn.SimpleQueue(self.app.conf.task_default_queue)
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

    def take(self) -> list[tuple[str, list, dict]]:
        """Removes every queued task and returns (name, args, kwargs) for each."""
        taken = []
        for message in self._messages():
            args, kwargs, _embed = message.decode()
            taken.append((message.headers["task"], args, kwargs))
        return taken

    def run_all(self) -> list:
        """Runs the queued tasks (and what they queue) until the queue is empty."""
        results = []
        for _round in range(20):
            tasks = self.take()
            if not tasks:
                return results
            for name, args, kwargs in tasks:
                results.append(self.app.tasks[name].apply(args=args, kwargs=kwargs).get())
        raise AssertionError("tasks keep queueing tasks")
