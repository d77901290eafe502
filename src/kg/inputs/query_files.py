"""The example questions of queries/*.rq, read from their header comments.

Each file opens with comment lines `# Question: …`, `# Expected: …` (and `# Answer columns:
…`); the workbench lists the questions and loads the file's text into its editor. The files
stay the single source: the same ones run in the tests and with `kg query`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kg.errors import DataFileError

HEADER_LINE = re.compile(r"#\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*\S)\s*$")


@dataclass(frozen=True)
class Example:
    id: str
    question: str
    expected: str
    query: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def load_examples(folder: Path) -> list[Example]:
    """Every `*.rq` file of the folder as an Example, sorted by id (the file name's stem)."""
    try:
        files = sorted((path for path in folder.iterdir() if path.suffix == ".rq"),
                       key=lambda path: path.stem)
    except OSError as exc:
        raise DataFileError(f"cannot read the example queries in {folder} "
                            f"(setting queries_dir): {exc.strerror or exc}") from exc
    return [read_example(path) for path in files]


def read_example(path: Path) -> Example:
    """One query file; it must be UTF-8 and name its question in the header."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"cannot read the example query {path}: {exc}") from exc
    header = parse_header(text)
    if not header.get("question"):
        raise DataFileError(f"{path} has no '# Question: …' line in its header")
    return Example(id=path.stem, question=header["question"],
                   expected=header.get("expected", ""), query=text)


def parse_header(text: str) -> dict[str, str]:
    """The `# Key: value` comment lines before the first line of SPARQL, keys lower-cased."""
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("#"):
            break
        match = HEADER_LINE.match(line.strip())
        if match:
            header.setdefault(match.group(1).lower(), match.group(2))
    return header


def find_example(examples: list[Example], example_id: str) -> Example | None:
    return next((example for example in examples if example.id == example_id), None)
