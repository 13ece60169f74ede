"""One harness for the concurrency tests: threads, each with its own PostgreSQL connection,
released together by a barrier, so that the database and not the test decides who wins."""

import threading
from collections.abc import Callable, Iterable

from django.db import connections


def run_together(target: Callable, items: Iterable, *, timeout: float = 120) -> list[tuple]:
    """Runs `target(item)` in one thread per item, all released at the same moment.

    Returns `(item, outcome)` pairs in the order the threads finished; an outcome is what
    `target` returned or the exception it raised (raising is often the result under test).
    """
    items = list(items)
    barrier = threading.Barrier(len(items))
    outcomes, lock = [], threading.Lock()

    def work(item):
        try:
            barrier.wait(timeout=30)
            outcome = target(item)
        except Exception as exc:  # the outcome under test, asserted by the caller
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append((item, outcome))

    threads = [threading.Thread(target=work, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return outcomes


def results_and_errors(target: Callable, items: Iterable) -> tuple[list, list[Exception]]:
    """`run_together`, split into the return values and the exceptions raised."""
    outcomes = [outcome for _, outcome in run_together(target, items)]
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    return [outcome for outcome in outcomes if not isinstance(outcome, Exception)], errors
