"""What an attachment may be: at most 10 MB, one of a few office formats, recognised by
its first bytes (a renamed executable stays refused whatever its extension)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

MAX_SIZE = 10 * 1024 * 1024
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    name: str  # shown to users
    content_type: str
    extensions: tuple[str, ...]


KINDS = {
    "pdf": FileKind("PDF", "application/pdf", (".pdf",)),
    "docx": FileKind(
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "xlsx": FileKind(
        "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
    ),
    "odt": FileKind("ODT", "application/vnd.oasis.opendocument.text", (".odt",)),
    "ods": FileKind("ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
    "png": FileKind("PNG", "image/png", (".png",)),
    "jpeg": FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg")),
    "csv": FileKind("CSV", "text/csv", (".csv",)),
}
ALLOWED_NAMES = ", ".join(k.name for k in KINDS.values())


class UploadRefused(ValueError):
    """The French reason why a file is refused."""


def _zip_kind(stream: BinaryIO) -> str | None:
    """DOCX/XLSX (Office Open XML) or ODT/ODS (OpenDocument), by the archive's content."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                for key in ("odt", "ods"):
                    if mimetype == KINDS[key].content_type:
                        return key
                return None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(c.isprintable() or c in "\r\n\t" for c in text)
    return False


def sniff(stream: BinaryIO) -> str | None:
    """The kind of a file from its content (None: not an allowed kind)."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        data = stream.read()
        stream.seek(0)
        return _zip_kind(io.BytesIO(data))
    if head and _looks_like_text(head.removeprefix(b"\xef\xbb\xbf")[: SNIFF_BYTES - 4]):
        return "csv"
    return None


def check_upload(name: str, size: int, stream: BinaryIO) -> FileKind:
    """The kind of an upload, or UploadRefused with the reason in French."""
    if size > MAX_SIZE:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        raise UploadRefused(f"Le fichier pèse {megabytes} Mo : la limite est de 10 Mo.")
    if size == 0:
        raise UploadRefused("Le fichier est vide.")
    key = sniff(stream)
    extension = PurePath(name).suffix.lower()
    if key is None:
        raise UploadRefused(
            f"Ce type de fichier n'est pas accepté. Formats acceptés : {ALLOWED_NAMES}."
        )
    kind = KINDS[key]
    if extension not in kind.extensions:
        raise UploadRefused(
            f"Le contenu du fichier ({kind.name}) ne correspond pas à son extension "
            f"« {extension or 'aucune'} »."
        )
    return kind
