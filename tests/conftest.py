"""Shared fixtures: the project root, its settings, one extractor, one built dataset, the app
on it in process, and one real `kg serve` on it for every test that needs HTTP.

Paths come from this file's location, never the working directory. Tests that use the real
server, a browser or another process are marked (here by fixture, in the modules by hand), so
`pytest -m "not slow and not browser"` is the fast loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.build import build_dataset
from kg.dataset.serialize import serialize
from kg.extract import Extractor
from kg.formats import rdf_format
from kg.settings import Settings, from_env
from kg.sparql.store import load_store

from .apps import in_process_app
from .browser import browser, page, site  # noqa: F401  (fixtures of the page tests)
from .helpers import LOCAL_STORES, ROOT
from .remote_server import empty_remote, running_oxigraph, running_virtuoso
from .server import running_server

# The stores every seam, endpoint and protocol test runs on (store_kind); "remote" is an
# Oxigraph server on loopback behind --store sparql:…, "virtuoso" an OpenLink Virtuoso.
# Modules about our own worker pool or data files use LOCAL_STORES (their own store_kind
# fixture): a remote has neither.
REMOTE_STORES = ("remote", "virtuoso")
STORES = (*LOCAL_STORES, *REMOTE_STORES)
# Fixtures that start a real server or drive Chromium: a test using one gets the mark.
SLOW_FIXTURES = {"live_server", "site", "store_server", "remote", "virtuoso"}
BROWSER_FIXTURES = {"browser", "page"}


@pytest.fixture(scope="session")
def settings() -> Settings:
    return from_env(environ={}, project_dir=ROOT, progress=False)


@pytest.fixture(scope="session")
def extractor(settings: Settings) -> Extractor:
    return Extractor.from_folders(settings.path("gazetteer_dir"), settings.path("patterns_dir"),
                                  settings.path("ontology_dir"))


@pytest.fixture(scope="session")
def built(settings: Settings):
    """The dataset built from data/sources/, in memory, and its build report."""
    return build_dataset(settings)


@pytest.fixture(scope="session")
def news(tmp_path_factory: pytest.TempPathFactory):
    """The dataset built, reasoner and all, from the news text written for the event tests
    (tests/data/event-sources/): the interview states no sanction, protest or threat."""
    out = tmp_path_factory.mktemp("events") / "dataset.trig"
    settings = from_env(environ={"KG_SOURCES_DIR": str(ROOT / "tests" / "data" / "event-sources"),
                                 "KG_DATASET_FILE": str(out)}, project_dir=ROOT, progress=False)
    return build_dataset(settings)[0], settings


@pytest.fixture(scope="session")
def built_file(settings: Settings, built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built dataset as a TriG file, for apps served in process."""
    path = tmp_path_factory.mktemp("built") / "dataset.trig"
    path.write_bytes(serialize(built[0], rdf_format("trig"), settings.base_iri))
    return path


@pytest.fixture(scope="module", params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    """Each store in turn: a test that uses this (or store_option) runs once on each."""
    return request.param


@pytest.fixture(scope="module")
def store_option(request: pytest.FixtureRequest, store_kind: str,
                 tmp_path_factory: pytest.TempPathFactory) -> str:
    """The --store value of store_kind: the oxigraph store in a folder of this module's, or
    an Oxigraph server of this module's loaded with the built dataset (as `kg build` does)."""
    if store_kind == "memory":
        return "memory"
    if store_kind in REMOTE_STORES:
        return request.getfixturevalue(f"{store_kind}_store_option")
    return f"oxigraph:{tmp_path_factory.mktemp('oxigraph') / 'store'}"


@pytest.fixture(scope="module")
def remote_store_option(settings: Settings, built_file: Path,
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_oxigraph(tmp_path_factory.mktemp("remote")) as setting:
        load_store(settings.with_overrides(dataset_file=built_file, store=setting))
        yield setting


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The store setting of the session's one Virtuoso (its start is the slow part)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as setting:
        yield setting


@pytest.fixture(scope="module")
def virtuoso_store_option(settings: Settings, built_file: Path, virtuoso: str) -> str:
    """The session's Virtuoso holding only the built dataset: what an earlier module wrote
    is dropped first (its own graphs are private, out of reach)."""
    empty_remote(virtuoso, settings.base_iri)
    load_store(settings.with_overrides(dataset_file=built_file, store=virtuoso))
    return virtuoso


@pytest.fixture(scope="module")
def store_server(request: pytest.FixtureRequest, built_file: Path, store_kind: str,
                 store_option: str) -> Iterator[str]:
    """The base URL of a real `kg serve` on the built dataset in store_kind: the shared
    live_server on oxigraph (the default store), a server of the module's own on the others."""
    if store_kind == "oxigraph":
        yield request.getfixturevalue("live_server")
        return
    with running_server(built_file, store=store_option) as url:
        yield url


@pytest.fixture(scope="session")
def app(settings: Settings, built_file: Path) -> Iterator[Flask]:
    """The real Flask app in this process over the built dataset (one query worker)."""
    with in_process_app(settings.with_overrides(dataset_file=built_file), built_file) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(built_file: Path) -> Iterator[str]:
    """The base URL of one real `kg serve` (default options: the default store, Oxigraph, beside
    the file) on the built dataset, shared by
    the endpoint, Linked Data, page and browser tests. Tests that need other options (update
    on, limits, federation, another dataset) start their own."""
    with running_server(built_file) as url:
        yield url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what the fixtures imply, so no test that waits on a server or Chromium slips into
    the fast loop unmarked."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        on_a_server = any(isinstance(v, str) and v in REMOTE_STORES for v in params.values())
        if used & SLOW_FIXTURES or on_a_server:
            item.add_marker(pytest.mark.slow)
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
