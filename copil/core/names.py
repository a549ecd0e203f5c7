"""Folding names for comparison: documents spell the same thing many ways."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_key(text: str) -> str:
    """Case, accents, punctuation and spaces removed: "C.D. 67" and "cd67" are one key.

    Spaces go too because PDF-to-text conversions lose them ("Ficheactionn°25").
    """
    return _NON_ALNUM.sub("", strip_accents(text).casefold().replace("œ", "oe"))
