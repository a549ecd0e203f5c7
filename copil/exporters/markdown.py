"""Write a convention as Markdown: "#" headings and one pipe table per fiche action.

Cells keep their lines with "<br>" and escape "|" and "\\", the exact inverse of
`copil.importers.markdown_reader`.
"""

from __future__ import annotations

from copil.exporters.layout import Block, convention_blocks
from copil.importers.model import ImportedDocument


def export_markdown(doc: ImportedDocument) -> bytes:
    """UTF-8 Markdown bytes of `doc`, laid out by `copil.exporters.layout`."""
    out: list[str] = []
    for block in convention_blocks(doc):
        if block.kind == "heading":
            out += ["#" * max(block.level, 1) + " " + _escape_line(block.text), ""]
        elif block.kind == "paragraph":
            out += [_escape_line(block.text), ""]
        elif block.kind == "table":
            out += _table(block) + [""]
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")


def _table(block: Block) -> list[str]:
    (label, value), *rest = block.rows
    rows = [_row(label, value), "| --- | --- |"]
    return rows + [_row(label, value) for label, value in rest]


def _row(label: str, value: str) -> str:
    return f"| {_cell(label)} | {_cell(value)} |"


def _cell(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(line.strip() for line in escaped.split("\n"))


def _escape_line(text: str) -> str:
    """Keep a paragraph from turning into a heading or a table row when read back."""
    text = text.replace("\\", "\\\\")
    if text.startswith(("#", "|")):
        text = "\\" + text
    return text
