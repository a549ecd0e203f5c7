"""The layering rules of docs/architecture.md, enforced."""

import ast
from pathlib import Path

import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parent.parent / "copil"
PURE_LAYERS = ("core", "importers", "exporters")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_pure_layers_never_import_django(layer):
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in _imports(path) if n.startswith("django"))
        for path in (PACKAGE / layer).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_pure_layers_never_import_django_apps(layer):
    apps = (
        "copil.accounts",
        "copil.conventions",
        "copil.plan",
        "copil.institutions",
        "copil.audit",
        "copil.governance",
    )
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in _imports(path) if n.startswith(apps))
        for path in (PACKAGE / layer).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_audit_app_imports_no_app_above_it():
    """Every app records its writes through copil.audit, so audit imports none of them
    (pure layers aside): the history pages, which read through the permission funnel and
    show actions, live in the plan app."""
    allowed = ("copil.audit", "copil.core")
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            n for n in _imports(path) if n.startswith("copil") and not n.startswith(allowed)
        )
        for path in (PACKAGE / "audit").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    templates = PACKAGE / "audit" / "templates"
    included = {
        str(path.relative_to(templates)): [
            line for line in path.read_text(encoding="utf-8").splitlines() if "{% include" in line
        ]
        for path in templates.rglob("*.html")
    }
    assert {k: v for k, v in included.items() if v} == {}
