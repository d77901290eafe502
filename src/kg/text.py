"""One rule for when two names are the same name: used by the gazetteer, search and linking.

NFKD takes accents off most letters ('Ülker' → 'Ulker'); a few letters have no decomposition
but readers treat them as their base letter (Turkish dotless ı, Danish ø, Polish ł …), so they
are mapped by hand. Case folding then makes 'ß' and 'ss' equal.
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = {"ı": "i", "İ": "I", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L",
            "ħ": "h", "Ħ": "H", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th",
            "Þ": "TH", "ð": "d", "Ð": "D"}
_TABLE = str.maketrans(_LETTERS)
_WORD = re.compile(r"\w+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def bare(text: str) -> str:
    """The text without accents, case kept: 'İstanbul' → 'Istanbul', 'Taksøe' → 'Taksoe'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case- and accent-free: 'Ülker' and 'ulker', 'İstanbul' and 'istanbul', 'ß' and 'ss'."""
    return bare(text).casefold()


def words(text: str) -> tuple[str, ...]:
    """The folded words of a text; punctuation and hyphens only separate them."""
    return tuple(_WORD.findall(fold(text)))


def slug(text: str) -> str:
    """Lowercase ASCII words joined by '-': 'Taksøe-Jensen' → 'taksoe-jensen', the key of a name
    the gazetteer lacks and the id of a source whatever its file is called."""
    return _NOT_SLUG.sub("-", bare(text).lower()).strip("-")
