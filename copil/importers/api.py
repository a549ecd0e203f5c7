"""One entry point: bytes of any supported document in, an ImportedDocument out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from copil.importers.model import (
    CopilImportError,
    ImportedDocument,
    UnreadableDocumentError,
    from_json,
)


def parse_bytes(data: bytes, filename: str = "") -> ImportedDocument:
    """Detect the format and the layout (convention or report), then parse."""
    from copil.importers.convention import parse_convention
    from copil.importers.formats import detect_format, read_lines
    from copil.importers.report import looks_like_report, parse_report

    fmt = detect_format(filename, data)
    if fmt == "json":
        try:
            doc = from_json(json.loads(data.decode("utf-8")))
        except (ValueError, TypeError, KeyError) as exc:
            raise UnreadableDocumentError(f"Fichier JSON illisible : {exc}") from exc
        doc.source_format = "json"
        return doc
    lines = read_lines(data, fmt)
    if looks_like_report(lines):
        return parse_report(lines, source_format=fmt)
    return parse_convention(lines, source_format=fmt)


def parse_file(path: str | Path) -> ImportedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CopilImportError(f"Impossible de lire le fichier {path} : {exc.strerror}") from exc
    return parse_bytes(data, path.name)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
