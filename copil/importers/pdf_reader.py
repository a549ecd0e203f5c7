"""Read a PDF file into SourceLines with pdfplumber.

Per page, ruled tables are found with their bounding boxes; the text outside them
is read as lines, and both are emitted in vertical order, so a fiche's table comes
right after its "FICHE ACTION" heading. Layout noise is dropped: page-number-only
lines, and header/footer lines repeated in the page margins.

A PDF has no paragraphs, only printed lines. Wrapped lines are joined back into
one paragraph when the previous line was full (the next line's first word would
not have fitted on it), in the same font, and the vertical gap is that of a line,
not of a new paragraph; inside a cell, the remaining line breaks become "\\n" as
in the other readers. The same test joins what a page break cut: a paragraph
carried on at the top of the next page, and a table row whose end is printed on
the next page (that row part has an empty label cell; it is merged into the row
it continues, with a space or a line break as the geometry says, which the
structure parser, joining a bare continuation row, could not know).
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from typing import Any

from copil.importers.model import UnreadableDocumentError
from copil.importers.source import SourceLine

Line = dict[str, Any]  # a pdfplumber text line: text, x0, x1, top, bottom, chars
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s*)?[-–]?\s*\d{1,4}\s*[-–]?\s*(?:(?:/|sur)\s*\d{1,4})?\s*$", re.IGNORECASE
)
_BULLET = re.compile(r"^\s*(?:[-–•→▪◦*]|\d{1,2}[.)])\s")
_NO_BREAK_BEFORE = frozenset(".,;:!?)]}»…")
_MARGIN = 0.09  # share of the page height where running headers and footers live


def read_pdf(data: bytes) -> list[SourceLine]:
    """Lines of a PDF document: text lines outside tables and table rows, page by page."""
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises PSSyntaxError, PDFSyntaxError...
        raise UnreadableDocumentError(
            "Le fichier PDF est endommagé ou illisible : impossible d'en lire le contenu."
        ) from exc
    try:
        with pdf:
            pages = [_read_page(page) for page in pdf.pages]
    except Exception as exc:
        raise UnreadableDocumentError(
            "Le fichier PDF est endommagé ou illisible : une page n'a pas pu être lue."
        ) from exc
    if not any(pages):
        raise UnreadableDocumentError(
            "Le fichier PDF ne contient aucun texte lisible (document numérisé ou vide ?) : "
            "il faut le PDF d'origine, ou le document Word ou OpenDocument."
        )
    running = _running_lines(pages)
    lines: list[SourceLine] = []
    previous: dict[str, Any] | None = None  # the last item kept, until a new page starts
    for number, items in enumerate(pages, start=1):
        first = True
        for item in items:
            if item["kind"] == "text" and (
                _PAGE_NUMBER.match(item["text"])
                or (item["margin"] and _normalise(item["text"]) in running)
            ):
                continue
            if first and previous is not None and _carries_on(previous, item):
                item = _merge(previous, item)
                lines.pop()
            else:
                item["location"] = f"page {number}"
            first = False
            cells = tuple(c["text"] for c in item["cells"]) if item["kind"] == "row" else None
            text = "\t".join(cells) if cells is not None else item["text"]
            lines.append(SourceLine(text, cells=cells, location=item["location"]))
            previous = item
    return lines


def _carries_on(previous: dict[str, Any], item: dict[str, Any]) -> bool:
    """The first item of a page continues the last one of the page before.

    A row does when its label cell is empty, or is the lower-case end of a label cut
    in two ("Objectifs opérationnels de" / "l'action"); a paragraph does when the
    line before the break was full.
    """
    if previous["kind"] != item["kind"]:
        return False
    if item["kind"] == "text":
        return _separator(previous, item) != "\n"
    if len(item["cells"]) != len(previous["cells"]) or len(item["cells"]) < 2:
        return False
    label = item["cells"][0]["text"].strip()
    return not label or label[:1].islower()


def _merge(previous: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    if item["kind"] == "text":
        return {**_glue(previous, item), "kind": "text", "location": previous["location"]}
    cells = [_glue(head, tail) for head, tail in zip(previous["cells"], item["cells"], strict=True)]
    return {**item, "cells": cells, "location": previous["location"]}


def _glue(head: dict[str, Any], tail: dict[str, Any]) -> dict[str, Any]:
    """Two parts of a text cut by a page break, as one."""
    if not head["text"] or not tail["text"]:
        return head if head["text"] else tail
    text = head["text"] + _separator(head, tail) + tail["text"]
    return {**head, "text": text, "last": tail["last"]}


def _read_page(page: Any) -> list[dict[str, Any]]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    items: list[dict[str, Any]] = []
    for table in tables:
        for row in table.rows:
            cells = [_cell(page, bbox) for bbox in row.cells if bbox is not None]
            if any(c["text"] for c in cells):
                items.append({"kind": "row", "top": row.bbox[1], "cells": cells})

    def outside(obj: dict[str, Any]) -> bool:
        return not any(_centred_in(obj, box) for box in boxes)

    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj))
    raw = text_page.extract_text_lines(strip=True, return_chars=True)
    margin = page.height * _MARGIN
    # The text column's right edge, assuming right and left margins are alike.
    right = page.width - min((line["x0"] for line in raw), default=0)
    for para in _paragraphs(raw, right):
        top, bottom = para["first"]["top"], para["last"]["bottom"]
        in_margin = top < margin or bottom > page.height - margin
        items.append({"kind": "text", "top": top, "margin": in_margin, **para})
    items.sort(key=lambda item: item["top"])
    return items


def _cell(page: Any, bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """A cell's text, with the geometry needed to glue it to its end on the next page."""
    # Glyphs overflow the ruling by a point or two: a char belongs to the cell its centre is in.
    inside = page.filter(lambda obj: obj.get("object_type") != "char" or _centred_in(obj, bbox))
    raw = inside.extract_text_lines(strip=True, return_chars=True)
    # A cell is filled up to its right border minus its padding, the same on both sides.
    padding = min((line["x0"] for line in raw), default=bbox[0]) - bbox[0]
    paras = _paragraphs(raw, bbox[2] - padding)
    if not paras:
        return {"text": "", "first": None, "last": None, "right": bbox[2]}
    return {
        "text": "\n".join(p["text"] for p in paras),
        "first": paras[0]["first"],
        "last": paras[-1]["last"],
        "right": bbox[2] - padding,
    }


def _centred_in(obj: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _paragraphs(lines: list[Line], right: float) -> list[dict[str, Any]]:
    """Join wrapped printed lines back into logical lines (see the module docstring)."""
    result: list[dict[str, Any]] = []
    for line in lines:
        if not line["text"]:
            continue
        para = {"text": line["text"], "first": line, "last": line, "right": right}
        if result and line["top"] - result[-1]["last"]["bottom"] <= 0.4 * _height(line):
            separator = _separator(result[-1], para)
            if separator != "\n":
                result[-1] = {**result[-1], "text": result[-1]["text"] + separator + para["text"]}
                result[-1]["last"] = line
                continue
        result.append(para)
    return result


def _separator(head: dict[str, Any], tail: dict[str, Any]) -> str:
    """ "" (a word cut after its hyphen), " " (same paragraph) or "\\n" (a new one)."""
    last, first = head["last"], tail["first"]
    if last is None or first is None:
        return "\n"
    if abs(_height(first) - _height(last)) > 0.15 * _height(last):
        return "\n"  # another font size: a heading and its text
    if (
        first["chars"]
        and last["chars"]
        and first["chars"][0]["fontname"] != last["chars"][-1]["fontname"]
    ):
        return "\n"  # a bold heading and the regular text below it
    if _BULLET.match(first["text"]):
        return "\n"
    # Would the next line's first word have fitted at the end of this one? If so the
    # line was ended on purpose.
    if last["x1"] + _space(last) + _first_word_width(first["chars"]) <= head["right"] - 1:
        return "\n"
    if re.search(r"\w-$", last["text"]) and first["text"][:1].isalnum():
        return ""
    return " "


def _height(line: Line) -> float:
    return max(line["bottom"] - line["top"], 1.0)


def _space(line: Line) -> float:
    """Width of a space in this line's font: the usual gap between its words."""
    chars = line["chars"]
    gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:], strict=False)]
    words = [g for g in gaps if g > 1.0]
    return statistics.median(words) if words else 0.25 * _height(line)


def _first_word_width(chars: list[dict[str, Any]]) -> float:
    """Width of what cannot be broken at the start of a line: its first word, and the
    punctuation that follows it even after a space ("insertion, ...)"), as line
    breakers never start a line with it. Spaces are gaps between glyphs, not glyphs."""
    if not chars:
        return 0.0
    end = chars[0]["x1"]
    for char in chars[1:]:
        gap = char["x0"] - end > 1.0 or char["text"].isspace()
        if gap and char["text"] not in _NO_BREAK_BEFORE:
            break
        if not char["text"].isspace():
            end = max(end, char["x1"])
    return end - chars[0]["x0"]


def _normalise(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _running_lines(pages: list[list[dict[str, Any]]]) -> set[str]:
    """Margin lines that come back on several pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts = Counter(
        key
        for items in pages
        for key in {_normalise(i["text"]) for i in items if i["kind"] == "text" and i["margin"]}
    )
    threshold = max(2, len(pages) // 2)
    return {key for key, count in counts.items() if count >= threshold}
