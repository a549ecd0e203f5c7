"""Browser tests: Playwright's Python driver steering Debian's Chromium against a live server.

Nothing is downloaded at run time: no `playwright install`, the browser is /usr/bin/chromium
(`.ci/run` installs Debian's package when it is missing) and axe-core comes from
node_modules (`make install` runs `npm ci`). Every page a journey visits is checked with
axe-core (`check_a11y`) and every journey leaves screenshots in tests/artifacts/.

One Chromium for the whole browser package (package scope, not session scope: Playwright's
sync API marks its asyncio loop as running between calls, which must not leak into the rest
of the suite), one context and page per test, a fresh database per test (transactional_db,
which the live server thread can see).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import pytest

from tests.browser.support import (
    ARTIFACTS,
    AXE_JS,
    AXE_RESULTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SEED,
    TIMEOUT_MS,
)


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does it in CI)"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not AXE_RESULTS:
        return
    terminalreporter.section("axe-core (violations per page)")
    for label, violations in AXE_RESULTS.items():
        summary = ", ".join(f"{rule} ×{n}" for rule, n in violations.items()) or "0"
        terminalreporter.write_line(f"{label}: {summary}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe-results.json").write_text(
        json.dumps(AXE_RESULTS, indent=2, ensure_ascii=False), encoding="utf-8"
    )


# --- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="package")
def _allow_async_unsafe():
    """Playwright's sync API leaves its asyncio loop marked as running between calls, and
    Django then refuses ORM calls in the test thread (SynchronousOnlyOperation). Set for
    the browser package only, and restored afterwards."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(django_db_setup, _allow_async_unsafe):
    """One headless Chromium for every browser test (the test database exists first)."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run `make install` (npm ci)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob("*.png"):  # the screenshots are those of the last run
        stale.unlink()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """A factory of pages, each in its own context (its own cookies): two users at once."""
    contexts = []

    def make():
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


# --- the data -----------------------------------------------------------------------------


@pytest.fixture
def fast_hasher(settings):
    """Argon2 (tested in tests/accounts) costs a lot per demo account; the live server runs
    in this process, so the setting applies to it too."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Seed:
    convention: object
    actions: dict = field(default_factory=dict)  # number ("5.3") -> Action
    password: str = ""

    def action_pk(self, number: str) -> int:
        return self.actions[number].pk


@pytest.fixture
def seed(transactional_db, fast_hasher):
    """The 2019-2022 Bas-Rhin convention imported from its document, and the demo accounts
    (cd67-admin, cd67-editeur, cd67-pilote, cd67-lecteur, caf67-…)."""
    from copil.accounts.demo import create_demo_accounts, demo_password
    from copil.importers.api import parse_file, sha256_of
    from copil.plan.models import Action
    from copil.plan.services import import_document

    result = import_document(
        parse_file(SEED), source_name=SEED.name, source_sha256=sha256_of(SEED.read_bytes())
    )
    create_demo_accounts(result.convention)
    actions = {a.number: a for a in Action.objects.filter(plan__convention=result.convention)}
    return Seed(convention=result.convention, actions=actions, password=demo_password())
