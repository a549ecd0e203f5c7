import datetime as dt
from pathlib import Path

import pytest
from django.db import connection

from copil.conventions import selectors as convention_selectors
from copil.importers.api import parse_file, sha256_of
from copil.plan.services import import_document

SEED = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "documents"
    / "convention-cd67-caf67-2019-2022.txt"
)


@pytest.fixture
def demo(db):
    """The 2019-2022 Bas-Rhin convention, imported from the repo's copy of its text."""
    document = parse_file(SEED)
    return import_document(
        document, source_name=SEED.name, source_sha256=sha256_of(SEED.read_bytes())
    ).convention


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 index")
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL tsvector index"
)


@pytest.fixture
def frozen_today(monkeypatch):
    on = dt.date(2024, 12, 1)
    monkeypatch.setattr(convention_selectors, "today", lambda: on)
    return on
