"""Shared fixtures: the project root, its settings, one extractor and one built dataset.

Paths come from this file's location, never the working directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build_dataset
from kg.extract import Extractor
from kg.serialize import rdf_format, serialize
from kg.settings import Settings, from_env

from .browser import browser, page, site  # noqa: F401  (fixtures of the page tests)
from .helpers import ROOT


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
def built_file(settings: Settings, built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built dataset as a TriG file, for apps served in process."""
    path = tmp_path_factory.mktemp("built") / "dataset.trig"
    path.write_bytes(serialize(built[0], rdf_format("trig"), settings.base_iri))
    return path



