"""Admission control (probe F6): one client's share of the workers, and who is kept off the
worker that is kept for cheap queries. The whole server under attack is in
test_probes_pool.py and bench/hostile.py; these check the rules themselves, in process."""

from __future__ import annotations

import threading
import time

import pytest
from flask.testing import FlaskClient

from kg.errors import LimitExceeded, TooManyRequests, WorkersBusy
from kg.web.admission import Admission


def test_a_client_over_its_share_waits_then_is_told_which_setting() -> None:
    admission = Admission(per_client=2)
    with admission.slot("a", 5), admission.slot("a", 5):
        started = time.monotonic()
        with pytest.raises(TooManyRequests) as refused, admission.slot("a", 0.3):
            pass
        assert time.monotonic() - started >= 0.3
        with admission.slot("b", 0.1) as other:  # another client is not held up
            assert other.seconds_left > 0
    assert refused.value.setting == "client_max_queries" and refused.value.http_status == 429


def test_a_waiting_client_gets_its_turn_with_the_time_left() -> None:
    admission = Admission(per_client=1)
    released = threading.Event()

    def hold() -> None:
        with admission.slot("a", 5):
            released.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.1)
    threading.Timer(0.3, released.set).start()
    with admission.slot("a", 5) as turn:
        assert 4 < turn.seconds_left < 4.8
    holder.join()


@pytest.mark.parametrize(("error", "suspect"), [
    (LimitExceeded("stopped", "cheap_query_ms"), True),
    (LimitExceeded("stopped", "query_timeout_ms"), True),
    (LimitExceeded("stopped", "worker_memory_mb"), True),
    (WorkersBusy("waited", "query_timeout_ms"), False),
    (LimitExceeded("too big", "max_request_bytes"), False),
])
def test_a_client_whose_query_ran_long_is_kept_off_the_cheap_worker(
        error: LimitExceeded, suspect: bool) -> None:
    """Its next queries must take a long-query slot first (Turn.suspect), so it cannot make
    the worker kept for cheap queries restart again and again; a query that only waited, or
    was refused before running, does not count."""
    admission = Admission(per_client=2)
    with pytest.raises(LimitExceeded), admission.slot("a", 5) as first:
        assert not first.suspect
        raise error
    with admission.slot("a", 5) as second, admission.slot("b", 5) as other:
        assert second.suspect is suspect
        assert not other.suspect


def test_f7_the_client_timeout_has_a_floor(client: FlaskClient) -> None:
    """F7: timeout=1 gave the query 1 ms, so each such request stopped a worker. The floor
    (min_query_timeout_ms) lets a cheap query through."""
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o } # f7",
                                                   "timeout": "1"})
    assert response.status_code == 200, response.data


def test_health_reports_the_workers(client: FlaskClient) -> None:
    """F19: /health said ok whatever the workers did; now it counts them."""
    body = client.get("/health").get_json()
    assert body["status"] == "ok"
    workers = body["workers"]  # the session's app: other tests may have restarted its worker
    assert (workers["size"], workers["alive"]) == (1, 1)
    assert set(workers) == {"size", "alive", "restarts", "last_error"}
