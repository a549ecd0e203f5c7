"""The 2013 report to the Conseil Général (CG/2013/17), read with the report layout."""

import datetime as dt
from pathlib import Path

import pytest

from copil.importers.model import ImportedGovernanceBody, from_json, to_json
from copil.importers.report import looks_like_report, parse_report
from copil.importers.source import SourceLine, read_text

DOCUMENTS = Path(__file__).parent.parent / "fixtures/documents"
REPORT = DOCUMENTS / "rapport-cg67-2013-renouvellement-convention-caf.txt"
CONVENTION = DOCUMENTS / "convention-cd67-caf67-2019-2022.txt"


@pytest.fixture(scope="module")
def doc():
    return parse_report(read_text(REPORT.read_text(encoding="utf-8")))


def test_looks_like_report():
    assert looks_like_report(read_text(REPORT.read_text(encoding="utf-8")))
    assert not looks_like_report(read_text(CONVENTION.read_text(encoding="utf-8")))
    assert not looks_like_report([])


def test_header(doc):
    assert doc.layout == "report"
    assert doc.source_format == "text"
    assert doc.reference == "CG/2013/17"
    assert doc.title == (
        "Renouvellement de la convention de partenariat entre la Caisse d'allocations "
        "familiales et le Département"
    )
    assert doc.summary.startswith("En mars 2008, le Département du Bas-Rhin")
    assert doc.summary.endswith("une plus grande cohérence des politiques publiques.")
    assert "I – Les principes" not in doc.summary
    assert doc.warnings == []


def test_parties(doc):
    assert [p.institution for p in doc.parties] == ["Département du Bas-Rhin", "Caf du Bas-Rhin"]
    assert doc.parties[0].representative_name == "Guy-Dominique KENNEL"
    assert doc.parties[0].representative_title == "Président du Conseil Général"
    assert doc.parties[1].name_as_written == "Caisse d'allocations familiales"


def test_cooperation_principles(doc):
    assert doc.cooperation_principles == [
        "Valoriser les contributions respectives lors du lancement ou de la réalisation d'un "
        "projet, notamment en matière de communication",
        "S'informer mutuellement des initiatives prises sur le territoire dans les champs de "
        "coopération définis afin d'optimiser la complémentarité des interventions",
        "S'engager à une concertation préalable sur les chantiers majeurs de coopération",
    ]


def test_review_of_the_2008_convention(doc):
    domains = {}
    for item in doc.review:
        domains.setdefault(item.domain, []).append(item.text)
    assert list(domains) == [
        "Revenu de Solidarité Active",
        "Logement et habitat",
        "Jeunesse et animation à la vie sociale",
        "Enfance et parentalité",
        "Petite enfance",
        "Handicap",
    ]
    assert [len(v) for v in domains.values()] == [4, 3, 3, 2, 5, 4]
    assert domains["Revenu de Solidarité Active"][0] == (
        "Mise en place du RSA au 1^{er} juin 2009 et renouvellement de la convention de gestion"
    )
    assert domains["Handicap"][1] == "Elaboration d'un guide des droits des usagers"


def test_eight_themes_with_their_actions(doc):
    assert [(t.number, t.title, t.kind) for t in doc.themes] == [
        (1, "Insertion", "thematic"),
        (2, "Handicap", "thematic"),
        (3, "Petite enfance et enfance", "thematic"),
        (4, "Parentalité", "thematic"),
        (5, "Animation de la vie sociale", "thematic"),
        (6, "Logement et Habitat", "thematic"),
        (7, "Interventions de proximité", "thematic"),
        (8, "Observation et Etudes", "thematic"),
    ]
    for theme in doc.themes:
        assert [(o.number, o.title) for o in theme.orientations] == [(1, theme.title)]
    counts = [len(t.orientations[0].actions) for t in doc.themes]
    assert counts == [2, 4, 5, 2, 1, 4, 2, 1]
    numbers = [a.number for a in doc.actions()]
    assert numbers[:3] == ["1.1", "1.2", "2.1"] and numbers[-1] == "8.1"
    first = doc.actions()[0]
    assert first.title.startswith("Actualiser la convention de gestion RSA : gestion des fraudes")
    assert first.location == "ligne 98"


def test_sub_bullets_describe_their_action(doc):
    housing = doc.themes[5].orientations[0].actions
    assert housing[0].title.startswith("Poursuivre les partenariats relatifs au PDALPD")
    assert housing[0].description.splitlines()[0] == "Il s'agit de :"
    assert housing[0].description.splitlines()[1].startswith("- répondre au mieux aux publics")
    assert housing[3].title == "Définir les modalités de partenariat sur le logement des jeunes"
    assert len(housing[3].description.splitlines()) == 5
    social = doc.themes[4].orientations[0].actions[0]
    assert social.description.count("\n- ") == 2
    proximity = doc.themes[6].orientations[0].actions[0]
    assert proximity.description.startswith("Sur la base des orientations pluriannuelles")


def test_governance(doc):
    assert [(b.kind, b.name, b.frequency) for b in doc.governance_bodies] == [
        ("steering", "Comité de suivi stratégique", "au moins une fois par an"),
        ("technical", "Rencontre trimestrielle", "trimestrielle"),
    ]
    assert doc.governance_bodies[0].composition.startswith("Président du Conseil Général")


def test_term(doc):
    term = doc.term
    assert (
        term.initial_term_months,
        term.renewal_period_months,
        term.tacit_renewal,
        term.max_total_term_months,
    ) == (12, 12, True, 48)
    assert term.text == (
        "La convention proposée est renouvelable chaque année, par tacite reconduction, dans la "
        "limite de 4 ans."
    )


def test_deliberation(doc):
    [deliberation] = doc.deliberations
    assert deliberation.reference == "CG/2013/17"
    assert deliberation.body == "Conseil Général"
    assert deliberation.date == dt.date(2013, 6, 3)
    lines = deliberation.text.splitlines()
    assert lines[0] == "Sur proposition de la commission des solidarités, le Conseil Général :"
    assert lines[1].startswith("- Décide de poursuivre le partenariat avec la CAF")
    assert "  - insertion" in lines and "  - observation études" in lines
    assert any(line.startswith("- Approuve la convention cadre") for line in lines)
    assert "autorise le Président du Conseil Général à signer" in deliberation.text
    assert lines[-3:] == ["Strasbourg, le 03/06/13", "Le Président,", "Guy-Dominique KENNEL"]
    assert "handwritten" not in deliberation.text
    assert "*" not in deliberation.text


def test_round_trips_through_json(doc):
    assert from_json(to_json(doc)) == doc


def test_a_report_without_reference_warns():
    lines = [
        SourceLine("Résumé :", location="ligne 1"),
        SourceLine("Un résumé.", location="ligne 2"),
        SourceLine("Dispositif de concertation", location="ligne 3"),
        SourceLine("- un comité de pilotage qui se réunit une fois par an.", location="ligne 4"),
    ]
    doc = parse_report(lines, source_format="docx")
    assert doc.reference == ""
    assert doc.source_format == "docx"
    assert {w.code for w in doc.warnings} == {"missing_reference", "missing_term"}
    assert doc.governance_bodies == [
        ImportedGovernanceBody("steering", "Comité de pilotage", "une fois par an")
    ]


def test_announced_theme_count_is_checked():
    text = "\n".join(
        [
            "Rapport n° CG/2014/3",
            "III – Les perspectives de coopération",
            "Trois thématiques partagées sont proposées :",
            "Insertion",
            "- Actualiser la convention de gestion RSA.",
            "Handicap",
            "- Améliorer les procédures.",
            "- Réviser la convention d'adhésion.",
            "Dispositif de concertation",
            "- une rencontre bilatérale en tant que de besoin.",
        ]
    )
    doc = parse_report(read_text(text))
    assert [len(t.orientations[0].actions) for t in doc.themes] == [1, 2]
    assert [w.code for w in doc.warnings] == ["theme_count_mismatch", "missing_term"]
    assert doc.warnings[0].message == "Le rapport annonce 3 thématiques, 2 ont été lues."
    assert doc.governance_bodies[0].kind == "bilateral"
