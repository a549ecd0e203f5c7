"""ImportedDocument -> document bytes, in the fiche-action layout."""

from __future__ import annotations

from copil.importers.model import ImportedDocument


def export_document(doc: ImportedDocument, fmt: str) -> bytes:
    """fmt: "docx" | "odt" | "markdown" | "json"."""
    if fmt == "docx":
        from copil.exporters.docx import export_docx as write
    elif fmt == "odt":
        from copil.exporters.odt import export_odt as write
    elif fmt == "markdown":
        from copil.exporters.markdown import export_markdown as write
    elif fmt == "json":
        from copil.exporters.json import export_json as write
    else:
        raise ValueError(f"format d'export inconnu : {fmt}")
    return write(doc)
