"""Exporter tests; `sample_document` is shared with the reader and round-trip tests."""

from __future__ import annotations

from decimal import Decimal

from copil.importers.model import (
    BudgetItem,
    ImportedAction,
    ImportedArticle,
    ImportedDocument,
    ImportedOrientation,
    ImportedParty,
    ImportedTerm,
    ImportedTheme,
    IndicatorItem,
    Lead,
    MilestoneItem,
)


def sample_document() -> ImportedDocument:
    """A small convention with every kind of value an exporter has to lay out."""
    action = ImportedAction(
        number="5.3",
        title="Promouvoir l'accueil individuel sous diverses formes",
        shared_diagnosis=(
            "Baisse du nombre d'assistants maternels en activité : 7 224 en 2014 contre 6 613.\n"
            "Vieillesse des assistants maternels"
        ),
        operational_objectives="Promouvoir le métier d'assistant maternel",
        target_audiences="Les professionnels de la petite enfance, les parents",
        description="Développer la formation continue | avec les Ram.\nPromouvoir monenfant.fr",
        expected_results="Maintien du nombre d'assistants maternels en activité",
        leads=[
            Lead("Caf du Bas-Rhin", "Direction de l'action territoriale"),
            Lead("Département du Bas-Rhin", "la PMI"),
        ],
        partners=["Ram", "MSA"],
        schedule="Un programme d'actions à convenir",
        milestones=[MilestoneItem("Un programme d'actions à convenir")],
        deliverables=["Référentiel partagé"],
        budget=[
            BudgetItem(
                "Département du Bas-Rhin",
                amount_eur=Decimal(45000),
                fte=Decimal(1),
                text="45 000 € : Création d'un poste de coordination des MAM (1 ETP)",
            ),
            BudgetItem("Caf du Bas-Rhin", text="Mobilisation de moyens humains."),
        ],
        indicators=[
            IndicatorItem("nombre d'assistants maternels en activité", "output"),
            IndicatorItem("taux de couverture", "outcome"),
        ],
    )
    transverse = ImportedTheme(
        number=1,
        title="Déclinaison territoriale",
        kind="transverse",
        introduction="La CAF et le Département mènent des démarches de partenariat.",
        orientations=[
            ImportedOrientation(
                1,
                "Renforcer la synergie des démarches territorialisées",
                actions=[ImportedAction(number="1.1", title="Renforcer la coopération")],
            )
        ],
    )
    thematic = ImportedTheme(
        number=5,
        title="Petite enfance",
        kind="thematic",
        introduction="Les enjeux liés à la petite enfance ont évolué.\nDeux orientations.",
        orientations=[
            ImportedOrientation(
                1,
                "Permettre une réponse adaptée aux besoins d'accueil",
                introduction="Les objectifs suivants ont été précisés.",
                actions=[action],
            )
        ],
    )
    return ImportedDocument(
        title="Convention territoriale globale pour la période 2019-2022",
        parties=[
            ImportedParty(
                "Département du Bas-Rhin",
                name_as_written="Le Département du Bas-Rhin",
                address="Place du Quartier Blanc - 67964 Strasbourg cedex",
                representative_name="Frédéric BIERRY",
                representative_title="Président du Département du Bas-Rhin",
            ),
            ImportedParty(
                "Caf du Bas-Rhin",
                name_as_written="La Caisse d'Allocations Familiales du Bas-Rhin",
                address="22, route de l'Hôpital - 67000 Strasbourg",
                representative_name="Francis BRISBOIS",
                representative_title="Directeur",
            ),
        ],
        articles=[ImportedArticle("1", "Objet de la convention", "La présente convention…")],
        term=ImportedTerm(
            initial_term_months=36,
            renewal_period_months=12,
            tacit_renewal=True,
            notice_period_months=6,
            notice_form="registered_letter",
            text=(
                "La convention est conclue pour une durée de 3 ans renouvelable ensuite par "
                "période de 1 an sauf dénonciation expresse, par lettre recommandée avec accusé "
                "de réception, moyennant le respect d'un préavis de 6 mois."
            ),
        ),
        themes=[transverse, thematic],
    )
