"""The alias registry: every way the seed documents name an institution."""

import pytest

from copil.importers.institutions import (
    DEFAULT_REGISTRY,
    InstitutionRegistry,
    canonical_institution,
    clean_name,
    default_registry,
    normalize_key,
    resolve_institution,
)

CD = "Département du Bas-Rhin"
CAF = "Caf du Bas-Rhin"


@pytest.mark.parametrize(
    "name",
    [
        "CD",
        "CD67",
        "CD 67",
        "cd-67",
        "Conseil départemental",
        "Conseil Départemental",
        "Conseil Départemental du Bas-Rhin",
        "Conseil général",
        "le Conseil Général",
        "CG67",
        "Département",
        "le Département",
        "Département du Bas-Rhin",
        "Departement du Bas Rhin",
    ],
)
def test_department_aliases(name):
    assert resolve_institution(name) == (CD, True)


@pytest.mark.parametrize(
    "name",
    [
        "Caf",
        "CAF",
        "la Caf",
        "CAF67",
        "CAF du Bas-Rhin",
        "Caf du Bas-Rhin",
        "Caisse d'Allocations Familiales du Bas-Rhin",
        "la Caisse d’allocations familiales",
    ],
)
def test_caf_aliases(name):
    assert resolve_institution(name) == (CAF, True)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("EMS", "Eurométropole de Strasbourg"),
        ("Eurométropole de Strasbourg", "Eurométropole de Strasbourg"),
        ("Etat", "État"),
        ("l'État", "État"),
        ("services de l'Etat", "État"),
        ("Préfecture", "État"),
        ("DDCS", "DDCS"),
        ("MDPH", "MDPH"),
        ("Msa", "MSA"),
        ("EPCI", "EPCI"),
        ("intercommunalités", "EPCI"),
        ("communautés des communes", "EPCI"),
        ("Région", "Région"),
        ("missions locales", "Missions locales"),
        ("CPAM", "CPAM"),
        ("Pôle emploi", "France Travail"),
        ("CARSAT", "CARSAT"),
        ("UDAF", "UDAF"),
        ("Ram", "Ram"),
        ("Les collectivités", "Collectivités"),
        ("collectivités", "Collectivités"),
        ("mairies", "Communes"),
        ("associations", "Associations"),
        ("partenaires associatifs", "Associations"),
        ("Education Nationale", "Éducation nationale"),
        ("DDD", "Défenseur des droits"),
        ("ville de Strasbourg", "Ville de Strasbourg"),
    ],
)
def test_partner_aliases(name, canonical):
    assert canonical_institution(name) == canonical


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("Les signataires du Schéma", "Signataires du Schéma"),
        ("  acteurs dans l'emploi. ", "Acteurs dans l'emploi"),
        ("- Réseau des parents", "Réseau des parents"),
        ("opérateurs", "Opérateurs"),
        ("La Poste", "La Poste"),  # a proper noun keeps its article
        ("bailleurs...", "Bailleurs"),
        ("MDA", "MDA"),
    ],
)
def test_unknown_names_are_kept_cleaned(name, cleaned):
    assert resolve_institution(name) == (cleaned, False)
    assert clean_name(name) == cleaned


def test_normalize_key_ignores_accents_case_punctuation_and_article():
    assert normalize_key("L'État") == normalize_key("etat")
    assert normalize_key("CD 67") == normalize_key("cd67") == "cd67"
    assert normalize_key("Conseil  Départemental.") == "conseil departemental"


def test_another_departement_registers_its_own_parties():
    registry = default_registry().with_parties("Département de la Gironde", "Caf de la Gironde")
    registry.register("Département de la Gironde", "CD33", "CD 33")
    assert registry.canonical("CD") == "Département de la Gironde"
    assert registry.canonical("le Département") == "Département de la Gironde"
    assert registry.canonical("cd33") == "Département de la Gironde"
    assert registry.canonical("Conseil départemental de la Gironde") == "Département de la Gironde"
    assert registry.canonical("CAF") == "Caf de la Gironde"
    assert registry.canonical("Caisse d'allocations familiales de la Gironde") == (
        "Caf de la Gironde"
    )
    assert registry.canonical("MSA") == "MSA"  # the rest is shared
    # the default registry is untouched
    assert canonical_institution("CD") == CD
    assert canonical_institution("CD", registry) == "Département de la Gironde"


def test_register_on_an_empty_registry():
    registry = InstitutionRegistry()
    registry.register("Département de la Gironde", "CD33", "CD")
    assert registry.resolve("cd 33") == ("Département de la Gironde", True)
    assert registry.resolve("CAF") == ("CAF", False)


def test_match_prefix_splits_institution_and_unit():
    assert DEFAULT_REGISTRY.match_prefix("CD 67 Centre de ressources") == (
        CD,
        "Centre de ressources",
    )
    assert DEFAULT_REGISTRY.match_prefix("Caf du Bas-Rhin") == (CAF, "")
    assert DEFAULT_REGISTRY.match_prefix("Direction de l'enfance") is None
