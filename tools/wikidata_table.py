"""Rewrite the README's Wikidata alignment table from ontology/wikidata-alignment.tsv.

The TSV is the source; run this after editing it (tests/test_wikidata_alignment.py fails while
the README's table differs):

    python tools/wikidata_table.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kg.publish.alignment import ALIGNMENT_FILE, load_alignment, replace_table  # noqa: E402


def main() -> None:
    readme = ROOT / "README.md"
    rows = load_alignment(ROOT / "ontology" / ALIGNMENT_FILE)
    readme.write_text(replace_table(readme.read_text(encoding="utf-8"), rows), encoding="utf-8")


if __name__ == "__main__":
    main()
