"""The app's settings, store and read models, as routes reach them: one accessor each.

Read models (an entity describer, the search index, the timeline, the explainer) are built
from the store's snapshot and kept until the store's version moves on, so a write rebuilds
them once, not per request, and a page never reads data that a write is changing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import current_app, request

from kg.iris import Iris
from kg.reasoner import Budget
from kg.settings import Settings
from kg.sparql.store import Snapshot, Store
from kg.views.describe import Describer
from kg.views.explain import Explainer
from kg.views.search import SearchIndex
from kg.views.timeline import Event, events
from kg.web.admission import Admission, Turn
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
    with admission.slot(request.remote_addr or "", timeout) as turn:
        yield turn


def linker() -> Linker:
    return Linker(settings().base_iri)


def per_snapshot(name: str, factory: Callable[[Snapshot, Settings], T]) -> T:
    """A read model of the store's current snapshot, built once per snapshot version."""
    snapshot = store().snapshot()
    cache: dict[str, tuple[int, Any]] = current_app.extensions.setdefault("kg.read_models", {})
    found = cache.get(name)
    if found is not None and found[0] == snapshot.version:
        return found[1]
    with _BUILD_LOCK:  # two requests at once build it once
        found = cache.get(name)
        if found is None or found[0] != snapshot.version:
            found = (snapshot.version, factory(snapshot, settings()))
            cache[name] = found
    return found[1]


def describer() -> Describer:
    return per_snapshot("describer", lambda snap, s: Describer(snap.dataset, Iris(s.base_iri)))


def explainer() -> Explainer:
    """Proofs for /explain and the entity pages, within the reasoning budget of the settings."""
    return per_snapshot("explainer", lambda snap, s: Explainer(
        snap.dataset, Iris(s.base_iri), Budget(s.reason_timeout_s, s.reason_max_triples)))


def search_index() -> SearchIndex:
    return per_snapshot("search",
                        lambda snap, s: SearchIndex.from_dataset(snap.dataset, s.base_iri))


def timeline_events() -> list[Event]:
    return per_snapshot("timeline", lambda snap, s: events(snap.dataset, s.base_iri))
