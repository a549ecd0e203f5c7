"""Helpers of the browser tests: paths, sign-in, screenshots, axe-core."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SEED = ROOT / "tests" / "fixtures" / "documents" / "convention-cd67-caf67-2019-2022.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Playwright's default is 30 s; a local page that takes 10 s is a failure anyway.
TIMEOUT_MS = 10_000

#: page label -> axe violations (rule id -> number of nodes), for the summary at the end.
AXE_RESULTS: dict[str, dict[str, int]] = {}


# --- helpers ------------------------------------------------------------------------------


def url_exists(path: str) -> bool:
    """Whether ``path`` resolves in the URLconf (pages other engineers are adding)."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def require_url(path: str, what: str) -> None:
    if not url_exists(path):
        pytest.skip(f"{what} ({path}) does not exist yet: no URL resolves it")


def login(page, username: str, password: str, *, expect_success: bool = True) -> None:
    """Sign in through the /connexion/ form, like a person."""
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    if expect_success:
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def screenshot(page, request, step: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{request.node.name}-{step}")
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}\n      {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def check_a11y(page, label: str) -> None:
    """Run axe-core (from node_modules, injected locally) on the page: 0 violations."""
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = results["violations"]
    url = urlsplit(page.url)
    AXE_RESULTS[f"{label} ({url.path}{'?' + url.query if url.query else ''})"] = {
        v["id"]: len(v["nodes"]) for v in violations
    }
    if violations:
        pytest.fail(
            f"axe-core: {len(violations)} violation(s) on {label} ({page.url}):\n"
            + _format_violations(violations),
            pytrace=False,
        )
