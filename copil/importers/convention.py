"""Structure parser for the convention layout (Département + CAF partnership conventions).

A single pass over the source lines with a small state machine:

    header (title, parties) -> sommaire -> body
    body: préambule, Titre I (articles), Titre II-1/II-2 (themes: introduction,
          orientations and their introductions, FICHE ACTION tables)

Themes, orientations and fiches are collected with their source locations, then
`copil.importers.plan` places each fiche in the plan and cross-checks sommaire,
headings and fiches. Why a pass and not a grammar: converted documents are
irregular (lost spaces, capitals or not, page-break debris), and the sommaire
and the body must be told apart though they use the same headings.
"""

from __future__ import annotations

import re

from copil.importers.fiches import FieldContext, RawFiche, WarningSink
from copil.importers.front_matter import (
    RawArticle,
    fill_articles,
    parse_header,
    warn_toc_articles,
    year_hint,
)
from copil.importers.institutions import default_registry
from copil.importers.labels import (
    ARTICLE_HEADING,
    FICHE_HEADING,
    HEADER_FIELDS,
    MAX_HEADING_LENGTH,
    ORIENTATION_HEADING,
    PAGE_FOOTER,
    PREAMBLE_HEADING,
    SIGNATURE,
    SUBARTICLE_HEADING,
    THEME_HEADING,
    TITRE_HEADING,
    TOC_ACTION,
    TOC_HEADING,
    heading_title,
    kind_of_titre,
    match_label,
    parse_number,
)
from copil.importers.model import ImportedDocument, ImportedParty, StructureNotFoundError
from copil.importers.plan import Source, ThemeSources, TocAction, assemble, warn_toc_themes
from copil.importers.source import SourceLine
from copil.importers.text import clean_field, clean_inline, normalise_label, same_text

_TOC_MAX_ENTRY = 160  # a longer line that is not a sommaire entry is body text
_TOC_LEADER = re.compile(r"\s*(?:\.{3,}|…+|_{3,}|\.(?:\s\.){2,})\s*\d{0,3}\s*$")


class _Pass:
    """The state of the single pass; see the module docstring."""

    def __init__(self, lines: list[SourceLine]) -> None:
        self.lines = lines
        self.texts = [line.text.strip() for line in lines]
        self.sink = WarningSink()
        self.header: list[str] = []
        self.title = ""
        self.parties: list[ImportedParty] = []
        self.preamble: list[str] = []
        self.articles: list[RawArticle] = []
        self.toc_articles: list[tuple[str, Source]] = []
        self.toc_actions: dict[str, TocAction] = {}
        self.themes: dict[int, ThemeSources] = {}
        self.fiches: list[RawFiche] = []
        self.fiche: RawFiche | None = None
        self.container: list[str] | None = None
        self.region = ""  # "articles" | "themes" | ""
        self.kind: str | None = None
        self.theme: ThemeSources | None = None
        self.orientation: int | None = None
        self._toc_theme: ThemeSources | None = None
        self._toc_kind: str | None = None
        self._toc_orientation: int | None = None
        self._toc_first = ""
        self._toc_count = 0
        self._next = self._next_non_blank()

    def _next_non_blank(self) -> list[int]:
        following = [len(self.lines)] * (len(self.lines) + 1)
        for i in range(len(self.lines) - 1, -1, -1):
            blank = not self.texts[i] and not self.lines[i].is_row
            following[i] = following[i + 1] if blank else i
        return following

    def _theme_sources(self, number: int) -> ThemeSources:
        return self.themes.setdefault(number, ThemeSources(number))

    # --- driver -------------------------------------------------------------------------------

    def run(self) -> None:
        mode = "header"
        i = 0
        while i < len(self.lines):
            line, text = self.lines[i], self.texts[i]
            if mode == "header":
                if text and not line.is_row and TOC_HEADING.match(text):
                    mode = "toc"
                    self._end_header()
                elif self._starts_body(line, text):
                    mode = "body"
                    self._end_header()
                    continue
                elif text:
                    self.header.append(text)
            elif mode == "toc":
                if not self._toc_line(i, line, text):
                    mode = "body"
                    continue
            else:
                self._body_line(i, line, text)
            i += 1
        self._close_fiche()
        if mode == "header":
            self._end_header()

    def _end_header(self) -> None:
        self.title, self.parties = parse_header(self.header)

    def _starts_body(self, line: SourceLine, text: str) -> bool:
        if line.is_row:
            return match_label(line.cells[0]) is not None if line.cells else False
        return bool(text) and any(
            p.match(text)
            for p in (
                PREAMBLE_HEADING,
                TITRE_HEADING,
                ARTICLE_HEADING,
                THEME_HEADING,
                FICHE_HEADING,
            )
        )

    # --- sommaire ------------------------------------------------------------------------------

    def _toc_line(self, i: int, line: SourceLine, text: str) -> bool:
        """Record one sommaire entry; False when the sommaire is over."""
        if line.is_row:
            cells = [c.strip() for c in line.cells or () if c.strip()]
            if len(cells) < 2 or not PAGE_FOOTER.match(cells[-1]):
                return False
            text = " ".join(cells[:-1])  # "Thématique 1 : Déclinaison<TAB>5": a page number
        if not text:
            return True
        text = _TOC_LEADER.sub("", text)
        key = normalise_label(text)
        if (self._toc_count >= 2 and key == self._toc_first) or FICHE_HEADING.match(text):
            return False
        where = (line.location, i)
        if m := TITRE_HEADING.match(text):
            self._toc_kind = kind_of_titre(m.group(2))
        elif m := THEME_HEADING.match(text):
            theme = self._toc_theme = self._theme_sources(int(m.group(1)))
            theme.toc = Source(heading_title(m.group(2)), *where)
            theme.kind = theme.kind or self._toc_kind
            self._toc_orientation = None
        elif (m := ORIENTATION_HEADING.match(text)) and self._toc_theme is not None:
            number = int(m.group(1) or len(self._toc_theme.slots) + 1)
            self._toc_theme.slot(number).toc = Source(heading_title(m.group(2)), *where)
            self._toc_orientation = number
        elif m := TOC_ACTION.match(text):
            theme = self._toc_theme.number if self._toc_theme else None
            number = parse_number(m.group(1)) or m.group(1)
            title = heading_title(m.group(2))
            self.toc_actions[number] = TocAction(
                number, title, theme, self._toc_orientation, *where
            )
        elif m := ARTICLE_HEADING.match(text):
            self.toc_articles.append((m.group(1), Source(heading_title(m.group(2)), *where)))
        elif m := SUBARTICLE_HEADING.match(text):
            number = f"{m.group(1)}.{m.group(2)}"
            self.toc_articles.append((number, Source(heading_title(m.group(3)), *where)))
        elif len(text) > _TOC_MAX_ENTRY:
            return False
        if not self._toc_first:
            self._toc_first = key
        self._toc_count += 1
        return True

    # --- body ----------------------------------------------------------------------------------

    def _body_line(self, i: int, line: SourceLine, text: str) -> None:
        """One body line: a table row, a heading or prose."""
        if line.is_row:
            self._row(i, line)
        elif not text:
            return
        elif SIGNATURE.match(text):
            # Signatures: their prose belongs nowhere, but annexed fiches may follow.
            self._close_fiche()
            self.container, self.region = None, ""
        elif len(text) > MAX_HEADING_LENGTH or not self._heading(i, line, text):
            self._prose(i, line, text)

    def _heading(self, i: int, line: SourceLine, text: str) -> bool:
        if m := FICHE_HEADING.match(text):
            self._open_fiche(i, line, parse_number(m.group(1)), heading_title(m.group(2)))
        elif m := TITRE_HEADING.match(text):
            self._close_fiche()
            self.kind = kind_of_titre(m.group(2))
            self.container, self.region = None, ""
        elif PREAMBLE_HEADING.match(text):
            self._close_fiche()
            self.container, self.region = self.preamble, ""
        elif m := ARTICLE_HEADING.match(text):
            self._close_fiche()
            self._article(m.group(1), m.group(2), line, i)
        elif (m := SUBARTICLE_HEADING.match(text)) and self._is_subarticle(m.group(1), m.group(3)):
            self._article(f"{m.group(1)}.{m.group(2)}", m.group(3), line, i)
        elif (m := THEME_HEADING.match(text)) and self._is_section(i):
            self._close_fiche()
            theme = self.theme = self._theme_sources(int(m.group(1)))
            if theme.heading is None:
                theme.heading = Source(heading_title(m.group(2)), line.location, i)
                theme.kind = self.kind or theme.kind
            self.container, self.region, self.orientation = theme.intro, "themes", None
        elif m := THEME_HEADING.match(text):
            theme = self._theme_sources(int(m.group(1)))
            theme.mention = theme.mention or heading_title(m.group(2))
            return False
        elif (m := ORIENTATION_HEADING.match(text)) and self.theme and self.region == "themes":
            self._close_fiche()
            number = int(m.group(1) or len(self.theme.slots) + 1)
            slot = self.theme.slot(number)
            if slot.heading is None:
                slot.heading = Source(heading_title(m.group(2)), line.location, i)
            self.container, self.orientation = slot.intro, number
        elif (m := TOC_ACTION.match(text)) and self._next_is_row(i):
            self._open_fiche(i, line, parse_number(m.group(1)), heading_title(m.group(2)))
        else:
            return False
        return True

    def _is_subarticle(self, number: str, title: str) -> bool:
        top = self.articles[-1].number.split(".")[0] if self.articles else None
        return self.region == "articles" and number == top and title[:1].isupper()

    def _is_section(self, i: int) -> bool:
        """A theme heading followed by content, not one line of a list of themes."""
        j = self._next[i + 1]
        if j >= len(self.lines):
            return False
        if self.lines[j].is_row:
            return True
        following = self.texts[j]
        return not any(p.match(following) for p in (THEME_HEADING, ARTICLE_HEADING))

    def _next_is_row(self, i: int) -> bool:
        j = self._next[i + 1]
        return j < len(self.lines) and self.lines[j].is_row

    def _article(self, number: str, title: str | None, line: SourceLine, i: int) -> None:
        article = RawArticle(number, heading_title(title), line.location, i)
        self.articles.append(article)
        self.container, self.region = article.lines, "articles"

    def _row(self, i: int, line: SourceLine) -> None:
        match = match_label(line.cells[0]) if line.cells else None
        fiche = self.fiche
        if fiche is not None and match and match.field in HEADER_FIELDS:
            previous = fiche.header(match.field)
            if previous and same_text(previous, clean_inline("\n".join(line.cells[1:]))):
                return  # header row repeated at the top of a new page
            if previous and fiche.has_content_fields():
                self._close_fiche()  # a new fiche whose table has no heading
                fiche = None
        if fiche is None:
            starts_fiche = match is not None and (
                match.field in HEADER_FIELDS or self.region == "themes"
            )
            if not starts_fiche:
                if self.container is not None:
                    self.container.append(" ".join(c.strip() for c in line.cells or () if c))
                return
            self._open_fiche(i, line, None, "")
            fiche = self.fiche
        assert fiche is not None
        fiche.add_row(line, i)

    def _prose(self, i: int, line: SourceLine, text: str) -> None:
        if PAGE_FOOTER.match(text) or self._is_running_title(text):
            return
        if self.fiche is not None:
            if not self.fiche.has_rows:
                # a line between "FICHE ACTION 5.3" and its table is the fiche's title
                self.fiche.heading_title = self.fiche.heading_title or heading_title(text)
                return
            self._close_fiche()
            kept = "rattaché à l'introduction qui précède la fiche"
            self.sink.add(
                i,
                "unattached_text",
                f"Texte sans rubrique après une fiche action : « {text[:60]} » ; il est "
                f"{kept if self.container is not None else 'ignoré'}.",
                line.location,
            )
        if self.container is not None:
            self.container.append(text)

    def _is_running_title(self, text: str) -> bool:
        """The document title repeated as a page header."""
        return abs(len(text) - len(self.title)) < 8 and same_text(text, self.title)

    def _open_fiche(self, i: int, line: SourceLine, number: str | None, title: str) -> None:
        self._close_fiche()
        self.fiche = RawFiche(
            number=number,
            heading_title=title,
            location=line.location,
            index=i,
            theme_context=self.theme.number if self.theme and self.region == "themes" else None,
            orientation_context=self.orientation,
        )

    def _close_fiche(self) -> None:
        if self.fiche is not None:
            self.fiches.append(self.fiche)
            self.fiche = None


def parse_convention(lines: list[SourceLine], source_format: str = "text") -> ImportedDocument:
    """The ImportedDocument of a convention; warnings say what looked wrong, and where."""
    state = _Pass(lines)
    state.run()
    if not state.fiches and not any(t.heading for t in state.themes.values()):
        raise StructureNotFoundError(
            "Aucune thématique ni fiche action n'a été reconnue : le document ne semble pas "
            "être une convention au format attendu (titres « THEMATIQUE … », tableaux "
            "« FICHE ACTION … »)."
        )
    doc = ImportedDocument(
        title=state.title or "Convention",
        source_format=source_format,
        layout="convention",
        parties=state.parties,
        summary=clean_field("\n".join(state.preamble)),
    )
    fill_articles(doc, state.articles)
    warn_toc_articles(state.toc_articles, state.articles, state.sink)
    registry = default_registry().with_parties(*(p.institution for p in state.parties))
    context = FieldContext(year_hint(state.title), registry)
    doc.themes = assemble(state.themes, state.fiches, state.toc_actions, state.sink, context)
    warn_toc_themes(state.themes, state.sink)
    doc.warnings = state.sink.sorted()
    return doc
