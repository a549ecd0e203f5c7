"""What changed between two imports of a convention, in words a user reads."""

from __future__ import annotations

from typing import Any

from copil.importers.model import ImportedDocument, to_json

_ACTION_FIELD_LABELS = {
    "title": "intitulé",
    "shared_diagnosis": "diagnostic partagé",
    "operational_objectives": "objectifs opérationnels",
    "target_audiences": "publics visés",
    "description": "descriptif",
    "expected_results": "résultats attendus",
    "leads": "pilotes",
    "partners": "partenaires",
    "schedule": "échéancier",
    "milestones": "jalons",
    "deliverables": "livrables",
    "budget": "budget",
    "indicators": "indicateurs",
}


def _actions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    # A partner named twice ("CD" and "Département") is one partner once stored.
    return {
        a["number"]: {
            **a,
            "partners": list(dict.fromkeys(a["partners"])),
            "_orientation": (t["number"], o["number"]),
        }
        for t in data["themes"]
        for o in t["orientations"]
        for a in o["actions"]
    }


def compare_documents(old: ImportedDocument, new: ImportedDocument) -> list[str]:
    """Differences of plan and term, one French sentence each; [] when equal."""
    a, b = to_json(old), to_json(new)
    changes: list[str] = []
    if a["title"] != b["title"]:
        changes.append(f"Intitulé : « {a['title']} » → « {b['title']} »")
    for key in sorted(set(a["term"]) - {"text"}):
        if a["term"].get(key) != b["term"].get(key):
            changes.append(f"Durée : {key} {a['term'].get(key)} → {b['term'].get(key)}")
    themes_a = {t["number"]: t for t in a["themes"]}
    themes_b = {t["number"]: t for t in b["themes"]}
    for number in sorted(themes_a.keys() | themes_b.keys()):
        ta, tb = themes_a.get(number), themes_b.get(number)
        if ta is None:
            changes.append(f"Thématique {number} ajoutée : {tb['title']}")
        elif tb is None:
            changes.append(f"Thématique {number} supprimée : {ta['title']}")
        elif (ta["title"], ta["kind"]) != (tb["title"], tb["kind"]):
            changes.append(f"Thématique {number} modifiée")
    acts_a, acts_b = _actions(a), _actions(b)
    for number in sorted(acts_a.keys() | acts_b.keys(), key=_number_key):
        xa, xb = acts_a.get(number), acts_b.get(number)
        if xa is None:
            changes.append(f"Action {number} ajoutée : {xb['title']}")
        elif xb is None:
            changes.append(f"Action {number} supprimée : {xa['title']}")
        else:
            fields = [label for f, label in _ACTION_FIELD_LABELS.items() if xa[f] != xb[f]]
            if xa["_orientation"] != xb["_orientation"]:
                fields.insert(0, "orientation")
            if fields:
                changes.append(f"Action {number} modifiée : {', '.join(fields)}")
    return changes


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))
