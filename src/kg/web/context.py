"""The app's settings, store and read models, as routes reach them: one accessor each.

Read models ask the store (SPARQL SELECTs, run by the store's own engine): a description per
request; the search index, the timeline, the events between states and the explainer's
closure once per version of the store, kept until a write moves the version on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import current_app, request

from kg.dataset.reader import Row
from kg.iris import Iris
from kg.reasoner import Budget
from kg.settings import Settings
from kg.sparql.store import Store
from kg.views.describe import Describer
from kg.views.dyad import StateEvents
from kg.views.explain import Explainer
from kg.views.search import SearchIndex
from kg.views.timeline import Event, events
from kg.web.admission import Admission, Turn, client_address
from kg.web.links import Linker

T = TypeVar("T")
_BUILD_LOCK = threading.Lock()


def settings() -> Settings:
    return current_app.config["KG_SETTINGS"]


def store() -> Store:
    return current_app.config["KG_STORE"]


@contextmanager
def admitted(timeout: float) -> Iterator[Turn]:
    """Run a query or write as one of this client's client_max_queries."""
    admission: Admission = current_app.extensions["kg.admission"]
    with admission.slot(client(), timeout) as turn:
        yield turn


def client() -> str:
    """The request's client for admission: its address, or behind a trusted proxy the one
    the proxy forwarded (trusted_proxies)."""
    return client_address(request.remote_addr or "",
                          request.headers.getlist("X-Forwarded-For"),
                          current_app.extensions["kg.trusted_proxies"])


def linker() -> Linker:
    return Linker(settings().base_iri)


class StoreReader:
    """The store as the read models see it: SELECTs answered within the query time limit."""

    def __init__(self, store: Store, timeout: float):
        self._store = store
        self._timeout = timeout
        self.unnamed_graph = store.unnamed_graph

    def select(self, text: str) -> list[Row]:
        return self._store.select(text, self._timeout)


def read_timeout() -> float:
    """A page's reads get a client query's time limit (query_timeout_ms): over it, a 503
    that names the setting, as for a query."""
    return settings().query_timeout_ms / 1000


def reader() -> StoreReader:
    return StoreReader(store(), read_timeout())


def per_version(name: str, factory: Callable[[StoreReader, Settings], T]) -> T:
    """A read model of the store's data, built once per version of the store."""
    version = store().version()
    cache: dict[str, tuple[int, Any]] = current_app.extensions.setdefault("kg.read_models", {})
    found = cache.get(name)
    if found is not None and found[0] == version:
        return found[1]
    with _BUILD_LOCK:  # two requests at once build it once
        found = cache.get(name)
        if found is None or found[0] != version:
            found = (version, factory(reader(), settings()))
            cache[name] = found
    return found[1]


def describer() -> Describer:
    """Descriptions hold nothing of the data: made per request, each asks the store."""
    return Describer(reader(), Iris(settings().base_iri))


def explainer() -> Explainer:
    """Proofs for /explain and the entity pages, within the reasoning budget of the settings."""
    return per_version("explainer", lambda read, s: Explainer(
        read, Iris(s.base_iri), Budget(s.reason_timeout_s, s.reason_max_triples)))


def search_index() -> SearchIndex:
    return per_version("search", lambda read, s: SearchIndex.from_reader(read, s.base_iri))


def state_events() -> StateEvents:
    """Which events join which states (the dyad pages and the states' entity pages)."""
    return per_version("dyads", lambda read, s: StateEvents.from_reader(read, Iris(s.base_iri)))


def timeline_events() -> list[Event]:
    return per_version("timeline", lambda read, s: events(read, s.base_iri))
