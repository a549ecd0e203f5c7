"""Term, governance and specific-convention clauses, as written in the seed documents."""

import datetime as dt

import pytest

from copil.importers.model import ImportedGovernanceBody, ImportedSpecificConvention
from copil.importers.terms import (
    notice_form,
    parse_governance,
    parse_specific_conventions,
    parse_term_clause,
)

CLAUSE_2019 = (
    "La convention est conclue pour une durée de 3 ans renouvelable ensuite par période de 1 an "
    "sauf dénonciation expresse, par lettre recommandée avec accusé de réception, à l'initiative "
    "de l'une ou l'autre partie, moyennant le respect d'un préavis de 6 mois."
)
CLAUSE_2013 = (
    "La convention proposée est renouvelable chaque année, par tacite reconduction, dans la "
    "limite de 4 ans."
)
CLAUSE_2008 = (
    "Au regard de leurs compétences respectives en matière d'action sociale, cette convention, "
    "conclue pour une durée de 4 ans, avait pour objectif d'organiser le partenariat"
)


def _rules(term):
    return (
        term.initial_term_months,
        term.renewal_period_months,
        term.tacit_renewal,
        term.max_total_term_months,
        term.notice_period_months,
        term.notice_form,
        term.effective_date,
    )


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        (CLAUSE_2019, (36, 12, True, None, 6, "registered_letter", None)),
        (CLAUSE_2013, (12, 12, True, 48, None, None, None)),
        (CLAUSE_2008, (48, None, False, None, None, None, None)),
        (
            "La présente convention est conclue pour une durée de trois ans à compter du 1er "
            "juillet 2019. Elle est reconduite tacitement par période d'un an. Elle peut être "
            "dénoncée par écrit moyennant un préavis de six mois.",
            (36, 12, True, None, 6, "letter", dt.date(2019, 7, 1)),
        ),
        (
            "La convention prend effet le 1er janvier 2020 pour une durée de deux ans. Elle "
            "pourra être renouvelée par reconduction expresse pour une durée d'un an.",
            (24, 12, False, None, None, None, dt.date(2020, 1, 1)),
        ),
        (
            "Convention d'une durée de 24 mois, résiliable par LRAR avec un préavis de 3 mois.",
            (24, None, False, None, 3, "registered_letter", None),
        ),
        (
            "Elle est conclue pour un an, renouvelable par tacite reconduction par périodes "
            "successives d'un an, sans pouvoir excéder six ans.",
            (12, 12, True, 72, None, None, None),
        ),
        (
            "La convention est conclue pour 3 ans, sauf dénonciation anticipée par l'une des "
            "parties par courrier.",
            (36, None, False, None, None, "letter", None),
        ),
        (
            "Elle est reconduite tacitement, sauf dénonciation deux mois avant l'échéance.",
            (None, None, True, None, 2, None, None),
        ),
    ],
)
def test_parse_term_clause(text, rules):
    term = parse_term_clause(text)
    assert term is not None
    assert _rules(term) == rules
    assert term.text == text


def test_a_clause_without_a_term_gives_none():
    assert (
        parse_term_clause(
            "La présente convention ne pourra être modifiée qu'après accord des parties et par "
            "voie d'avenant."
        )
        is None
    )
    assert parse_term_clause("") is None


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("par lettre recommandée avec accusé de réception", "registered_letter"),
        ("par LRAR", "registered_letter"),
        ("par courrier recommandé", "registered_letter"),
        ("par écrit", "letter"),
        ("par courrier", "letter"),
        ("à tout moment", None),
    ],
)
def test_notice_form(text, form):
    assert notice_form(text) == form


GOVERNANCE_2019 = """La dynamique partenariale de la convention est étroitement liée à la mise en place d'une gouvernance régulière, associant pleinement les interlocuteurs politiques et techniques des deux collectivités. Pour assurer le suivi de la convention dans toutes ses dimensions, des temps de pilotage transversaux et thématiques seront mis en place.
Le dispositif prévoit :
→ un comité de pilotage politique qui se réunit au moins une fois par an. Il est composé du Président du Conseil Départemental, du Président du Conseil d'Administration de la CAF, du Directeur Général des Services du Conseil Départemental (ou de son représentant) et du Directeur de la CAF
Ce comité assure le pilotage de la convention dans son ensemble, à travers quatre objectifs :
- assurer le suivi et l'évaluation de la mise en œuvre de la convention, en partageant le bilan de l'année écoulée, au regard des objectifs qui avaient été fixés par les deux institutions.
- identifier les acquis, les éventuelles difficultés et réaliser les arbitrages nécessaires pour ajuster ou redéfinir les objectifs pour l'année à venir, ou encore pour faire évoluer le fonctionnement de la convention.
- déterminer les objectifs et les chantiers communs à engager dans l'année, dans le cadre d'un partenariat étroit entre les deux collectivités.
→ Un comité de suivi administratif réunissant les représentants des services du Département et de la CAF. Il assure le pilotage technique de la convention et prépare le comité de pilotage politique.
→ Des rencontres bilatérales sont organisées en tant que de besoin entre les responsables des différentes thématiques faisant l'objet de la présente convention."""  # noqa: E501

EXPECTED_2019 = [
    ImportedGovernanceBody(
        kind="steering",
        name="Comité de pilotage politique",
        frequency="au moins une fois par an",
        composition="Président du Conseil Départemental, du Président du Conseil d'Administration "
        "de la CAF, du Directeur Général des Services du Conseil Départemental (ou de son "
        "représentant) et du Directeur de la CAF",
    ),
    ImportedGovernanceBody(
        kind="technical",
        name="Comité de suivi administratif",
        frequency="",
        composition="représentants des services du Département et de la CAF",
    ),
    ImportedGovernanceBody(
        kind="bilateral",
        name="Rencontres bilatérales",
        frequency="en tant que de besoin",
        composition="responsables des différentes thématiques faisant l'objet de la présente "
        "convention",
    ),
]

GOVERNANCE_2013 = """Le dispositif de concertation prévoit :
- un comité de suivi stratégique qui se réunit au moins une fois par an. Il est composé du Président du Conseil Général, du Président du conseil d'administration de la CAF, du Directeur général des services du Conseil Général et du Directeur de la CAF
- une rencontre trimestrielle entre les services du Conseil Général et ceux de la CAF.
Il a pour objectif :
- d'échanger des informations sur les projets des deux institutions visées par la démarche de partenariat,
- d'évaluer l'avancement du projet de coopération et, le cas échéant, de procéder à des arbitrages."""  # noqa: E501


def test_parse_governance_2019():
    assert parse_governance(GOVERNANCE_2019) == EXPECTED_2019


def test_parse_governance_2019_on_one_line():
    assert parse_governance(GOVERNANCE_2019.replace("\n", " ")) == EXPECTED_2019


def test_parse_governance_2013():
    assert parse_governance(GOVERNANCE_2013) == [
        ImportedGovernanceBody(
            kind="steering",
            name="Comité de suivi stratégique",
            frequency="au moins une fois par an",
            composition="Président du Conseil Général, du Président du conseil d'administration "
            "de la CAF, du Directeur général des services du Conseil Général et du Directeur de "
            "la CAF",
        ),
        # a meeting of the services: the technical half of the "concertation politique et
        # technique" the report announces
        ImportedGovernanceBody(
            kind="technical",
            name="Rencontre trimestrielle",
            frequency="trimestrielle",
            composition="services du Conseil Général et ceux de la CAF",
        ),
    ]


def test_parse_governance_thematic_and_nothing():
    assert parse_governance(
        "- des groupes de travail thématiques se réunissent deux fois par an"
    ) == [ImportedGovernanceBody("thematic", "Groupes de travail thématiques", "deux fois par an")]
    assert parse_governance("La convention est suivie par les deux institutions.") == []


SPECIFIC_2019 = """La présente convention se décline selon les besoins en conventions spécifiques :
- de gestion (ex : gestion du revenu de solidarité active), lorsque l'une des parties délègue des missions à l'autre,
- de financement ou de cofinancement,
- de projets thématiques,
- d'échanges de données."""  # noqa: E501


@pytest.mark.parametrize("text", [SPECIFIC_2019, SPECIFIC_2019.replace("\n", " ")])
def test_parse_specific_conventions(text):
    assert parse_specific_conventions(text) == [
        ImportedSpecificConvention(
            "management",
            "Convention de gestion (ex : gestion du revenu de solidarité active), lorsque l'une "
            "des parties délègue des missions à l'autre",
        ),
        ImportedSpecificConvention("funding", "Convention de financement ou de cofinancement"),
        ImportedSpecificConvention("project", "Convention de projets thématiques"),
        ImportedSpecificConvention("data_exchange", "Convention d'échanges de données"),
    ]
