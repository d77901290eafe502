"""The gazetteer: well-formed, complete for UN members, and never linking a guessed id."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.errors import DataFileError
from kg.inputs.gazetteer import Gazetteer, load_gazetteer

from .helpers import ROOT

SHARED_IDS = ROOT / "data" / "reference" / "wikidata-ids.tsv"  # copied from shared/reference


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer(ROOT / "data" / "gazetteer")


def shared_items() -> list[dict[str, str]]:
    lines = [line for line in SHARED_IDS.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    return [row for row in csv.DictReader(lines, delimiter="\t") if row["kind"] == "item"]


def test_all_un_member_and_observer_states(gazetteer: Gazetteer) -> None:
    states = [e for e in gazetteer if e.cls == "State" and e.file == "states.tsv"]
    assert len(states) == 195
    assert {"turkey", "kazakhstan", "holy-see", "palestine"} <= {e.key for e in states}
    former = {e.key for e in gazetteer if e.cls == "State" and e.file == "former-states.tsv"}
    assert {"soviet-union", "yugoslavia", "czechoslovakia"} <= former
    assert not former & {e.key for e in states}


@pytest.mark.parametrize("label", ["Turkey", "Kazakhstan", "Nursultan Nazarbayev", "Almaty",
                                   "United Nations", "Economic Cooperation Organization",
                                   "Organization of Turkic States", "Eurasia", "Astana"])
def test_verified_shared_ids_are_used(gazetteer: Gazetteer, label: str) -> None:
    row = next(r for r in shared_items() if r["label"].split(" (")[0] == label)
    entry = gazetteer.find(label)
    assert entry is not None and entry.wikidata == row["wikidata"]


def test_none_found_entities_stay_unlinked(gazetteer: Gazetteer) -> None:
    for row in shared_items():
        if row["status"] == "none-found":
            entry = gazetteer.find(row["label"].split(" (")[0])
            assert entry is None or entry.wikidata == "", row["label"]


def test_ids_are_well_formed_sourced_and_unique(gazetteer: Gazetteer) -> None:
    ids = [e.wikidata for e in gazetteer if e.wikidata]
    assert len(ids) == len(set(ids))
    assert all(e.wikidata_source for e in gazetteer if e.wikidata)
    verified = {r["wikidata"]: r["label"] for r in shared_items() if r["status"] == "verified"}
    for entry in gazetteer:
        if entry.wikidata in verified:  # a shared id is never given to another entity
            assert verified[entry.wikidata].split(" (")[0] in entry.names(), entry.key


def test_a_bad_row_is_reported_with_file_and_line(tmp_path: Path) -> None:
    header = "key\tclass\tlabel\taliases\tdemonyms\tcountry\tcapital_of\twikidata\twikidata_source"
    (tmp_path / "bad.tsv").write_text(header + "\nx\tState\tX\t\t\t\t\tQ12x\tsomewhere\n",
                                      encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad.tsv:2: 'Q12x' is not a Wikidata item id"):
        load_gazetteer(tmp_path)
    (tmp_path / "bad.tsv").write_text(header + "\nx\tState\tX\t\t\t\t\tQ12\t\n",
                                      encoding="utf-8")
    with pytest.raises(DataFileError, match="needs its wikidata_source"):
        load_gazetteer(tmp_path)


def test_states_get_iso_names_and_codes_from_pycountry() -> None:
    gazetteer = load_gazetteer(ROOT / "data" / "gazetteer")
    states = [e for e in gazetteer.entries.values() if e.cls == "State"
              and e.file == "states.tsv"]  # former states have no current ISO code
    assert sorted(e.key for e in states if not e.iso3) == []
    # ISO spells these only in index form ("Congo, The Democratic Republic of the") or with
    # accents the gazetteer's label lacks
    assert [gazetteer.entries[k].iso3 for k in ("democratic-republic-of-the-congo", "holy-see",
            "palestine", "sao-tome-and-principe")] == ["COD", "VAT", "PSE", "STP"]
    assert gazetteer.entries["vietnam"].iso3 == "VNM"
    assert gazetteer.find("Viet Nam") is not None  # ISO's name for it, not in states.tsv
    assert gazetteer.find("Plurinational State of Bolivia") is not None


def test_plural_demonyms_name_the_state() -> None:
    gazetteer = load_gazetteer(ROOT / "data" / "gazetteer")
    assert "Israelis" in gazetteer.entries["israel"].demonym_forms()
    assert "Americans" in gazetteer.entries["united-states"].demonym_forms()


def test_names_match_with_either_apostrophe(extractor) -> None:
    """"People’s" (typographic) and "People's" name the same state."""
    from .helpers import make_source

    for text in ("The Democratic People’s Republic of Korea spoke.",
                 "The Democratic People's Republic of Korea spoke."):
        keys = {m.entity.key for m in extractor.extract(make_source(text)).mentions}
        assert "north-korea" in keys, text
