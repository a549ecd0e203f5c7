"""A document read into lines, whatever its format.

Every reader (text, DOCX, ODT, PDF, Markdown) turns its file into the same list of
`SourceLine`s, so the structure parsers are written once:

- a paragraph or heading is a line with `cells=None`;
- a table row is a line whose `cells` holds the cell texts, left to right;
- inside a cell, paragraphs and list items are separated by "\\n" (readers of real
  documents) or still carry HTML fragments such as <p>, <ul><li> (PDF-to-text
  converters); `copil.importers.text.clean_field` normalises both;
- `location` is what a user needs to find the place again: "ligne 412", "page 3".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceLine:
    text: str
    cells: tuple[str, ...] | None = None
    location: str = ""

    @property
    def is_row(self) -> bool:
        return self.cells is not None


def read_text(content: str) -> list[SourceLine]:
    """Lines of a text export; a line with a tab is a table row."""
    lines = []
    for number, raw in enumerate(content.splitlines(), start=1):
        text = raw.rstrip("\r\n")
        cells = tuple(text.split("\t")) if "\t" in text else None
        lines.append(SourceLine(text=text, cells=cells, location=f"ligne {number}"))
    return lines
