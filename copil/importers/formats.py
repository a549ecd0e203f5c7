"""Which format a file is in, and the dispatch to the matching reader.

The content decides first (magic bytes), the file name second: users rename
files, browsers upload "document (1)" without extension, and a .docx saved by
another tool is still a zip with word/document.xml in it.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import PurePath

from copil.importers.model import UnreadableDocumentError, UnsupportedFormatError
from copil.importers.source import SourceLine, read_text

FORMATS = ("text", "docx", "odt", "pdf", "markdown", "json")

ACCEPTED = "Word (.docx), OpenDocument (.odt), PDF (.pdf), texte (.txt), Markdown (.md) ou JSON"

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".docx": "docx",
    ".odt": "odt",
    ".pdf": "pdf",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
}
_KNOWN_OTHERS = {
    ".doc": "Word 97-2003 (.doc)",
    ".rtf": "RTF",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".ods": "tableur OpenDocument",
    ".odp": "présentation OpenDocument",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".tif": "image",
    ".tiff": "image",
    ".zip": "archive ZIP",
}
_BINARY_MAGIC = {
    b"\xd0\xcf\x11\xe0": "Word 97-2003 (.doc) ou autre fichier Office ancien",
    b"\x89PNG": "image",
    b"\xff\xd8\xff": "image",
    b"GIF8": "image",
    b"II*\x00": "image",
    b"MM\x00*": "image",
    b"{\\rtf": "RTF",
}


def _unsupported(what: str) -> UnsupportedFormatError:
    return UnsupportedFormatError(
        f"Format non pris en charge ({what}). Formats acceptés : {ACCEPTED}."
    )


def detect_format(filename: str, data: bytes) -> str:
    """One of FORMATS, from the content first and the extension second."""
    if not data or not data.strip():
        raise UnsupportedFormatError(f"Le fichier est vide. Formats acceptés : {ACCEPTED}.")
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK"):
        return _zip_format(data, suffix)
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise _unsupported(what)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{") and _is_json_object(data):
        return "json"
    if suffix in _KNOWN_OTHERS or suffix in (".docx", ".odt", ".pdf"):
        # A binary extension on text content: trust neither, say what is accepted.
        raise _unsupported(_KNOWN_OTHERS.get(suffix, f"fichier {suffix} invalide"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text (Notepad "Unicode")
        return _EXTENSIONS.get(suffix, "text")
    if b"\x00" in data[:4096]:
        raise _unsupported("fichier binaire inconnu")
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    return "markdown" if _looks_like_markdown(data) else "text"


def _zip_format(data: bytes, suffix: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        if suffix in (".docx", ".odt"):
            raise UnreadableDocumentError(
                "Le fichier est endommagé : l'archive du document ne peut pas être ouverte."
            ) from exc
        raise _unsupported("archive illisible") from exc
    if mimetype == b"application/vnd.oasis.opendocument.text":
        return "odt"
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names) or mimetype.endswith(b"spreadsheet"):
        raise _unsupported("Excel ou tableur")
    if any(n.startswith("ppt/") for n in names) or mimetype.endswith(b"presentation"):
        raise _unsupported("présentation")
    raise _unsupported(_KNOWN_OTHERS.get(suffix, "archive ZIP"))


def _is_json_object(data: bytes) -> bool:
    try:
        return isinstance(json.loads(data.decode("utf-8-sig")), dict)
    except (UnicodeDecodeError, ValueError):
        return False


def _looks_like_markdown(data: bytes) -> bool:
    """A file without extension is Markdown when it has pipe-table rows or # headings."""
    text = data[:20000].decode("utf-8", errors="ignore")
    lines = [line.strip() for line in text.splitlines()]
    return (
        any(line.startswith("|---") or line.startswith("| ---") for line in lines)
        or sum(line.startswith("# ") or line.startswith("## ") for line in lines) >= 2
    )


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (old Word exports)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_lines(data: bytes, fmt: str) -> list[SourceLine]:
    """The SourceLines of `data` read as `fmt` (one of FORMATS except "json")."""
    if fmt == "text":
        return read_text(decode_text(data))
    if fmt == "markdown":
        from copil.importers.markdown_reader import read_markdown

        return read_markdown(decode_text(data))
    if fmt == "docx":
        from copil.importers.docx_reader import read_docx

        return read_docx(data)
    if fmt == "odt":
        from copil.importers.odt_reader import read_odt

        return read_odt(data)
    if fmt == "pdf":
        from copil.importers.pdf_reader import read_pdf

        return read_pdf(data)
    if fmt == "json":
        raise UnsupportedFormatError(
            "Un fichier JSON contient déjà des données structurées : il se lit avec from_json, "
            "pas ligne à ligne."
        )
    raise _unsupported(f"format « {fmt} » inconnu")
