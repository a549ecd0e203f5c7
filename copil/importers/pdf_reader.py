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

import bisect
import io
import re
import statistics
from collections import Counter
from typing import Any

from copil.importers.model import UnreadableDocumentError
from copil.importers.source import SourceLine

Line = dict[str, Any]  # a pdfplumber text line: text, x0, x1, top, bottom, chars
Glyphs = dict[tuple[int, int], tuple[Any, ...]]  # (id(font), cid) -> (font, text, width, descent)
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
            glyphs: Glyphs = {}
            pages = []
            for page in pdf.pages:
                pages.append(_read_page(page, glyphs))
                page.close()  # drop the page's objects: only the lines kept are needed
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


def _read_page(page: Any, glyphs: Glyphs) -> list[dict[str, Any]]:
    chars = _load_objects(page, glyphs)
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    # Each char is tested once per page against the boxes, in pure Python, rather than
    # through page.filter()/crop(), which rescan every object of the page per cell.
    centres = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
    by_y = sorted(range(len(chars)), key=lambda i: centres[i][1])
    ys = [centres[i][1] for i in by_y]

    def chars_in(bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
        """The chars whose centre is in bbox (borders included), in page order."""
        x0, top, x1, bottom = bbox
        lo, hi = bisect.bisect_left(ys, top), bisect.bisect_right(ys, bottom)
        found = sorted(i for i in by_y[lo:hi] if x0 <= centres[i][0] <= x1)
        return [chars[i] for i in found]

    items: list[dict[str, Any]] = []
    in_table: set[int] = set()
    for table, (x0, top, x1, bottom) in zip(tables, boxes, strict=True):
        for i in by_y[bisect.bisect_left(ys, top) : bisect.bisect_right(ys, bottom)]:
            if x0 <= centres[i][0] <= x1:
                in_table.add(i)
        for row in table.rows:
            cells = [_cell(page, bbox, chars_in(bbox)) for bbox in row.cells if bbox is not None]
            if any(c["text"] for c in cells):
                items.append({"kind": "row", "top": row.bbox[1], "cells": cells})

    outside = [c for i, c in enumerate(chars) if i not in in_table]
    raw = _text_lines(page, outside)
    margin = page.height * _MARGIN
    # The text column's right edge, assuming right and left margins are alike.
    right = page.width - min((line["x0"] for line in raw), default=0)
    for para in _paragraphs(raw, right):
        top, bottom = para["first"]["top"], para["last"]["bottom"]
        in_margin = top < margin or bottom > page.height - margin
        items.append({"kind": "text", "top": top, "margin": in_margin, **para})
    items.sort(key=lambda item: item["top"])
    return items


def _load_objects(page: Any, glyphs: Glyphs) -> list[dict[str, Any]]:
    """Interpret the page; return its chars, also installed with its other objects as
    the page's object cache (which find_tables() reads).

    What `page.objects` gives, made faster: pdfplumber has pdfminer build an LTChar per
    glyph, then turns each into a dict through a generic converter that resolves every
    attribute, and the two cost more than parsing the page. Here the interpreter's device
    writes each char's dict directly, with the same keys and values (see _char_device);
    lines, rects and curves, a few per page, still go through pdfplumber.
    """
    from pdfminer.layout import LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.utils.exceptions import PdfminerException

    device = _char_device()(page, glyphs)
    try:
        PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as exc:
        raise PdfminerException(exc) from exc
    objects: dict[str, list[dict[str, Any]]] = {}
    stack = [iter(device.get_result()._objs)]
    # Depth first, as Page.iter_layout_objects: without laparams, a figure (a form
    # XObject) is not an object itself, its content is.
    while stack:
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
        elif isinstance(obj, LTContainer):
            stack.append(iter(obj._objs))
        else:
            attr = page.process_object(obj)
            objects.setdefault(attr["object_type"], []).append(attr)
    if device.chars:
        objects["char"] = device.chars
    page._objects = objects
    return device.chars


_DEVICE: type | None = None


def _char_device() -> type:
    """A pdfminer device that records chars as pdfplumber's dicts, in drawing order.

    Built on first use, so that pdfplumber is only imported to read a PDF.
    """
    global _DEVICE
    if _DEVICE is not None:
        return _DEVICE
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent
    from pdfplumber.utils import resolve_and_decode

    class CharDevice(PDFPageAggregatorWithMarkedContent):  # type: ignore[misc]
        def __init__(self, page: Any, glyphs: Glyphs) -> None:
            super().__init__(page.pdf.rsrcmgr, pageno=page.page_number, laparams=None)
            self.page = page
            self.chars: list[dict[str, Any]] = []
            self.mb_x0, self.mb_top = page.mediabox[:2]
            self.page_height = page.height
            self.colour_spaces: dict[int, tuple[Any, str]] = {}
            self.glyphs = glyphs  # shared by the pages of a PDF
            # Vertical fonts, Unicode normalisation, byte font names: pdfplumber's way.
            self.plain = page.pdf.unicode_norm is None

        def render_char(  # noqa: PLR0913 (pdfminer's signature)
            self,
            matrix: Any,
            font: Any,
            fontsize: float,
            scaling: float,
            rise: float,
            cid: int,
            ncs: Any,
            graphicstate: Any,
        ) -> float:
            if not self.plain or font.is_vertical() or not isinstance(font.fontname, str):
                adv = super().render_char(
                    matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate
                )
                item = self.cur_item._objs.pop()
                self.chars.append(self.page.process_object(item))
                return adv
            # PDFLayoutAnalyzer.render_char + LTChar.__init__ (horizontal font) ...
            glyph = self.glyphs.get((id(font), cid))
            if glyph is None:
                try:
                    text = font.to_unichr(cid)
                    assert isinstance(text, str), str(type(text))
                except PDFUnicodeNotDefined:
                    text = self.handle_undefined_char(font, cid)
                glyph = (font, text, font.char_width(cid), font.get_descent())
                self.glyphs[(id(font), cid)] = glyph  # the font kept alive: its id stays its own
            _font, text, width, descent = glyph
            adv = width * fontsize * scaling
            descent = descent * fontsize
            # apply_matrix_rect(matrix, (0, descent + rise, adv, descent + rise + fontsize))
            a, b, c, d, e, f = matrix
            low, high = descent + rise, descent + rise + fontsize
            left1, bottom1 = a * 0 + c * low + e, b * 0 + d * low + f
            right1, bottom2 = a * adv + c * low + e, b * adv + d * low + f
            right2, top1 = a * adv + c * high + e, b * adv + d * high + f
            left2, top2 = a * 0 + c * high + e, b * 0 + d * high + f
            x0, x1 = min(left1, left2, right1, right2), max(left1, left2, right1, right2)
            y0, y1 = min(bottom1, bottom2, top1, top2), max(bottom1, bottom2, top1, top2)
            # ... + Page.process_object.
            key = id(ncs)
            if key not in self.colour_spaces:  # keep ncs referenced: ids stay unique
                self.colour_spaces[key] = (ncs, resolve_and_decode(ncs.name))
            top = (self.page_height - y1) + self.mb_top
            mb_x0 = self.mb_x0
            self.chars.append(
                {
                    "matrix": matrix,
                    "fontname": font.fontname,
                    "adv": adv,
                    "upright": a * d * scaling > 0 and b * c <= 0,
                    "x0": x0 + mb_x0 if mb_x0 != 0 else x0,
                    "y0": y0,
                    "x1": x1 + mb_x0 if mb_x0 != 0 else x1,
                    "y1": y1,
                    "width": x1 - x0,
                    "height": y1 - y0,
                    "size": y1 - y0,
                    "mcid": self.cur_mcid,
                    "tag": self.cur_tag,
                    "object_type": "char",
                    "page_number": self.pageno,
                    "ncs": self.colour_spaces[key][1],
                    "text": text,
                    "stroking_color": _colour(graphicstate.scolor),
                    "non_stroking_color": _colour(graphicstate.ncolor),
                    "top": top,
                    "bottom": (self.page_height - y0) + self.mb_top,
                    "doctop": self.page.initial_doctop + top,
                }
            )
            return adv

    _DEVICE = CharDevice
    return CharDevice


def _colour(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else (value,)


def _text_lines(page: Any, chars: list[dict[str, Any]]) -> list[Line]:
    """page.extract_text_lines(strip=True, return_chars=True) over these chars only."""
    from pdfplumber.utils import chars_to_textmap

    textmap = chars_to_textmap(
        chars, layout_bbox=page.bbox, layout_width=page.width, layout_height=page.height
    )
    return textmap.extract_text_lines(strip=True, return_chars=True)


def _cell(
    page: Any, bbox: tuple[float, float, float, float], chars: list[dict[str, Any]]
) -> dict[str, Any]:
    """A cell's text, with the geometry needed to glue it to its end on the next page.

    Glyphs overflow the ruling by a point or two: a char belongs to the cell its centre
    is in (chars is that selection).
    """
    raw = _text_lines(page, chars)
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
