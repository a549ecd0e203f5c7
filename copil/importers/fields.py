"""Structured values out of the free-text cells of an action sheet (fiche action).

The caller (the structure parser) hands over cleaned cell texts: HTML removed, list
items one per line. Texts converted from PDF still run items together ("Nombre de X
Nombre de Y"), so each parser also splits on the few clues that are reliable.
Nothing here raises on odd input: the raw text is always kept by the caller.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from copil.importers.frdates import best_date
from copil.importers.institutions import (
    DEFAULT_REGISTRY,
    InstitutionRegistry,
    clean_name,
)
from copil.importers.model import BudgetItem, IndicatorItem, Lead, MilestoneItem
from copil.importers.segments import (
    EMPTY,
    bracket_depths,
    cell_items,
    run_on_names,
    sentences,
    split_top,
)

_SPACES = "\u00a0\u202f\u2009 "
_NUM = rf"\d{{1,3}}(?:[{_SPACES}.]\d{{3}})+(?:,\d+)?|\d+(?:[,.]\d+)?"
_AMOUNT = re.compile(
    rf"(?<![\w,.])(?P<num>{_NUM})\s*(?P<unit>k\s?€|K\s?€|M\s?€|€|euros?\b|EUR\b)", re.I
)
_FTE = re.compile(
    r"(?<![\w,.])(?P<num>\d+(?:[,.]\d+)?)\s*(?:ETP\b|[ée]quivalents? temps plein)", re.I
)


def _to_decimal(raw: str) -> Decimal | None:
    digits = re.sub(rf"[{_SPACES}]", "", raw)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):  # "1.000" is a thousand
        digits = digits.replace(".", "")
    try:
        return Decimal(digits.replace(",", "."))
    except InvalidOperation:
        return None


def parse_amount_eur(s: str) -> Decimal | None:
    """First euro amount in `s` ("25 000 €", "4500€", "1,5 k€"); a bare number counts too."""
    text = s.strip()
    bare = re.fullmatch(rf"(?P<num>{_NUM})", text)
    m = bare or _AMOUNT.search(text)
    if not m:
        return None
    value = _to_decimal(m["num"])
    unit = "" if bare else m["unit"].lower().replace(" ", "")
    if value is not None and unit in ("k€", "m€"):
        value = value * (1000 if unit == "k€" else 1_000_000)
    return value


def parse_fte(s: str) -> Decimal | None:
    """Full-time equivalents ("0,1 ETP"), None when the text gives none."""
    m = _FTE.search(s)
    return _to_decimal(m["num"]) if m else None


def _institution_prefixes(text: str, registry: InstitutionRegistry) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of each "CD :" / "Pour la Caf :" naming who a part is about."""
    found: list[tuple[int, int, str]] = []
    for colon in re.finditer(r"\s*:", text):
        head = text[: colon.start()]
        words = list(re.finditer(r"[^\W_](?:[\w'’-]*[^\W_])?", head))[-6:]
        best = None
        for word in words:
            candidate = head[word.start() :]
            if not re.fullmatch(r"[\w'’ -]+", candidate):
                continue
            if word.start() > 0 and not head[word.start() - 1].isspace():
                continue
            canonical = registry.lookup(candidate)
            if canonical and len(candidate.split()) <= 6:
                start = word.start()
                pour = re.search(
                    r"(?:^|\s)(Pour\s+(?:(?:le|la|les|l['’])\s*)?)$", head[:start], re.I
                )
                if pour:
                    start = pour.start(1)
                best = (start, colon.end(), canonical)
                break  # words are in order: the first match is the longest
        if best and (not found or best[0] >= found[-1][1]):
            found.append(best)
    return found


def _sections(text: str, registry: InstitutionRegistry) -> list[tuple[str | None, str, int]]:
    """Text cut per institution: (canonical or None, section text, length of its prefix)."""
    prefixes = _institution_prefixes(text, registry)
    cuts: list[tuple[str | None, int, int]] = [(None, 0, 0)] + [(c, s, e) for s, e, c in prefixes]
    out = []
    for i, (canonical, start, end) in enumerate(cuts):
        stop = cuts[i + 1][1] if i + 1 < len(cuts) else len(text)
        section = text[start:stop]
        if section.strip():  # a prefixed section starts on its prefix, never on a space
            out.append((canonical, section.strip(), end - start))
    return out


def parse_budget(text: str, registry: InstitutionRegistry | None = None) -> list[BudgetItem]:
    """One BudgetItem per institution and per amount; every word of `text` is kept.

    "CD : 45 000 € : poste (1 ETP). 100 000 € : quote-part CAF : moyens humains" gives
    CD 45000 (fte 1), CD 100000 and CAF (no amount). A part without an amount keeps its
    wording with amount None ("A moyens constants"). The first item of a section keeps
    its "CD :" prefix in `text`, so that joining the texts gives back the input.
    """
    items: list[BudgetItem] = []
    for canonical, section, _ in _sections(text.strip(), registry or DEFAULT_REGISTRY):
        chunks: list[str] = []
        for line in section.split("\n"):
            starts = [m.start() for m in _AMOUNT.finditer(line)]
            cuts = [s for s in starts[1:] if line[s - 1].isspace()]
            pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
            for index, piece in enumerate(p.strip() for p in pieces):
                if not piece:
                    continue
                has_value = bool(_AMOUNT.search(piece) or _FTE.search(piece))
                if chunks and not has_value:
                    chunks[-1] += (" " if index else "\n") + piece
                else:
                    chunks.append(piece)
        for chunk in chunks:
            items.append(BudgetItem(canonical, parse_amount_eur_in(chunk), parse_fte(chunk), chunk))
    return items


def parse_amount_eur_in(text: str) -> Decimal | None:
    """Euro amount inside running text (a bare number does not count)."""
    m = _AMOUNT.search(text)
    return parse_amount_eur(m.group()) if m else None


_BUDGET_NOISE = re.compile(
    r"(?i)mobilisation de moyens|engagements financiers|d[ée]cision sp[ée]cifique"
    r"|moyens constants|pas de surco[uû]t|pas de budget"
)


def _unit(text: str) -> str:
    """A lead's unit, without the budget wording some sheets put in the lead row."""
    text = _AMOUNT.sub("", text)
    sentences = [s for s in re.split(r"(?<=\.)\s+", text) if not _BUDGET_NOISE.search(s)]
    return re.sub(r"\s+", " ", " ".join(sentences)).strip(" .,;:-–")


_LEAD_SEP = re.compile(
    r"\s+(?:en lien avec|en partenariat avec|en association avec|avec)\s+"
    r"|\s*[/,;\n]\s*|\s+[-–—]\s+|\s*[–—]\s*|\s+-(?=\S)|(?<=\S)-\s+"
)
_LEAD_NOISE = re.compile(
    r"(?i),?\s*(?:de mani[èe]re concert[ée]e|en concertation|conjointement)\b"
    r"|\s+eu [ée]gard\b.*$|^\s*(?:co-?pilotage|pilotage|pilote|pilot[ée] par)\s*(?:par|:)?\s*"
)


def parse_leads(text: str, registry: InstitutionRegistry | None = None) -> list[Lead]:
    """Who steers an action: "Pour le CD : la PMI Pour la Caf : DAT", "CAF et CD", "CD67 - CAF".

    A unit is whatever follows an institution's name ("CD 67 Centre de ressources").
    Qualifiers ("de manière concertée", "eu égard à...") are dropped: `leads_text`
    keeps the wording. "X en lien avec / avec Y" makes Y a lead too.
    """
    registry = registry or DEFAULT_REGISTRY
    text = re.sub(r"[ \t]+", " ", text).strip()
    leads: list[Lead] = []

    def add(institution: str, unit: str) -> None:
        lead = Lead(institution, unit)
        if institution and lead not in leads:
            leads.append(lead)

    sections = _sections(text, registry)
    if any(canonical for canonical, _, _ in sections):
        for canonical, section, prefix in sections:
            unit = _unit(section[prefix:])
            if canonical:
                add(canonical, unit)
            elif unit:
                leads.extend(parse_leads(unit, registry))
        return leads
    text = _LEAD_NOISE.sub("", text)
    for part in _split_and(split_top(text, _LEAD_SEP), registry):
        part = part.strip(" .,;:")
        if not part or EMPTY.match(part):
            continue
        found = registry.match_prefix(part)
        if found:
            add(found[0], _unit(found[1]))
        else:
            add(clean_name(part), "")
    return leads


def _split_and(parts: list[str], registry: InstitutionRegistry) -> list[str]:
    """Split on "et"/"ou" only where the right side starts a new name.

    "Communes et intercommunalités" splits; "Centre ressources petite enfance et
    handicap" does not (the right side is neither known, capitalised nor plural).
    """
    out: list[str] = []
    pattern = re.compile(r"\s+(?:et|ou|et/ou)\s+")
    for part in parts:
        depths, last = bracket_depths(part), 0
        for m in pattern.finditer(part):
            right = part[m.end() :]
            first = right.split(" ")[0]
            starts_name = (
                right[:1].isupper()
                or re.match(r"(?i)(?:les?|la|l['’]|des|aux?)\b", right)
                or registry.match_prefix(right)
                or (re.fullmatch(r"[a-zà-ÿ]{3,}[sx]", first) and first not in ("des", "aux"))
            )
            if depths[m.start()] == 0 and starts_name:
                out.append(part[last : m.start()])
                last = m.end()
        out.append(part[last:])
    return out


_PARTNER_SEP = re.compile(r"\s*(?:[,;/\n]|\s-\s|\s-(?=\S)|(?<=\S)-\s|[–—])\s*|^\s*[-•*·]\s*")


def parse_partners(text: str, registry: InstitutionRegistry | None = None) -> list[str]:
    """Associated partners, canonical where known, otherwise kept as written (cleaned)."""
    registry = registry or DEFAULT_REGISTRY
    out: list[str] = []
    for line in text.split("\n"):
        for part in _split_and(split_top(line, _PARTNER_SEP), registry):
            part = re.sub(r"\s+", " ", part).strip(" .,;:")
            if not part or EMPTY.match(part) or re.fullmatch(r"(?i)etc\.?|\.\.\.|…", part):
                continue
            name = registry.canonical(part)
            if name and name not in out:
                out.append(name)
    return out


_INDICATOR_HEADS = (
    r"Nombre|Nb|Taux|R[ée]alisation|Enqu[êe]tes?|Participation|Objectifs|Volume|Dur[ée]e"
    r"|Temps|Pourcentage|[ÉE]valuation|Mise en|Part\b|Suivi"
)
_RUN_ON = re.compile(rf"(?<=[a-zà-ÿ)»%])\s+(?=(?:{_INDICATOR_HEADS})\b)")
_KIND = re.compile(
    r"(?i)^indicateurs?\s+(?:de\s+|d['’])?(?P<kind>r[ée]alisation|r[ée]sultats?|impact|activit[ée])"
    r"\s*:?\s*"
)
_KINDS = {"r": "output", "a": "output", "i": "impact"}


def _kind(word: str) -> str:
    word = word.lower()
    if word.startswith(("résultat", "resultat")):
        return "outcome"
    return _KINDS.get(word[0], "output")


def parse_indicators(text: str) -> list[IndicatorItem]:
    """One IndicatorItem per line, bullet, sentence or run-on "Nombre de..." item.

    "Indicateur de réalisation :" sets kind output ("de résultat" outcome, "d'impact"
    impact) and is removed from the label. A heading such as "Suivi annuel /
    indicateurs chiffrés :" (ends with ":" and announces a list) is not an indicator:
    it is left out (the caller keeps the whole cell in `indicators_text`); a heading
    that names a kind applies it to the items that follow.
    """
    out: list[IndicatorItem] = []
    heading_kind: str | None = None
    for item in cell_items(text):
        kind = heading_kind
        m = _KIND.match(item)
        if m:
            kind, item = _kind(m["kind"]), item[m.end() :]
        if item.rstrip().endswith(":") or not item.strip():
            heading_kind = kind if m else None
            continue
        for sentence in sentences(item):
            for label in _RUN_ON.split(sentence):
                label = label.strip(" .;,")
                if label and not EMPTY.match(label):
                    out.append(IndicatorItem(label[:1].upper() + label[1:], kind))
    return out


_DATE_START = (
    r"(?:Fin|D[ée]but|Mi-|Courant)\s+(?:[a-zéû]+\s+)?(?:19|20)\d\d"
    r"|\d\s*(?:\^\{?\w+\}?|er|e|è?me|nd)?\s*(?:trimestre|semestre)\s+(?:19|20)\d\d"
    r"|\d{1,2}(?:er)?\s+(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre"
    r"|octobre|novembre|d[ée]cembre)\b"
    r"|(?:Janvier|F[ée]vrier|Mars|Avril|Mai|Juin|Juillet|Ao[uû]t|Septembre|Octobre|Novembre"
    r"|D[ée]cembre)\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*:"
    r"|(?:Sur la dur[ée]e|[AÀ] compter|Selon|Suivi|Puis|Ensuite)\b"
)
_MILESTONE_CUT = re.compile(
    rf"(?<=[\w)»,])\s+(?=(?:{_DATE_START}))|(?<=(?:19|20)\d\d)\s+(?=[A-ZÀ-Ý][a-zà-ÿ]{{2,}})"
)
_NO_CUT_AFTER = re.compile(
    r"(?i)(?:\b(?:le|la|les|du|de|des|au|aux|en|à|a|avant|après|pour|dès|depuis|jusqu'au|d'ici"
    r"|fin|d[ée]but|courant|mi|trimestre|semestre|er|e|[eè]me|nd|janvier|f[ée]vrier|mars|avril"
    r"|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)|[}-])$"
)
_PLACEHOLDER = re.compile(
    r"(?i)\b[àa]\s+(?:d[ée]finir|convenir|construire|pr[ée]ciser|d[ée]terminer|venir)\b"
    r"|^(?:selon|suivant|en continu|sans objet|n[ée]ant|non d[ée]fini|cf\b"
    r"|convention pluriannuelle)"
)


def _schedule_items(text: str) -> list[str]:
    out = []
    for item in cell_items(text):
        last = 0
        for m in _MILESTONE_CUT.finditer(item):
            if _NO_CUT_AFTER.search(item[: m.start()]) or m.start() == 0:
                continue
            out.append(item[last : m.start()])
            last = m.end()
        out.append(item[last:])
    return [s.strip(" ,;") for s in out if s.strip(" ,;")]


def parse_milestones(text: str, year_hint: int | None = None) -> list[MilestoneItem]:
    """One milestone per dated step; the label is always the original wording.

    Run-on schedules ("Fin 2019 pour X 2e trimestre 2020 pour Y") are cut before each
    date wording. Dates follow `copil.importers.frdates` (end of the period named,
    start for "à compter de", recurring dates only with `year_hint`; the latest date
    when a step names several). An undated step is kept with date None ("Mise en œuvre
    à la signature"); placeholders ("A définir", "Un programme d'actions à convenir",
    "Selon la planification...", "En continu") are not steps and give no milestone.
    """
    out = []
    for item in _schedule_items(text):
        if EMPTY.match(item):
            continue
        date = best_date(item, year_hint)
        if date is None and _PLACEHOLDER.search(item) and not re.search(r"\d{4}", item):
            continue
        out.append(MilestoneItem(item, date))
    return out


def parse_deliverables(text: str) -> list[str]:
    """Deliverables: one per line, bullet, sentence, top-level comma or run-on name.

    "-", "/", "Sans objet" give []. The caller keeps the cell text as written.
    """
    out: list[str] = []
    for item in cell_items(text):
        for sentence in sentences(item):
            for chunk in split_top(sentence, re.compile(r"\s*,\s*")):
                for part in run_on_names(chunk):
                    part = re.sub(r"\s+", " ", part).strip(" .,;")
                    if part and not EMPTY.match(part) and not _PLACEHOLDER.match(part):
                        out.append(part[:1].upper() + part[1:])
    return out
