"""Admission control (probe F6): one client's share of the workers, and who is kept off the
worker that is kept for cheap queries. The whole server under attack is in
test_probes_pool.py and bench/hostile.py; these check the rules themselves, in process."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.errors import InputError, LimitExceeded, TooManyRequests, WorkersBusy
from kg.settings import Settings
from kg.web import context
from kg.web.admission import Admission, client_address, trusted_networks

from .apps import in_process_app


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


PROXIES = trusted_networks("10.0.0.0/8 ::1")


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    ("203.0.113.7", [], "203.0.113.7"),                              # no proxy
    ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),                # not from a proxy: ignored
    ("10.0.0.2", ["198.51.100.1"], "198.51.100.1"),                  # the proxy's client
    ("10.0.0.2", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),         # forged left part unread
    ("10.0.0.2", ["6.6.6.6", "198.51.100.1, 10.0.0.9"], "198.51.100.1"),  # two proxies
    ("::1", ["2001:db8::5"], "2001:db8::5"),
    ("10.0.0.2", ["not-an-address"], "10.0.0.2"),                    # garbage: the proxy
    ("10.0.0.2", [], "10.0.0.2"),
])
def test_a_client_behind_a_trusted_proxy_is_the_address_it_forwards(
        peer: str, forwarded: list[str], client: str) -> None:
    """Behind a proxy every request came from the proxy's address: all its clients shared one
    client's client_max_queries. From a listed proxy the client is the last address in
    X-Forwarded-For that is not a proxy; from anyone else the header is not read."""
    assert client_address(peer, forwarded, PROXIES) == client


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(app: Flask) -> None:
    """Off by default: any client could write the header to pose as many clients."""
    with app.test_request_context("/sparql", environ_base={"REMOTE_ADDR": "10.0.0.2"},
                                  headers={"X-Forwarded-For": "198.51.100.1"}):
        assert context.client() == "10.0.0.2"


def test_the_app_counts_the_client_a_trusted_proxy_forwards(settings: Settings,
                                                            built_file: Path) -> None:
    config = settings.with_overrides(dataset_file=built_file, trusted_proxies="10.0.0.0/8")
    with in_process_app(config, built_file) as app, app.test_request_context(
            "/sparql", environ_base={"REMOTE_ADDR": "10.0.0.2"},
            headers={"X-Forwarded-For": "6.6.6.6, 198.51.100.1"}):
        assert context.client() == "198.51.100.1"


def test_trusted_proxies_must_be_addresses(settings: Settings) -> None:
    with pytest.raises(InputError, match="trusted_proxies"):
        settings.with_overrides(trusted_proxies="proxy.example.org")


def test_a_client_waits_with_as_many_as_it_runs_then_is_refused_at_once() -> None:
    """Probe 3.8: ten slow queries from one client, each waiting its turn in a request thread,
    held all eight threads of the server (its /health too) until their limit. Now as many
    wait as run; the next is a 429 at once, and another client is not held up."""
    admission = Admission(per_client=1)
    released = threading.Event()

    def hold() -> None:
        with admission.slot("a", 5):
            released.wait(5)

    threads = [threading.Thread(target=hold) for _ in range(2)]  # one runs, one waits
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    with pytest.raises(TooManyRequests) as refused, admission.slot("a", 5):
        pass
    assert time.monotonic() - started < 0.5 and "waiting" in str(refused.value)
    with admission.slot("b", 0.1) as other:
        assert other.seconds_left > 0
    released.set()
    for thread in threads:
        thread.join()
    with admission.slot("a", 0.1):  # both ended: the client has its share again
        pass
