"""Every setting is documented; environment and overrides are read and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.settings import describe, from_env

from .helpers import ROOT


def test_every_setting_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _default, help_text in describe():
        assert len(help_text) > 20, name
        assert f"`KG_{name.upper()}`" in readme, name


def test_environment_then_overrides() -> None:
    settings = from_env({"KG_BASE_IRI": "http://example.org/kg/", "KG_REASON": "false"},
                        project_dir=Path("/srv/kg"))
    assert settings.base_iri == "http://example.org/kg/"
    assert settings.reason is False
    assert settings.path("dataset_file") == Path("/srv/kg/build/dataset.trig")


@pytest.mark.parametrize(("environ", "message"), [
    ({"KG_BASE_IRI": "http://example.org/kg"}, "must end with '/' or '#'"),
    ({"KG_REASON": "maybe"}, "takes true or false"),
    ({"KG_READ_KEEP_MS": "-1"}, "read_keep_ms must be 0 or more"),
])
def test_bad_values_are_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        from_env(environ)


def test_the_default_store_is_oxigraph_under_the_build_folder() -> None:
    """Oxigraph on disk is the default store (beside the dataset file); memory is chosen."""
    assert from_env({}, project_dir=Path("/srv/kg")).store_path() == Path(
        "/srv/kg/build/dataset.oxigraph")
    assert from_env({"KG_STORE": "memory"}).store_path() is None
    assert from_env({}, store="oxigraph:/data/kg").store_path() == Path("/data/kg")
