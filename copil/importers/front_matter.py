"""The general part of a convention: title, parties, articles and what they govern.

The header names the parties ("Entre / Le Département du Bas-Rhin / <address> /
Représenté par le Président du Département du Bas-Rhin, Monsieur Frédéric BIERRY /
Et / La Caisse d'Allocations Familiales ..."). Articles carry the cooperation
principles, the governance bodies, the specific conventions and the term clause;
each is handed to its field-level parser (copil.importers.terms) with its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from copil.importers.institutions import canonical_institution
from copil.importers.model import (
    ImportedArticle,
    ImportedDocument,
    ImportedParty,
    ImportedTerm,
)
from copil.importers.text import clean_field, clean_items, normalise_label, same_text

if TYPE_CHECKING:
    from copil.importers.fiches import WarningSink
    from copil.importers.plan import Source

_SEPARATOR = re.compile(r"^\s*(?:entre(?:\s+les\s+soussign[ée]e?s)?|et)\s*[:,]?\s*$", re.I)
_REPRESENTED = re.compile(r"^\s*repr[ée]sent[ée]e?s?\s+par\s+(.+?)\s*[,;.]?\s*$", re.I)
_CIVILITY = r"(?:Monsieur|Madame|M\.|Mme|Mr|Mlle)"
_TITLE_THEN_NAME = re.compile(rf"^(?P<title>.+?),?\s+{_CIVILITY}\s+(?P<name>[^,;]+)", re.I)
_NAME_THEN_TITLE = re.compile(rf"^{_CIVILITY}\s+(?P<name>[^,;]+),\s*(?P<title>.+)$", re.I)
_LEADING_ARTICLE = re.compile(r"^(?:[Ll]es?|[Ll]a|[Ll]['’])\s*(?=[A-ZÀ-Ý])")
_DETERMINER = re.compile(r"^(?:le|la|les|l['’]|son|sa|leur)\s*", re.I)
_POSTAL = re.compile(r"\b\d{5}\b|\b(?:rue|place|avenue|boulevard|route|quai|cedex|BP)\b", re.I)
_ALIAS = re.compile(r"^\s*\(?ci-?apr[èe]s|^\s*d'une\s+part|^\s*d'autre\s+part", re.I)
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*(?:[-–/]|à|au)\s*(?:19|20)\d\d\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(slots=True)
class RawArticle:
    number: str
    title: str
    location: str
    index: int
    lines: list[str] = field(default_factory=list)


def _representative(text: str) -> tuple[str, str]:
    """(name, title) from "le Président du Département ..., Monsieur Frédéric BIERRY"."""
    match = _TITLE_THEN_NAME.match(text) or _NAME_THEN_TITLE.match(text)
    if not match:
        return "", _DETERMINER.sub("", text).strip(" ,")
    title = _DETERMINER.sub("", match.group("title")).strip(" ,")
    return match.group("name").strip(" ,."), title[:1].upper() + title[1:]


def _party(block: list[str]) -> ImportedParty | None:
    lines = [line for line in block if line.strip() and not _ALIAS.match(line)]
    if not lines:
        return None
    name = lines[0].strip().rstrip(",;")
    address: list[str] = []
    representative = title = ""
    for line in lines[1:]:
        match = _REPRESENTED.match(line)
        if match:
            representative, title = _representative(match.group(1))
        elif not representative and _POSTAL.search(line):
            address.append(line.strip().rstrip(",;"))
    return ImportedParty(
        institution=canonical_institution(_LEADING_ARTICLE.sub("", name)),
        name_as_written=name,
        address=", ".join(address),
        representative_name=representative,
        representative_title=title,
    )


def parse_header(texts: list[str]) -> tuple[str, list[ImportedParty]]:
    """Title (lines before "Entre") and parties (blocks between "Entre" and each "Et")."""
    texts = [t.strip() for t in texts if t.strip()]
    blocks: list[list[str]] = [[]]
    for text in texts:
        if _SEPARATOR.match(text):
            blocks.append([])
        else:
            blocks[-1].append(text)
    title_lines = blocks[0] if len(blocks) > 1 else blocks[0][:1]
    title = clean_field(" ".join(title_lines)).replace("\n", " ")
    parties = [p for p in (_party(b) for b in blocks[1:]) if p is not None]
    return title, parties


def year_hint(title: str) -> int | None:
    """First year of the period a title names ("... 2019-2022" -> 2019)."""
    match = _PERIOD.search(title) or _YEAR.search(title)
    return int(match.group(1) if match.re is _PERIOD else match.group()) if match else None


def _terms_module():  # noqa: ANN202 - a module or None
    try:
        from copil.importers import terms
    except ImportError:  # pragma: no cover - only while terms.py does not exist
        return None
    return terms


def _pick(articles: list[tuple[RawArticle, ImportedArticle]], *keys: str, in_text: bool = False):
    """The most specific article whose title (or text) names one of `keys`."""
    found = []
    for raw, article in articles:
        haystack = normalise_label(article.title + (" " + article.text if in_text else ""))
        if article.text and any(k in haystack for k in keys):
            found.append((raw, article))
    found.sort(key=lambda pair: "." not in pair[1].number)  # sub-articles first
    return found[0] if found else None


def fill_articles(doc: ImportedDocument, raw_articles: list[RawArticle]) -> None:
    """Articles, cooperation principles, governance, specific conventions and term."""
    pairs = []
    for raw in raw_articles:
        article = ImportedArticle(raw.number, raw.title, clean_field("\n".join(raw.lines)))
        pairs.append((raw, article))
        doc.articles.append(article)
    principles = _pick(pairs, "principe")
    if principles:
        items = clean_items("\n".join(principles[0].lines))
        doc.cooperation_principles = [item.text for item in items if item.bullet]
    terms = _terms_module()
    governance = _pick(pairs, "gouvernance", "pilotage")
    if governance and terms is not None:
        doc.governance_bodies = terms.parse_governance(governance[1].text)
    specific = _pick(pairs, "cadrecontractuel", "conventionsspecifiques", in_text=True)
    if specific and terms is not None:
        doc.specific_conventions = terms.parse_specific_conventions(specific[1].text)
    term = _pick(pairs, "duree", "dateffet", "dateeffet", "priseeffet")
    if term:
        text = term[1].text
        parsed = terms.parse_term_clause(text) if terms is not None else None
        doc.term = parsed or ImportedTerm()
        doc.term.text = doc.term.text or text


def warn_toc_articles(
    toc_articles: list[tuple[str, Source]], articles: list[RawArticle], sink: WarningSink
) -> None:
    """Articles the sommaire announces but the body lacks, or names differently."""
    if not toc_articles:
        return
    body = {a.number: a for a in articles}
    listed = {number for number, _ in toc_articles}
    for number, source in toc_articles:
        article = body.get(number)
        if article is None:
            sink.add(
                source.index,
                "toc_mismatch",
                f"L'article {number} « {source.title} » figure au sommaire mais est absent "
                "du document.",
                source.location,
            )
        elif not same_text(article.title, source.title):
            sink.add(
                article.index,
                "toc_mismatch",
                f"Article {number} : l'intitulé du sommaire ({source.location}) « {source.title} » "
                f"diffère de celui du document « {article.title} ».",
                article.location,
            )
    for number, article in body.items():
        parent = number.split(".")[0]
        subs_listed = any(n.startswith(parent + ".") for n in listed)
        if number not in listed and ("." not in number or subs_listed):
            sink.add(
                article.index,
                "toc_mismatch",
                f"L'article {number} « {article.title} » ne figure pas au sommaire.",
                article.location,
            )
