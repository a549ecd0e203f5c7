"""Every page and form of copil is in a permission matrix (each role x an object it may and
may not touch), a view added tomorrow included.

The convention: a test module whose matrix checks some views says which, with a module-level
literal set of URL names,

    MATRIX_URL_NAMES = {"meeting_detail", "meeting_edit"}

in any tests/**/test_*.py (tests/web/test_matrix.py, tests/governance/test_matrix.py...).
This test reads those sets from the source (no import) and compares their union with the
names of the URL resolver, the Django admin aside (tests/web/urlnames.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.web.urlnames import project_routes

TESTS = Path(__file__).resolve().parents[1]
VARIABLE = "MATRIX_URL_NAMES"

#: Names no role matrix applies to, and why (keep it short).
OUTSIDE_MATRICES = {
    "login": "the sign-in page, public by nature (tests/accounts/test_login.py)",
    "logout": "signs out whoever is signed in (tests/accounts/test_login.py)",
}


def declared_names() -> dict[str, set[str]]:
    """test module (relative path) -> the URL names its MATRIX_URL_NAMES lists."""
    found: dict[str, set[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            if not any(isinstance(t, ast.Name) and t.id == VARIABLE for t in targets):
                continue
            if isinstance(value, ast.Call) and getattr(value.func, "id", "") in {
                "set",
                "frozenset",
            }:
                value = value.args[0] if value.args else ast.Set(elts=[])
            names = ast.literal_eval(value)
            found[str(path.relative_to(TESTS))] = set(names)
    return found


def test_every_url_name_is_in_a_permission_matrix():
    routes = project_routes()
    covered = set().union(*declared_names().values())
    missing = sorted(set(routes) - covered - set(OUTSIDE_MATRICES))
    assert not missing, (
        f"{len(missing)} URL name(s) in no permission matrix; add each to the "
        f"{VARIABLE} set of the test module whose matrix checks it:\n  "
        + "\n  ".join(f"{name}: /{routes[name].route}" for name in missing)
    )


def test_matrices_name_only_urls_that_exist():
    routes = set(project_routes())
    stale = {
        module: sorted(names - routes)
        for module, names in declared_names().items()
        if names - routes
    }
    assert not stale, f"{VARIABLE} lists URL names the resolver does not know: {stale}"
    assert not set(OUTSIDE_MATRICES) - routes


def test_the_convention_is_read_from_the_existing_matrices():
    declared = declared_names()
    assert "action_detail" in declared["web/test_matrix.py"]
    assert "action_edit" in declared["web/test_edit_matrix.py"]
