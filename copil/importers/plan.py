"""Place the fiches in the plan (themes > orientations > actions) and cross-check sources.

A convention names each theme, orientation and action up to three times: in the
sommaire, as a section heading, and in the header rows of the fiche. They often
disagree. The fiche's own rows win: an action goes under the orientation its fiche
names (matched on normalised text, then on shared words), and its wording is kept;
every real difference is reported, trivial ones (case, accents, punctuation, a
trailing period) are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from copil.importers.fiches import (
    FieldContext,
    RawFiche,
    WarningSink,
    build_action,
    warn_missing_fields,
)
from copil.importers.labels import parse_number
from copil.importers.model import ImportedOrientation, ImportedTheme
from copil.importers.text import clean_field, fold, same_text

_STOP_WORDS = frozenset(
    ("les", "des", "une", "pour", "dans", "par", "sur", "aux", "avec", "leur", "leurs", "ces")
    + ("cette", "son", "ses", "qui", "que", "est", "sont", "entre", "contre", "plus", "afin")
)
_WORD = re.compile(r"[a-z0-9]+")
SIMILAR = 0.6


@dataclass(slots=True)
class Source:
    """One wording of a title, and where it was read."""

    title: str
    location: str
    index: int


@dataclass(slots=True)
class Slot:
    """An orientation being assembled from the sommaire, its heading and its fiches."""

    number: int
    toc: Source | None = None
    heading: Source | None = None
    intro: list[str] = field(default_factory=list)
    fiches: list[tuple[RawFiche, str, Source | None]] = field(default_factory=list)

    def titles(self) -> list[str]:
        sources = [self.toc, self.heading, *(s for _, _, s in self.fiches)]
        return [s.title for s in sources if s is not None and s.title]


@dataclass(slots=True)
class ThemeSources:
    number: int
    toc: Source | None = None
    heading: Source | None = None
    mention: str = ""
    kind: str | None = None
    intro: list[str] = field(default_factory=list)
    slots: dict[int, Slot] = field(default_factory=dict)
    fiches: list[tuple[RawFiche, str]] = field(default_factory=list)

    def slot(self, number: int) -> Slot:
        return self.slots.setdefault(number, Slot(number))


@dataclass(slots=True)
class TocAction:
    number: str
    title: str
    theme: int | None
    orientation: int | None
    location: str
    index: int


def _words(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in _STOP_WORDS}


def similarity(a: str, b: str) -> float:
    """Share of the shorter title's content words found in the other (stems of 5 letters)."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def _quote(source: Source, what: str) -> str:
    return f"{what} ({source.location}) : « {source.title} »"


def _place(theme: ThemeSources, fiche: RawFiche, number: str, toc: TocAction | None) -> Slot:
    title = fiche.header("orientation")
    toc_number = toc.orientation if toc and toc.theme == theme.number else None
    fallback = theme.slots.get(toc_number) or theme.slots.get(fiche.orientation_context)
    if title:
        exact = [s for s in theme.slots.values() if any(same_text(title, t) for t in s.titles())]
        if exact:
            return next((s for s in exact if s.number == toc_number), exact[0])
        scored = [
            (max((similarity(title, t) for t in s.titles()), default=0.0), s)
            for s in theme.slots.values()
        ]
        if scored:
            score, best = max(scored, key=lambda pair: (pair[0], pair[1].number == toc_number))
            if score >= SIMILAR:
                return best
    if fallback is None and not title and theme.slots:
        fallback = next(iter(theme.slots.values()))
    return fallback or theme.slot(max(theme.slots, default=0) + 1)


def _orientation(theme: ThemeSources, slot: Slot, sink: WarningSink) -> ImportedOrientation:
    fiche_sources = [(num, s) for _, num, s in slot.fiches if s is not None and s.title]
    chosen = (
        Source(fiche_sources[0][1].title, fiche_sources[0][1].location, fiche_sources[0][1].index)
        if fiche_sources
        else slot.heading or slot.toc or Source("", "", 0)
    )
    origin = (
        f"fiche {fiche_sources[0][0]}"
        if fiche_sources
        else ("titre de section" if slot.heading else "sommaire")
    )
    differing: list[str] = []
    if slot.toc and not same_text(slot.toc.title, chosen.title):
        differing.append(_quote(slot.toc, "sommaire"))
    if (
        slot.heading
        and slot.heading is not chosen
        and not same_text(slot.heading.title, chosen.title)
    ):
        differing.append(_quote(slot.heading, "titre de section"))
    for num, source in fiche_sources[1:]:
        if not same_text(source.title, chosen.title):
            differing.append(_quote(source, f"fiche {num}"))
    if differing and chosen.title:
        code = "toc_mismatch" if differing[0].startswith("sommaire") else "heading_mismatch"
        sink.add(
            chosen.index,
            code,
            f"Orientation {theme.number}.{slot.number} : intitulés divergents — "
            + " ; ".join(differing)
            + f". Intitulé retenu ({origin}) : « {chosen.title} ».",
            chosen.location,
        )
    return ImportedOrientation(slot.number, chosen.title, clean_field("\n".join(slot.intro)))


def _action_title(fiche: RawFiche, number: str, toc: TocAction | None, sink: WarningSink) -> str:
    title = fiche.header("action") or fiche.heading_title
    if toc and title and not same_text(toc.title, title):
        acc = fiche.fields.get("action")
        sink.add(
            acc.index if acc else fiche.index,
            "toc_mismatch",
            f"Action {number} : l'intitulé du sommaire ({toc.location}) « {toc.title} » diffère "
            f"de celui de la fiche « {title} » ; l'intitulé de la fiche est retenu.",
            acc.location if acc else fiche.location,
        )
    return title or (toc.title if toc else "")


def _theme_title(theme: ThemeSources, sink: WarningSink) -> str:
    candidates = [s.title for s in (theme.toc, theme.heading) if s] + [theme.mention]
    if theme.fiches:
        candidates.append(theme.fiches[0][0].header("theme"))
    candidates = [c for c in candidates if c]
    if theme.toc and theme.heading and not same_text(theme.toc.title, theme.heading.title):
        sink.add(
            theme.heading.index,
            "toc_mismatch",
            f"Thématique {theme.number} : l'intitulé du sommaire ({theme.toc.location}) "
            f"« {theme.toc.title} » diffère du titre de section « {theme.heading.title} ».",
            theme.heading.location,
        )
    mixed = [c for c in candidates if not c.isupper()]
    return (mixed or candidates or [""])[0]


def _fiche_theme(fiche: RawFiche, number: str, themes: dict[int, ThemeSources]) -> int:
    prefix = number.split(".")[0] if "." in number else None
    if prefix and prefix.isdigit():
        return int(prefix)
    declared = parse_number(fiche.header("theme_number") or fiche.header("theme"))
    if declared and declared.isdigit():
        return int(declared)
    named = fiche.header("theme")
    for theme in themes.values():
        titles = [s.title for s in (theme.toc, theme.heading) if s] + [theme.mention]
        if named and any(t and same_text(named, t) for t in titles):
            return theme.number
    return fiche.theme_context or 0


def assemble(
    themes: dict[int, ThemeSources],
    fiches: list[RawFiche],
    toc_actions: dict[str, TocAction],
    sink: WarningSink,
    context: FieldContext,
) -> list[ImportedTheme]:
    """Themes with their orientations and actions, fiches placed, differences warned."""
    seen: dict[str, RawFiche] = {}
    numbered: list[tuple[RawFiche, str]] = []
    for fiche in fiches:
        number = fiche.resolved_number() or _number_from_toc(fiche, toc_actions)
        if number is None:
            context = fiche.theme_context or 0
            count = sum(1 for _, n in numbered if n.startswith(f"{context}."))
            number = f"{context}.{count + 1}"
        if number in seen:
            sink.add(
                fiche.index,
                "duplicate_action",
                f"La fiche action {number} apparaît deux fois ({seen[number].location} "
                f"et {fiche.location}).",
                fiche.location,
            )
        seen.setdefault(number, fiche)
        numbered.append((fiche, number))
        theme_number = _fiche_theme(fiche, number, themes)
        if fiche.theme_context and theme_number != fiche.theme_context:
            sink.add(
                fiche.index,
                "heading_mismatch",
                f"La fiche {number} se trouve dans la section de la thématique "
                f"{fiche.theme_context} ; elle est rattachée à la thématique {theme_number} "
                "d'après son numéro.",
                fiche.location,
            )
        themes.setdefault(theme_number, ThemeSources(theme_number)).fiches.append((fiche, number))
    warn_missing_fields(numbered, sink)
    result: list[ImportedTheme] = []
    for number in sorted(themes):
        result.append(_theme(themes[number], toc_actions, sink, context))
    for toc in toc_actions.values():
        if toc.number not in seen:
            sink.add(
                toc.index,
                "toc_mismatch",
                f"L'action {toc.number} « {toc.title} » figure au sommaire mais aucune fiche "
                "action ne la décrit.",
                toc.location,
            )
    return result


def _number_from_toc(fiche: RawFiche, toc_actions: dict[str, TocAction]) -> str | None:
    title = fiche.header("action") or fiche.heading_title
    return next(
        (t.number for t in toc_actions.values() if title and same_text(t.title, title)), None
    )


def _theme(
    theme: ThemeSources, toc_actions: dict[str, TocAction], sink: WarningSink, context: FieldContext
) -> ImportedTheme:
    title = _theme_title(theme, sink)
    placed: list[tuple[Slot, RawFiche, str, TocAction | None]] = []
    for fiche, number in theme.fiches:
        toc = toc_actions.get(number)
        slot = _place(theme, fiche, number, toc)
        acc = fiche.fields.get("orientation")
        source = Source(fiche.header("orientation"), acc.location, acc.index) if acc else None
        slot.fiches.append((fiche, number, source))
        placed.append((slot, fiche, number, toc))
        named = fiche.header("theme")
        if named and not named.isdigit() and title and not same_text(named, title):
            row = fiche.fields["theme"]
            sink.add(
                row.index,
                "heading_mismatch",
                f"Fiche {number} : la thématique indiquée « {named} » diffère de celle de la "
                f"section « {title} ».",
                row.location,
            )
    orientations = {n: _orientation(theme, theme.slots[n], sink) for n in sorted(theme.slots)}
    for slot, fiche, number, toc in placed:
        if toc and toc.theme == theme.number and toc.orientation not in (None, slot.number):
            where = fiche.fields.get("orientation")
            listed = theme.slots.get(toc.orientation)
            listed_title = listed.toc.title if listed and listed.toc else ""
            sink.add(
                where.index if where else fiche.index,
                "toc_mismatch",
                f"Action {number} : le sommaire ({toc.location}) la place sous l'orientation "
                f"{toc.orientation} « {listed_title} », mais la fiche la rattache à l'orientation "
                f"{slot.number} « {orientations[slot.number].title} » ; la fiche est retenue.",
                where.location if where else fiche.location,
            )
        action = build_action(fiche, number, _action_title(fiche, number, toc, sink), sink, context)
        orientations[slot.number].actions.append(action)
    anchor = theme.heading or theme.toc
    if anchor and not placed:
        sink.add(
            anchor.index,
            "theme_without_action",
            f"La thématique {theme.number} « {title} » ne comporte aucune fiche action.",
            anchor.location,
        )
    for n, orientation in orientations.items():
        slot = theme.slots[n]
        where = slot.heading or slot.toc
        if placed and not orientation.actions and where:
            sink.add(
                where.index,
                "orientation_without_action",
                f"L'orientation {theme.number}.{n} « {orientation.title} » ne comporte "
                "aucune fiche action.",
                where.location,
            )
    return ImportedTheme(
        number=theme.number,
        title=title,
        kind=theme.kind or "thematic",
        introduction=clean_field("\n".join(theme.intro)),
        orientations=list(orientations.values()),
    )


def warn_toc_themes(themes: dict[int, ThemeSources], sink: WarningSink) -> None:
    """Themes the sommaire lists but the body never develops, and the reverse."""
    if not any(t.toc for t in themes.values()):
        return
    for theme in themes.values():
        if theme.toc and not theme.heading and not theme.fiches:
            sink.add(
                theme.toc.index,
                "toc_mismatch",
                f"La thématique {theme.number} « {theme.toc.title} » figure au sommaire mais "
                "n'est pas développée dans le document.",
                theme.toc.location,
            )
        elif theme.heading and not theme.toc:
            sink.add(
                theme.heading.index,
                "toc_mismatch",
                f"La thématique {theme.number} « {theme.heading.title} » ne figure pas "
                "au sommaire.",
                theme.heading.location,
            )
