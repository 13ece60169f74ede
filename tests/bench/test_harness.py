"""The bench harness's own rules: which counts break a measure, where its database lives.
The measures themselves run end to end in the smoke run (`make bench-smoke`, part of
`make test`)."""

import socket

import pytest

from bench.harness import Result, bench_database_url, free_port, listening_sockets, parse_wrk


def _result(**extra) -> Result:
    return Result("m", 10.0, 5.0, "hello", 20.0, extra=extra)


def test_a_clean_result_has_no_problems_and_prints_its_line():
    result = _result(errors=0, overbooked=0, queries=12)
    assert result.problems() == []
    assert result.line() == (
        "bench: m req_s=10.0 p99_ms=5.0 baseline=hello baseline_req_s=20.0 ratio=0.50 "
        "errors=0 overbooked=0 queries=12"
    )


@pytest.mark.parametrize("key", ["errors", "overbooked", "duplicates", "missing"])
def test_any_count_above_zero_breaks_the_measure(key):
    assert _result(**{key: 2, "queries": 9}).problems() == [f"{key}=2"]


@pytest.mark.parametrize(
    ("url", "bench"),
    [
        (
            "postgres://postgres@127.0.0.1:5432/md_h2",
            "postgres://postgres@127.0.0.1:5432/md_h2_bench",
        ),
        (
            "postgres://u:p@db:5432/metalldialog?sslmode=disable",
            "postgres://u:p@db:5432/metalldialog_bench?sslmode=disable",
        ),
    ],
)
def test_the_bench_database_is_the_checkouts_own_plus_bench(url, bench):
    assert bench_database_url(url) == bench


WRK = """Running 1s test @ http://127.0.0.1:1/
  Latency Distribution
     50%    1.00ms
     99%   12.50ms
  1234 requests in 1.00s, 1.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   1234.00
"""


def test_wrk_errors_count_socket_errors_and_bad_answers():
    load = parse_wrk(WRK)
    assert (load.req_s, load.p99_ms, load.requests, load.errors) == (1234.0, 12.5, 1234, 7)


def test_each_socket_listening_on_the_port_is_counted():
    """The server is measured only once every worker listens on its own socket."""
    port = free_port()
    assert listening_sockets(port) == 0
    sockets = []
    try:
        for expected in (1, 2):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen()
            sockets.append(sock)
            assert listening_sockets(port) == expected
    finally:
        for sock in sockets:
            sock.close()
    assert listening_sockets(port) == 0
