"""Field parsers, on every real wording of the 2019 CD67-CAF67 convention's fiches."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from copil.importers.fields import (
    parse_amount_eur,
    parse_budget,
    parse_deliverables,
    parse_fte,
    parse_indicators,
    parse_leads,
    parse_milestones,
    parse_partners,
)
from copil.importers.institutions import default_registry
from copil.importers.model import BudgetItem, IndicatorItem, Lead, MilestoneItem

CD = "Département du Bas-Rhin"
CAF = "Caf du Bas-Rhin"
ETAT = "État"
CAF_BUDGET = (
    "CAF : Mobilisation de moyens humains. Les engagements financiers nécessaires feront "
    "l'objet d'une décision spécifique du Conseil d'administration."
)
FIXTURE = Path(__file__).parent.parent / "fixtures/documents/convention-cd67-caf67-2019-2022.txt"


# --- leads -------------------------------------------------------------------------------

LEADS = [
    (
        "Pour le Département : Délégué à la direction générale Pour la Caf : Conseiller "
        "technique territorial et/ou Responsable territorial",
        [
            Lead(CD, "Délégué à la direction générale"),
            Lead(CAF, "Conseiller technique territorial et/ou Responsable territorial"),
        ],
    ),
    (
        "Pour le Département : Mission Appui au Pilotage Pour la Caf : Appui au pilotage et DAT",
        [Lead(CD, "Mission Appui au Pilotage"), Lead(CAF, "Appui au pilotage et DAT")],
    ),
    ("CAF et Département", [Lead(CAF), Lead(CD)]),
    (
        "Pour la Caf : Direction de l'action territoriale.\n"
        "Pour le CD : la PMI/MADE/Maison de l'autonomie",
        [
            Lead(CAF, "Direction de l'action territoriale"),
            Lead(CD, "la PMI/MADE/Maison de l'autonomie"),
        ],
    ),
    # fiche 5.2: the lead row holds budget wording; the units are what is left of it
    ("CD : 0 € PMI " + CAF_BUDGET, [Lead(CD, "PMI"), Lead(CAF)]),
    (
        "Pour la Caf : Direction de l'action territoriale Pour le CD : la PMI",
        [Lead(CAF, "Direction de l'action territoriale"), Lead(CD, "la PMI")],
    ),
    (
        "Pour la Caf : la Direction de l'action territoriale Pour le CD : la PMI",
        [Lead(CAF, "la Direction de l'action territoriale"), Lead(CD, "la PMI")],
    ),
    ("Caf du Bas-Rhin", [Lead(CAF)]),
    ("Caf du Bas-Rhin en lien avec les services de l'État", [Lead(CAF), Lead(ETAT)]),
    ("Co-pilotage CAF / CD avec l'État", [Lead(CAF), Lead(CD), Lead(ETAT)]),
    ("Copilotage Caf - CD", [Lead(CAF), Lead(CD)]),
    ("Copilotage Caf / CD", [Lead(CAF), Lead(CD)]),
    (
        "Pour le CD : la PMI/la DSI Pour la CAF : Direction du service à l'allocataire",
        [Lead(CD, "la PMI/la DSI"), Lead(CAF, "Direction du service à l'allocataire")],
    ),
    ("CD67 - CAF", [Lead(CD), Lead(CAF)]),
    ("CD / CAF", [Lead(CD), Lead(CAF)]),
    ("Conseil Départemental - CAF", [Lead(CD), Lead(CAF)]),
    ("Etat - CD67 - CAF", [Lead(ETAT), Lead(CD), Lead(CAF)]),
    ("CD 67 Centre de ressources - CAF", [Lead(CD, "Centre de ressources"), Lead(CAF)]),
    ("CAF et CD, de manière concertée", [Lead(CAF), Lead(CD)]),
    ("CAF", [Lead(CAF)]),
    ("MDPH", [Lead("MDPH")]),
    ("CAF/MDPH", [Lead(CAF), Lead("MDPH")]),
    ("Département du Bas-Rhin", [Lead(CD)]),
    ("Caf du Bas-Rhin eu égard à sa délivrance des agréments", [Lead(CAF)]),
    ("Caf", [Lead(CAF)]),
    ("CD", [Lead(CD)]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), LEADS)
def test_parse_leads_on_every_2019_wording(text, expected):
    assert parse_leads(text) == expected


def test_parse_leads_keeps_unknown_institutions_and_uses_the_given_registry():
    assert parse_leads("Direction de l'enfance et de la famille") == [
        Lead("Direction de l'enfance et de la famille")
    ]
    registry = default_registry().with_parties("Département de la Gironde", "Caf de la Gironde")
    assert parse_leads("CD / CAF", registry) == [
        Lead("Département de la Gironde"),
        Lead("Caf de la Gironde"),
    ]


# --- partners ----------------------------------------------------------------------------

PARTNERS = [
    ("EPCI", ["EPCI"]),
    (
        "EMS, Ville de Strasbourg, DDCS",
        ["Eurométropole de Strasbourg", "Ville de Strasbourg", "DDCS"],
    ),
    ("Eurométropole de Strasbourg", ["Eurométropole de Strasbourg"]),
    (
        "Collectivités, DDD, Centre ressources petite enfance et handicap.",
        ["Collectivités", "Défenseur des droits", "Centre ressources petite enfance et handicap"],
    ),
    (
        "Les collectivités, associations, entreprises",
        ["Collectivités", "Associations", "Entreprises"],
    ),
    ("Ram, collectivités, MSA", ["Ram", "Collectivités", "MSA"]),
    (
        "Les collectivités et les professionnels de la petite enfance",
        ["Collectivités", "Professionnels de la petite enfance"],
    ),
    ("EPCI, Etat, Région, partenaires associatifs, ...", ["EPCI", ETAT, "Région", "Associations"]),
    (
        "Conseil départemental, Éducation Nationale, MSA, Réseau des parents, collectivités, "
        "associations,...",
        [CD, "Éducation nationale", "MSA", "Réseau des parents", "Collectivités", "Associations"],
    ),
    (
        "Conseil départemental, État, MDA, ARS, ville de Strasbourg,...",
        [CD, ETAT, "MDA", "ARS", "Ville de Strasbourg"],
    ),
    ("Les signataires du Schéma", ["Signataires du Schéma"]),
    (
        "Autres financeurs (Justice, Msa) et opérateurs",
        ["Autres financeurs (Justice, Msa)", "Opérateurs"],
    ),
    (
        "Communes et intercommunalités, associations spécialisées, services de l'Etat",
        ["Communes", "EPCI", "Associations spécialisées", ETAT],
    ),
    ("Etat / bailleurs", [ETAT, "Bailleurs"]),
    ("DDELIND", ["DDELIND"]),
    (
        "DDT - DRDJSCS - Education Nationale - EPCI",
        ["DDT", "DRDJSCS", "Éducation nationale", "EPCI"],
    ),
    (
        "Etat – CD 67- CAF – DRDJSCS – Education Nationale – EPCI – Associations",
        [ETAT, CD, CAF, "DRDJSCS", "Éducation nationale", "EPCI", "Associations"],
    ),
    ("Partenaires du champ du handicap", ["Partenaires du champ du handicap"]),
    (
        "Caf, État, partenaires associatifs, communautés des communes, mairies,...",
        [CAF, ETAT, "Associations", "EPCI", "Communes"],
    ),
    (
        "Conseil départemental, FDCSC 67, Espaces de vie sociale sur les aires d'accueil des "
        "gens du voyage",
        [CD, "FDCSC 67", "Espaces de vie sociale sur les aires d'accueil des gens du voyage"],
    ),
    (
        "Pôle emploi, missions locales, acteurs dans l'emploi",
        ["France Travail", "Missions locales", "Acteurs dans l'emploi"],
    ),
    ("Emmaus Connect (We tech care)", ["Emmaus Connect (We tech care)"]),
    ("- Ram\n- CPAM\n- UDAF", ["Ram", "CPAM", "UDAF"]),
    ("Néant", []),
    ("/", []),
    ("-", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), PARTNERS)
def test_parse_partners(text, expected):
    assert parse_partners(text) == expected


# --- budget ------------------------------------------------------------------------------

BUDGETS = [
    (
        "CD : Déploiement places Avip : 4500€ (0,1 ETP agent de catégorie A) mobilisation des "
        "professionnels de terrain de PMI et de la MADE pour prospecter et accompagner les EAJE "
        "et le public. 25 000 € : Accompagnement de l'offre du centre de ressources petite "
        "enfance et handicap\n" + CAF_BUDGET,
        [(CD, Decimal(4500), Decimal("0.1")), (CD, Decimal(25000), None), (CAF, None, None)],
    ),
    (
        "CD : 45 000 € : Création d'un poste de coordination des MAM en PMI : 1 ETP agent de "
        "catégorie A (EJE). 100 000 € : Quote-part du développement des postes de puéricultrices "
        "spécialisées et d'EJE pour l'accompagnement et la professionnalisation des amats. "
        + CAF_BUDGET,
        [(CD, Decimal(45000), Decimal(1)), (CD, Decimal(100000), None), (CAF, None, None)],
    ),
    (
        "CD : 500€ : frais d'impression du livret à diffuser aux EAJE 1000€ : mobilisation d'une "
        "EJE de PMI pour l'accompagnement d'une évaluation croisée entre deux EAJE « hors "
        "Strasbourg » " + CAF_BUDGET,
        [(CD, Decimal(500), None), (CD, Decimal(1000), None), (CAF, None, None)],
    ),
    (
        "CD : 0,1 ETP du chef du service jeunesse du Département du Bas-Rhin. " + CAF_BUDGET,
        [(CD, None, Decimal("0.1")), (CAF, None, None)],
    ),
    (
        "CD : Financement du chef de projet DDELIND en cours de négociation avec l'État.\n"
        "Financement des PIG Rénov'Habitat : 1 106 790 € par an\n" + CAF_BUDGET,
        [(CD, None, None), (CD, Decimal(1106790), None), (CAF, None, None)],
    ),
    (
        "CD : Aides financières à la création et à la réhabilitation (DREAL et CD67). Aides "
        "financières à la gestion. " + CAF_BUDGET,
        [(CD, None, None), (CAF, None, None)],
    ),
    ("CD : 0 € PMI " + CAF_BUDGET, [(CD, Decimal(0), None), (CAF, None, None)]),
    ("A moyens constants", [(None, None, None)]),
    ("CD : A moyens constants – Ressources internes", [(CD, None, None)]),
    ("", []),
]
TEXT_ONLY_CD = [
    "Pas de budget supplémentaire. Mobilisation des moyens RH intervenant dans le cadre des "
    "contrats départementaux.",
    "Pas de surcoûts.",
    "Pas de surcoûts",
    "Pas de surcoût",
    "Non évaluable au moment de la rédaction ; à définir selon les actions qui seront mises en "
    "place, sachant que l'action « communication » inscrite au Cej peut permettre le "
    "financement de ce type d'action.",
    "Sans objet",
    "A moyens constants",
    "Financement de l'opérateur",
    "Financement PIG Rénov Habitat",
    "Financement Colocation coachée - Pass'Accompagnement - Cap'Loji - Financement FJT",
    "RH + actions d'insertion et de médiation sociale",
    "Néant",
    "Crédits CD alloués au SI MDPH",
    "A moyens constants - Ressources internes",
    "En lien avec la démarche We tech care- aucun budget à ce stade",
    "Aucun – Ressources internes",
]


def _words(text):
    return sorted(text.split())


@pytest.mark.parametrize(("text", "expected"), BUDGETS)
def test_parse_budget_amounts(text, expected):
    items = parse_budget(text)
    assert [(i.institution, i.amount_eur, i.fte) for i in items] == expected
    assert _words(" ".join(i.text for i in items)) == _words(text)


@pytest.mark.parametrize("cd_text", TEXT_ONLY_CD)
def test_parse_budget_text_only_rows(cd_text):
    text = f"CD : {cd_text} {CAF_BUDGET}"
    assert parse_budget(text) == [
        BudgetItem(CD, None, None, f"CD : {cd_text}"),
        BudgetItem(CAF, None, None, CAF_BUDGET),
    ]


def test_parse_budget_keeps_each_amount_text():
    items = parse_budget(BUDGETS[1][0])
    assert items[0].text.startswith("CD : 45 000 € : Création d'un poste")
    assert items[0].text.endswith("(EJE).")
    assert items[1].text.startswith("100 000 € : Quote-part")


def test_parse_budget_pour_le_prefix():
    items = parse_budget("Pour le Département : 10 k€\nPour la Caf : 2 500,50 €")
    assert [(i.institution, i.amount_eur) for i in items] == [
        (CD, Decimal(10000)),
        (CAF, Decimal("2500.50")),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("25 000 €", Decimal(25000)),
        ("4500€", Decimal(4500)),
        ("1 106 790 € par an", Decimal(1106790)),
        ("1\u202f106\u202f790\u00a0€", Decimal(1106790)),
        ("2 500,50 €", Decimal("2500.50")),
        ("1.000 €", Decimal(1000)),
        ("15 k€", Decimal(15000)),
        ("1,5 k€", Decimal(1500)),
        ("3 000 euros", Decimal(3000)),
        ("0 €", Decimal(0)),
        ("25 000", Decimal(25000)),
        ("Pas de surcoût", None),
        ("0,1 ETP", None),
        ("2018-2022", None),
    ],
)
def test_parse_amount_eur(text, value):
    assert parse_amount_eur(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("(0,1 ETP agent de catégorie A)", Decimal("0.1")),
        ("1 ETP agent de catégorie A (EJE)", Decimal(1)),
        ("0.5 équivalent temps plein", Decimal("0.5")),
        ("25 000 €", None),
    ],
)
def test_parse_fte(text, value):
    assert parse_fte(text) == value


def _french(amount: Decimal, separator: str) -> str:
    whole, _, cents = f"{amount:.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = separator.join(groups)
    return f"{text},{cents}" if cents != "00" else text


@given(
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([" ", "\u00a0", "\u202f", "\u2009", ""]),
    st.sampled_from(["€", " €", " euros", "\u00a0€"]),
)
def test_parse_amount_eur_round_trips_formatted_numbers(amount, separator, unit):
    assert parse_amount_eur(_french(amount, separator) + unit) == amount


_VOCABULARY = st.sampled_from(
    [
        "CD",
        "CAF",
        "Caf",
        "Pour",
        "le",
        "la",
        "Département",
        ":",
        "€",
        "25",
        "000",
        "4500€",
        "0,1",
        "ETP",
        "(0,1",
        "ETP)",
        "k€",
        "Pas",
        "de",
        "surcoût.",
        "-",
        "–",
        "Mobilisation",
        "1 106 790 €",
        "CD67",
        "et",
        "A",
        "moyens",
        "constants",
        "100",
        "000 €",
    ]
)


@given(
    st.lists(st.one_of(_VOCABULARY, st.text(min_size=1, max_size=8)), max_size=30),
    st.lists(st.sampled_from([" ", "\n", "  "]), min_size=30, max_size=30),
)
def test_parse_budget_loses_no_word(words, separators):
    text = "".join(w + s for w, s in zip(words, separators, strict=False))
    items = parse_budget(text)
    assert _words(" ".join(item.text for item in items)) == _words(text)


# --- indicators --------------------------------------------------------------------------

INDICATORS = [
    (
        "Partage effectif d'informations sur les démarches territoriales, les éléments de "
        "connaissance des territoires, et les projets. Nombre de contrats départementaux "
        "auxquels participe (en signataire ou pas) la CAF.",
        [
            "Partage effectif d'informations sur les démarches territoriales, les éléments de "
            "connaissance des territoires, et les projets",
            "Nombre de contrats départementaux auxquels participe (en signataire ou pas) la CAF",
        ],
    ),
    (
        "Nombre de places AVIP et couverture géographique.\n"
        "Nombre et nature d'actions mises en œuvre en matière de handicap.",
        [
            "Nombre de places AVIP et couverture géographique",
            "Nombre et nature d'actions mises en œuvre en matière de handicap",
        ],
    ),
    (
        "Nombre de places AVIP et couverture géographique. Nombre et nature d'actions mises en "
        "œuvre en matière de handicap.",
        [
            "Nombre de places AVIP et couverture géographique",
            "Nombre et nature d'actions mises en œuvre en matière de handicap",
        ],
    ),
    (
        "Nombre de places tous type d'accueil confondus. Taux de couverture. Nombre de familles "
        "accueillies en micro-crèche Paje dans le cadre de l'offre sociale.",
        [
            "Nombre de places tous type d'accueil confondus",
            "Taux de couverture",
            "Nombre de familles accueillies en micro-crèche Paje dans le cadre de l'offre sociale",
        ],
    ),
    (
        "Suivi annuel / indicateurs chiffrés : - nombre d'assistants maternels en activité - "
        "nombre d'assistants maternels partis en formation - nombre d'enfants de familles "
        "vulnérables accueillis",
        [
            "Nombre d'assistants maternels en activité",
            "Nombre d'assistants maternels partis en formation",
            "Nombre d'enfants de familles vulnérables accueillis",
        ],
    ),
    (
        "Nombre d'évaluations croisées Enquêtes de satisfaction auprès des parents",
        ["Nombre d'évaluations croisées", "Enquêtes de satisfaction auprès des parents"],
    ),
    (
        "Les guides sont à jour et diffusés. Nombre et type de réunions d'information.",
        ["Les guides sont à jour et diffusés", "Nombre et type de réunions d'information"],
    ),
    (
        "Organisation du comité jeunesse à l'échelle du Bas-Rhin. Définition de territoires "
        "expérimentateurs.",
        [
            "Organisation du comité jeunesse à l'échelle du Bas-Rhin",
            "Définition de territoires expérimentateurs",
        ],
    ),
    (
        "Nombre de partenaires relais Nombre de promeneurs du net Nombre de personnes "
        "bénéficiaires des actions innovantes",
        [
            "Nombre de partenaires relais",
            "Nombre de promeneurs du net",
            "Nombre de personnes bénéficiaires des actions innovantes",
        ],
    ),
    (
        "Réalisation de la réunion annuelle Nombre de partenaires impliqués",
        ["Réalisation de la réunion annuelle", "Nombre de partenaires impliqués"],
    ),
    ("Cf échéancier", ["Cf échéancier"]),
    (
        "Réalisation du cahier des charges et mise en œuvre du comité de suivi Objectifs "
        "chiffrés à définir au sein du comité de suivi",
        [
            "Réalisation du cahier des charges et mise en œuvre du comité de suivi",
            "Objectifs chiffrés à définir au sein du comité de suivi",
        ],
    ),
    ("Mise en œuvre effective de l'échéancier", ["Mise en œuvre effective de l'échéancier"]),
    ("Nombre de situations signalées/ améliorées", ["Nombre de situations signalées/ améliorées"]),
    (
        "Nombre d'enquêtes traitées Nombre de dossiers traités lors des instances de prévention "
        "des expulsions",
        [
            "Nombre d'enquêtes traitées",
            "Nombre de dossiers traités lors des instances de prévention des expulsions",
        ],
    ),
    ("Nb de familles visitées/ aidées", ["Nb de familles visitées/ aidées"]),
    (
        "Nombre d'orientations des jeunes vers les différents dispositifs ; nombre "
        "d'accompagnements ; durée",
        [
            "Nombre d'orientations des jeunes vers les différents dispositifs",
            "Nombre d'accompagnements",
            "Durée",
        ],
    ),
    (
        "Nombre d'équipements réalisés Nombre de groupes de travail mis en place sur les "
        "objectifs à caractère social",
        [
            "Nombre d'équipements réalisés",
            "Nombre de groupes de travail mis en place sur les objectifs à caractère social",
        ],
    ),
    (
        "Nombre d'espaces de vie sociale Participation des familles",
        ["Nombre d'espaces de vie sociale", "Participation des familles"],
    ),
    (
        "Evaluation annuelle au sein d'un comité de pilotage dédié se réunissant le dernier "
        "trimestre de l'année de référence (prévu dans la convention)",
        [
            "Evaluation annuelle au sein d'un comité de pilotage dédié se réunissant le dernier "
            "trimestre de l'année de référence (prévu dans la convention)"
        ],
    ),
    (
        "- Absence de double contrôle d'un même bénéficiaire - Participation systématique du CD "
        "aux commissions fraude - Respect du délai de transmission des données dès lors que la "
        "demande a été faite selon le bon formulaire - Nombre de commissions mixtes MPO",
        [
            "Absence de double contrôle d'un même bénéficiaire",
            "Participation systématique du CD aux commissions fraude",
            "Respect du délai de transmission des données dès lors que la demande a été faite "
            "selon le bon formulaire",
            "Nombre de commissions mixtes MPO",
        ],
    ),
    ("Réalisation des livrables", ["Réalisation des livrables"]),
    (
        "- nombre d'antennes des centres de ressources - augmentation de la fréquentation des "
        "enfants et jeunes en situation de handicap - nombre d'actions de communication "
        "financées dans le cadre du Contrat enfance jeunesse du Département 67",
        [
            "Nombre d'antennes des centres de ressources",
            "Augmentation de la fréquentation des enfants et jeunes en situation de handicap",
            "Nombre d'actions de communication financées dans le cadre du Contrat enfance "
            "jeunesse du Département 67",
        ],
    ),
    (
        "Installation effective du Comité de pilotage et ajustements du fonctionnement du comité "
        "de pilotage au fil de l'eau",
        [
            "Installation effective du Comité de pilotage et ajustements du fonctionnement du "
            "comité de pilotage au fil de l'eau"
        ],
    ),
    (
        "Etude des droits positionnés sur des panels pour les groupes concernés",
        ["Etude des droits positionnés sur des panels pour les groupes concernés"],
    ),
    (
        "-Durée de résolution de la situation et délais pour l'accès aux droits -Nombre de RDV "
        "des droits et impact",
        [
            "Durée de résolution de la situation et délais pour l'accès aux droits",
            "Nombre de RDV des droits et impact",
        ],
    ),
    (
        "Volume et type de droits nouveaux positionnés",
        ["Volume et type de droits nouveaux positionnés"],
    ),
    (
        "Nombre de point d'accès\nNombre de personnes utilisateurs\nTemps de trajet "
        "domicile/point d'accès",
        [
            "Nombre de point d'accès",
            "Nombre de personnes utilisateurs",
            "Temps de trajet domicile/point d'accès",
        ],
    ),
    ("Réalisation des temps d'échanges", ["Réalisation des temps d'échanges"]),
    ("", []),
    ("-", []),
]


@pytest.mark.parametrize(("text", "labels"), INDICATORS)
def test_parse_indicators_on_every_2019_wording(text, labels):
    items = parse_indicators(text)
    assert [i.label for i in items] == labels
    assert all(i.kind is None for i in items)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Indicateur de réalisation : mise en place des référentiels partagés.",
            [IndicatorItem("Mise en place des référentiels partagés", "output")],
        ),
        (
            "Indicateur de réalisation : mise en place de la convention de partage de données.",
            [IndicatorItem("Mise en place de la convention de partage de données", "output")],
        ),
        (
            "Indicateur de réalisation : mise en place de l'interface",
            [IndicatorItem("Mise en place de l'interface", "output")],
        ),
        (
            "Indicateur de réalisation : mise en œuvre de la comitologie",
            [IndicatorItem("Mise en œuvre de la comitologie", "output")],
        ),
        (
            "Indicateur de résultat : taux de recours\n"
            "Indicateurs d'impact : baisse du non-recours",
            [
                IndicatorItem("Taux de recours", "outcome"),
                IndicatorItem("Baisse du non-recours", "impact"),
            ],
        ),
        (
            "Indicateurs de résultat :\n- taux de couverture\n- nombre de places",
            [
                IndicatorItem("Taux de couverture", "outcome"),
                IndicatorItem("Nombre de places", "outcome"),
            ],
        ),
    ],
)
def test_parse_indicators_kinds(text, expected):
    assert parse_indicators(text) == expected


def test_parse_indicators_never_splits_inside_numbers_or_abbreviations():
    assert [i.label for i in parse_indicators("Taux de 12.5 % atteint. Cf. Annexe 2")] == [
        "Taux de 12.5 % atteint",
        "Cf. Annexe 2",
    ]


# --- milestones --------------------------------------------------------------------------

MILESTONES = [
    ("Selon la planification des conventions territoriales globales", []),
    ("Un programme d'actions à convenir", []),
    ("Programme d'actions et de déploiement à convenir.", []),
    ("Un programme d'actions à construire", []),
    ("A définir", []),
    ("A définir dans le délai de la convention", []),
    ("Convention pluriannuelle", []),
    ("En continu", []),
    (
        "Selon le calendrier décrit ci-dessus dans la partie « descriptif de l'action de la "
        "fiche »",
        [],
    ),
    (
        "Réflexion avec l'Ems fin septembre 2018 pour signature convention fin 2018.",
        [
            (
                "Réflexion avec l'Ems fin septembre 2018 pour signature convention fin 2018.",
                dt.date(2018, 12, 31),
            )
        ],
    ),
    (
        "1 ^{er} trimestre 2019 : rencontre des partenaires institutionnels compétents sur le "
        "champ de la jeunesse",
        [
            (
                "1 ^{er} trimestre 2019 : rencontre des partenaires institutionnels compétents "
                "sur le champ de la jeunesse",
                dt.date(2019, 3, 31),
            )
        ],
    ),
    (
        "Progressivement à compter de 2019",
        [("Progressivement à compter de 2019", dt.date(2019, 1, 1))],
    ),
    ("A compter de 2019", [("A compter de 2019", dt.date(2019, 1, 1))]),
    (
        "Fin 2019 pour le diagnostic 2e trimestre 2020 pour l'élaboration des enjeux partagés, "
        "la validation et la signature du nouveau Schéma 30 juin de chaque année pour "
        "l'évaluation de l'atteinte des priorités N-1 et la définition des nouvelles Fin 2022 "
        "pour une évaluation finale",
        [
            ("Fin 2019 pour le diagnostic", dt.date(2019, 12, 31)),
            (
                "2e trimestre 2020 pour l'élaboration des enjeux partagés, la validation et la "
                "signature du nouveau Schéma",
                dt.date(2020, 6, 30),
            ),
            (
                "30 juin de chaque année pour l'évaluation de l'atteinte des priorités N-1 et la "
                "définition des nouvelles",
                None,
            ),
            ("Fin 2022 pour une évaluation finale", dt.date(2022, 12, 31)),
        ],
    ),
    (
        "Juin 2019 pour le cahier des charges Sur la durée du nouveau schéma 2019-2022",
        [
            ("Juin 2019 pour le cahier des charges", dt.date(2019, 6, 30)),
            ("Sur la durée du nouveau schéma 2019-2022", dt.date(2022, 12, 31)),
        ],
    ),
    (
        "Fin 2018 : élargissement du comité aux financeurs Fin 2019 : plan d'actions de "
        "communication annuel est validé, trame commune de bilan d'activité des opérateurs, "
        "cahier des charges de l'évaluation qualitative, ouverture aux espaces de rencontres",
        [
            ("Fin 2018 : élargissement du comité aux financeurs", dt.date(2018, 12, 31)),
            (
                "Fin 2019 : plan d'actions de communication annuel est validé, trame commune de "
                "bilan d'activité des opérateurs, cahier des charges de l'évaluation qualitative, "
                "ouverture aux espaces de rencontres",
                dt.date(2019, 12, 31),
            ),
        ],
    ),
    ("Juin 2019", [("Juin 2019", dt.date(2019, 6, 30))]),
    (
        "Finalisation du SDAGV fin 2018 Suivi du SDAGV 2018-2023",
        [
            ("Finalisation du SDAGV fin 2018", dt.date(2018, 12, 31)),
            ("Suivi du SDAGV 2018-2023", dt.date(2023, 12, 31)),
        ],
    ),
    ("2018-2022", [("2018-2022", dt.date(2022, 12, 31))]),
    (
        "Mise en œuvre à la signature de la convention",
        [("Mise en œuvre à la signature de la convention", None)],
    ),
    (
        "A compter de la signature de la convention",
        [("A compter de la signature de la convention", None)],
    ),
    (
        "2019 : installation du Comité de pilotage, 2020-2022 : réunions annuelles du Comité de "
        "pilotage",
        [
            ("2019 : installation du Comité de pilotage", dt.date(2019, 12, 31)),
            ("2020-2022 : réunions annuelles du Comité de pilotage", dt.date(2022, 12, 31)),
        ],
    ),
    ("2018", [("2018", dt.date(2018, 12, 31))]),
    ("2019", [("2019", dt.date(2019, 12, 31))]),
    ("-", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), MILESTONES)
def test_parse_milestones_on_every_2019_wording(text, expected):
    assert parse_milestones(text) == [MilestoneItem(label, date) for label, date in expected]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Juin 2019", dt.date(2019, 6, 30)),
        ("1er trimestre 2019", dt.date(2019, 3, 31)),
        ("2e trimestre 2020", dt.date(2020, 6, 30)),
        ("Fin 2019", dt.date(2019, 12, 31)),
        ("Début 2020", dt.date(2020, 3, 31)),
        ("Mi-2020", dt.date(2020, 6, 30)),
        ("2018-2022", dt.date(2022, 12, 31)),
        ("A compter de 2019", dt.date(2019, 1, 1)),
        ("À partir de septembre 2019", dt.date(2019, 9, 1)),
        ("Septembre 2019 : lancement de l'appel à projets", dt.date(2019, 9, 30)),
        ("Le 15 mars 2020 : comité de pilotage", dt.date(2020, 3, 15)),
        ("1er semestre 2021", dt.date(2021, 6, 30)),
        ("dernier trimestre 2019", dt.date(2019, 12, 31)),
    ],
)
def test_milestone_dates(text, date):
    assert parse_milestones(text) == [MilestoneItem(text, date)]


def test_recurring_milestone_uses_the_year_hint():
    text = "30 juin de chaque année pour l'évaluation"
    assert parse_milestones(text) == [MilestoneItem(text, None)]
    assert parse_milestones(text, year_hint=2019) == [MilestoneItem(text, dt.date(2019, 6, 30))]


def test_milestones_one_per_line():
    text = "- Septembre 2019 : lancement\n- Décembre 2019 : bilan"
    assert parse_milestones(text) == [
        MilestoneItem("Septembre 2019 : lancement", dt.date(2019, 9, 30)),
        MilestoneItem("Décembre 2019 : bilan", dt.date(2019, 12, 31)),
    ]


# --- deliverables ------------------------------------------------------------------------

DELIVERABLES = [
    ("-", []),
    ("/", []),
    ("", []),
    ("Sans objet", []),
    ("Référentiel partagé", ["Référentiel partagé"]),
    ("bilan annuel du PDALHPD présenté en CRP", ["Bilan annuel du PDALHPD présenté en CRP"]),
    (
        "Bilan annuel conjoint du contrôle et de la lutte contre la fraude au RSA. Bilans "
        "intermédiaires et final du dispositif de médiation préalable obligatoire",
        [
            "Bilan annuel conjoint du contrôle et de la lutte contre la fraude au RSA",
            "Bilans intermédiaires et final du dispositif de médiation préalable obligatoire",
        ],
    ),
    (
        "Parcours « allocataire confronté au handicap », supports de communication communs, "
        "organisation de séances d'information collectives",
        [
            "Parcours « allocataire confronté au handicap »",
            "Supports de communication communs",
            "Organisation de séances d'information collectives",
        ],
    ),
    (
        "SDAGV 2018-2023 Avis de la Commission départementale consultative des gens du voyage "
        "(CDCGDV - tenue annuelle)",
        [
            "SDAGV 2018-2023",
            "Avis de la Commission départementale consultative des gens du voyage (CDCGDV - "
            "tenue annuelle)",
        ],
    ),
    # run-on items of the PDF export
    ("Cahier des charges Comité de suivi", ["Cahier des charges", "Comité de suivi"]),
    (
        "Comptes rendus des comités de suivi Bilan d'activité des opérateurs",
        ["Comptes rendus des comités de suivi", "Bilan d'activité des opérateurs"],
    ),
    (
        "Bilans d'activités des opérateurs pour chaque exercice Etat des lieux",
        ["Bilans d'activités des opérateurs pour chaque exercice", "Etat des lieux"],
    ),
    (
        "La convention qui sera signée à l'automne prendra en compte des simplifications.",
        ["La convention qui sera signée à l'automne prendra en compte des simplifications"],
    ),
    (
        "Diagnostic partagé, nouveau schéma et priorités annuelles",
        ["Diagnostic partagé", "Nouveau schéma et priorités annuelles"],
    ),
    (
        "Nouvelle organisation en place, numérisation des flux effective, portail usager "
        "effectif, mise à jour du site web du CD67",
        [
            "Nouvelle organisation en place",
            "Numérisation des flux effective",
            "Portail usager effectif",
            "Mise à jour du site web du CD67",
        ],
    ),
    ("Projet social et bilan annuel d'activités", ["Projet social et bilan annuel d'activités"]),
    (
        "Protocole d'information et d'accompagnement/indicateurs",
        ["Protocole d'information et d'accompagnement/indicateurs"],
    ),
    ("Réunions – comptes rendus", ["Réunions – comptes rendus"]),
    ("Décembre 2018", ["Décembre 2018"]),
    ("- Cahier des charges\n- Comité de suivi", ["Cahier des charges", "Comité de suivi"]),
]


@pytest.mark.parametrize(("text", "expected"), DELIVERABLES)
def test_parse_deliverables(text, expected):
    assert parse_deliverables(text) == expected


# --- the whole 2019 document -------------------------------------------------------------


def _rows(label):
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            head, value = line.split("\t", 1)
            if re.sub(r"<[^>]+>", "", head).strip() == label:
                value = re.sub(r"</p>\s*<p>|<ul[^>]*>", "\n", value)
                rows.append(re.sub(r"<[^>]+>", "", value).strip())
    return rows


def test_every_budget_row_of_the_2019_document_keeps_its_words():
    rows = _rows("Budget prévisionnel")
    assert len(rows) == 35
    for text in rows:
        items = parse_budget(text)
        assert items, text
        assert _words(" ".join(i.text for i in items)) == _words(text)
        assert {i.institution for i in items} <= {CD, CAF, None}


def test_every_lead_row_of_the_2019_document_names_a_party():
    rows = _rows("Pilote de l'action")
    assert len(rows) == 35
    for text in rows:
        leads = parse_leads(text)
        assert leads, text
        assert all(lead.institution in {CD, CAF, ETAT, "MDPH"} for lead in leads), text
