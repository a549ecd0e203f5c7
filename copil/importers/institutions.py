"""Alias registry: the many ways a convention names an institution -> one canonical name.

Conventions write "CD", "CD 67", "le Conseil Général", "Caf", "Caisse d'Allocations
Familiales du Bas-Rhin"... for the same two parties, and a dozen acronyms for their
partners. Matching is insensitive to accents, case, punctuation and a leading article.

Generic names ("Département", "CD", "Caf") are only meaningful relative to the parties
of the convention being imported: `InstitutionRegistry.with_parties()` returns a copy
where they point to those parties, so a Gironde convention maps "CD" to
"Département de la Gironde" and not to the Bas-Rhin default.
Unknown names are never dropped: they come back cleaned, to become new institutions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

DEPARTMENT_GENERIC = (
    "CD",
    "Département",
    "Conseil départemental",
    "Conseil général",
    "CG",
    "Collectivité départementale",
)
CAF_GENERIC = ("Caf", "Caisse d'allocations familiales")

# canonical name -> aliases (the canonical name is always an alias of itself)
ALIASES: dict[str, tuple[str, ...]] = {
    "Département du Bas-Rhin": (
        *DEPARTMENT_GENERIC,
        "CD67",
        "CD 67",
        "CG67",
        "CG 67",
        "Département 67",
        "Conseil départemental du Bas-Rhin",
        "Conseil départemental 67",
        "Conseil général du Bas-Rhin",
        "Conseil général 67",
    ),
    "Caf du Bas-Rhin": (
        *CAF_GENERIC,
        "CAF67",
        "CAF 67",
        "Caisse d'allocations familiales du Bas-Rhin",
        "Caisse d'allocations familiales de Strasbourg",
    ),
    "Collectivité européenne d'Alsace": ("CeA", "Collectivité d'Alsace"),
    "Eurométropole de Strasbourg": (
        "EMS",
        "Eurométropole",
        "Strasbourg Eurométropole",
        "CUS",
        "Communauté urbaine de Strasbourg",
    ),
    "Ville de Strasbourg": ("Mairie de Strasbourg", "Strasbourg"),
    "État": (
        "Etat",
        "services de l'État",
        "services de l'Etat",
        "Préfecture",
        "Préfecture du Bas-Rhin",
        "Préfet",
        "Préfète",
    ),
    "DDCS": ("Direction départementale de la cohésion sociale",),
    "DRDJSCS": (
        "Direction régionale et départementale de la jeunesse, des sports et de la "
        "cohésion sociale",
    ),
    "DDT": ("Direction départementale des territoires",),
    "DREAL": ("Direction régionale de l'environnement, de l'aménagement et du logement",),
    "MDPH": ("Maison départementale des personnes handicapées",),
    "MSA": ("Mutualité sociale agricole",),
    "ARS": ("Agence régionale de santé",),
    "CPAM": ("Caisse primaire d'assurance maladie",),
    "CARSAT": ("Caisse d'assurance retraite et de la santé au travail",),
    "CNAF": ("Caisse nationale des allocations familiales",),
    "UDAF": ("Union départementale des associations familiales",),
    "France Travail": ("Pôle emploi", "Pole emploi"),
    "Missions locales": ("Mission locale",),
    "Éducation nationale": ("Education nationale", "DSDEN", "Inspection académique"),
    "Défenseur des droits": ("DDD", "Défenseur des droits"),
    "EPCI": (
        "intercommunalités",
        "intercommunalité",
        "établissements publics de coopération intercommunale",
        "communautés de communes",
        "communautés des communes",
        "communauté de communes",
    ),
    "Région": ("Conseil régional", "Région Grand Est"),
    "Ram": ("RAM", "Relais assistants maternels", "Relais d'assistants maternels"),
    "Collectivités": ("collectivités territoriales", "collectivités locales"),
    "Communes": ("mairies", "municipalités"),
    "Associations": ("partenaires associatifs", "secteur associatif", "associations locales"),
}

_ARTICLE = re.compile(r"^(?:la|le|les|l)\s+")


def normalize_key(name: str) -> str:
    """Comparison key: no accents, no case, no punctuation, no leading article."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w]+|_", " ", text).strip()
    text = re.sub(r"\b([a-z]+) (\d+)\b", r"\1\2", text)  # "cd 67" == "cd67"
    return _ARTICLE.sub("", text)


def clean_name(name: str) -> str:
    """An unknown name made presentable: trimmed, no list noise, capitalised."""
    text = re.sub(r"\s+", " ", name).strip()
    text = re.sub(r"^(?:[-–—•*·→]+|o(?=\s))\s*", "", text)
    text = re.sub(r"(?:\s*(?:\.\.\.|…))+$", "", text)
    text = text.strip(" ,;:.").strip()
    # "Les collectivités" -> "collectivités"; "La Poste" stays (proper noun)
    match = re.match(r"^(?:[Ll]a|[Ll]es?)\s+(?=[a-zà-ÿ])|^[Ll]['’](?=[a-zà-ÿ])", text)
    if match:
        text = text[match.end() :]
    return text[:1].upper() + text[1:] if text else ""


class InstitutionRegistry:
    """Canonical names and their aliases; later registrations win on a shared alias."""

    def __init__(self, aliases: Mapping[str, Iterable[str]] | None = None) -> None:
        self._by_key: dict[str, str] = {}
        self._max_words = 1
        for canonical, names in (aliases or {}).items():
            self.register(canonical, *names)

    def register(self, canonical: str, *aliases: str) -> None:
        """Add (or re-point) `aliases` to `canonical`."""
        for alias in (canonical, *aliases):
            key = normalize_key(alias)
            if key:
                self._by_key[key] = canonical
                self._max_words = max(self._max_words, len(key.split()))

    def copy(self) -> InstitutionRegistry:
        clone = InstitutionRegistry()
        clone._by_key = dict(self._by_key)
        clone._max_words = self._max_words
        return clone

    def with_parties(self, *parties: str) -> InstitutionRegistry:
        """A copy where "CD", "Département", "Caf"... name the convention's own parties.

        A party whose name starts with "Département" takes the generic Département
        aliases (plus "Conseil départemental <territory>"...), one starting with "Caf" or
        "Caisse d'allocations familiales" takes the Caf ones.
        """
        clone = self.copy()
        for party in parties:
            key = normalize_key(party)
            territory = re.sub(
                r"^(?:Département|Caf|Caisse d'allocations familiales)\s*", "", party, flags=re.I
            )
            if key.startswith("departement"):
                generic = DEPARTMENT_GENERIC
            elif key.startswith(("caf", "caisse d allocations familiales")):
                generic = CAF_GENERIC
            else:
                clone.register(party)
                continue
            extra = [f"{g} {territory}" for g in generic if territory]
            clone.register(party, *generic, *extra)
        return clone

    def lookup(self, name: str) -> str | None:
        """Canonical name for `name`, or None when it is not a known alias."""
        return self._by_key.get(normalize_key(name))

    def resolve(self, name: str) -> tuple[str, bool]:
        """(canonical, True) for a known alias, (cleaned name, False) otherwise."""
        found = self.lookup(name)
        return (found, True) if found else (clean_name(name), False)

    def canonical(self, name: str) -> str:
        return self.resolve(name)[0]

    def match_prefix(self, text: str) -> tuple[str, str] | None:
        """Longest known alias at the start of `text`: (canonical, rest of the text).

        Used for "CD 67 Centre de ressources" -> ("Département du Bas-Rhin",
        "Centre de ressources").
        """
        tokens = list(re.finditer(r"[^\W_]+(?:['’][^\W_]+)?", text))
        for count in range(min(len(tokens), self._max_words + 2), 0, -1):
            end = tokens[count - 1].end()
            found = self.lookup(text[:end])
            if found:
                return found, text[end:].strip(" ,;:-–.")
        return None


DEFAULT_REGISTRY = InstitutionRegistry(ALIASES)


def default_registry() -> InstitutionRegistry:
    """A fresh copy of the built-in registry, safe to extend for one import."""
    return DEFAULT_REGISTRY.copy()


def resolve_institution(name: str, registry: InstitutionRegistry | None = None) -> tuple[str, bool]:
    """(canonical name, known?) — unknown names come back cleaned, never dropped."""
    return (registry or DEFAULT_REGISTRY).resolve(name)


def canonical_institution(name: str, registry: InstitutionRegistry | None = None) -> str:
    """The canonical name of `name` (or `name` cleaned when it is unknown)."""
    return resolve_institution(name, registry)[0]
