"""Write a convention as the JSON of `copil import --json` (lossless, for machines)."""

from __future__ import annotations

import json

from copil.importers.model import ImportedDocument, to_json


def export_json(doc: ImportedDocument) -> bytes:
    """Indented UTF-8 JSON, accents kept as is; `from_json` reads it back."""
    return (json.dumps(to_json(doc), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
