"""French full-text search over the fiches action, accents and case folded.

One index row per action: its number and title, every text field of the fiche, and the
names of the institutions that lead it or are partners of it.

How the index stays in sync — database triggers, so that every writer (the import
service, the action editing service, the admin, raw SQL) keeps it right without calling
us:

- SQLite: an FTS5 virtual table ``reports_action_fts`` (``unicode61 remove_diacritics 2``:
  "précarité" and "PRECARITE" are the same token), refreshed by ``AFTER`` triggers on
  ``plan_action``, ``plan_actionlead``, ``plan_actionpartner`` and
  ``institutions_institution``. Those triggers must not exist while migrations run:
  Django remakes a SQLite table (create, copy, drop, rename) for many schema changes,
  and SQLite refuses the rename while a trigger names the dropped table. So the
  migration creates only the FTS5 table; the triggers are dropped before every
  ``migrate`` (``suspend_triggers``) and created again after it, with a rebuild of the
  index (``ensure_index``) — see apps.py.
- PostgreSQL: a table ``reports_action_search`` with a ``tsvector`` column (GIN index)
  built with the ``copil_fr`` text search configuration (french stemming after the
  ``unaccent`` dictionary), refreshed by PL/pgSQL triggers on the same tables; a
  ``TRUNCATE`` of the actions empties it.

``rebuild_index()`` recomputes every row (the migration runs it for existing actions).

Queries: the user's words are never spliced into SQL. On SQLite each word becomes a
quoted FTS5 string (``"precarite"*``), so ``"``, ``*``, ``NEAR(`` or ``'; drop`` are
plain text; on PostgreSQL the words go through ``plainto_tsquery``. Results are
restricted inside the same SQL statement to the actions the permission funnel allows.

Bounded cost: a query takes at most MAX_CANDIDATES + 1 matching actions from the index
(the first found, before any ranking), ranks and counts only those, and builds snippets
for one page (PAGE_SIZE hits). The page then says "more than MAX_CANDIDATES" and asks for
more precise words. See docs/search.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from copil.plan.models import Action

PAGE_SIZE = 20  # hits per page
# At most this many matching actions are ranked and counted: the search costs the same on a
# national database, whatever the user may see and however common the words.
MAX_CANDIDATES = 500
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

# Highlight sentinels: characters of the Unicode private use area, replaced by <mark>
# after the snippet has been HTML-escaped.
_START, _STOP = "\ue000", "\ue001"

SQLITE_TABLE = "reports_action_fts"
PG_TABLE = "reports_action_search"

# --- the indexed text ---------------------------------------------------------------------

_TEXT_FIELDS = (
    "shared_diagnosis",
    "operational_objectives",
    "target_audiences",
    "description",
    "expected_results",
    "schedule",
    "leads_text",
    "partners_text",
    "budget_text",
    "indicators_text",
)


_INDEXED_COLUMNS = ("id", "number", "title", *_TEXT_FIELDS)


def _changed_sql(distinct: str) -> str:
    """A trigger's WHEN condition: an indexed column of the action changed (saving the
    status or the progress does not touch the index)."""
    return " OR ".join(f"OLD.{name} {distinct} NEW.{name}" for name in _INDEXED_COLUMNS)


def _body_sql(concat: str) -> str:
    return concat.join(f"a.{name}" for name in _TEXT_FIELDS)


def _names_sql(aggregate: str) -> str:
    """Names (and acronyms) of the leads, their units, and the partners of ``a``."""
    return (
        f"coalesce((SELECT {aggregate.format(expr=_LEAD_NAME)} FROM plan_actionlead l "
        "JOIN institutions_institution i ON i.id = l.institution_id "
        "WHERE l.action_id = a.id), '') || ' ' || "
        f"coalesce((SELECT {aggregate.format(expr=_PARTNER_NAME)} FROM plan_actionpartner p "
        "JOIN institutions_institution i ON i.id = p.institution_id "
        "WHERE p.action_id = a.id), '')"
    )


_LEAD_NAME = "i.name || ' ' || i.short_name || ' ' || l.unit"
_PARTNER_NAME = "i.name || ' ' || i.short_name"

# --- SQLite: FTS5 ---------------------------------------------------------------------------


_SQLITE_BODY = _body_sql(" || char(10) || ")
_SQLITE_NAMES = _names_sql("group_concat({expr}, ' ')")


def _sqlite_refresh_statements(ids: str) -> list[str]:
    """Statements replacing the index rows of the actions whose ids ``ids`` selects."""
    return [
        f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN ({ids})",
        f"INSERT INTO {SQLITE_TABLE} (rowid, number, title, body, names) "
        f"SELECT a.id, a.number, a.title, {_SQLITE_BODY}, {_SQLITE_NAMES} "
        f"FROM plan_action a WHERE a.id IN ({ids})",
    ]


def _sqlite_refresh(ids: str) -> str:
    return "".join(f"{statement}; " for statement in _sqlite_refresh_statements(ids))


SQLITE_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
    "number, title, body, names, tokenize = 'unicode61 remove_diacritics 2')"
)

_BY_INSTITUTION = (
    "SELECT action_id FROM plan_actionlead WHERE institution_id = NEW.id "
    "UNION SELECT action_id FROM plan_actionpartner WHERE institution_id = NEW.id"
)

#: trigger name -> its definition (timing and body).
SQLITE_TRIGGERS = {
    "reports_fts_action_insert": (
        "AFTER INSERT ON plan_action",
        _sqlite_refresh("SELECT NEW.id"),
    ),
    "reports_fts_action_update": (
        f"AFTER UPDATE ON plan_action WHEN {_changed_sql('IS NOT')}",
        f"DELETE FROM {SQLITE_TABLE} WHERE rowid = OLD.id; " + _sqlite_refresh("SELECT NEW.id"),
    ),
    "reports_fts_action_delete": (
        "AFTER DELETE ON plan_action",
        f"DELETE FROM {SQLITE_TABLE} WHERE rowid = OLD.id;",
    ),
    **{
        f"reports_fts_{table}_{event}": (
            f"AFTER {event.upper()} ON plan_{table}",
            _sqlite_refresh(ids),
        )
        for table in ("actionlead", "actionpartner")
        for event, ids in (
            ("insert", "SELECT NEW.action_id"),
            ("update", "SELECT OLD.action_id UNION SELECT NEW.action_id"),
            ("delete", "SELECT OLD.action_id"),
        )
    },
    "reports_fts_institution_update": (
        "AFTER UPDATE OF name, short_name ON institutions_institution",
        _sqlite_refresh(_BY_INSTITUTION),
    ),
}


def _sqlite_create_triggers(cursor) -> None:
    for name, (timing, body) in SQLITE_TRIGGERS.items():
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {timing} BEGIN {body} END")


# --- PostgreSQL: tsvector + unaccent ----------------------------------------------------------

_PG_BODY = _body_sql(", ")
_PG_NAMES = _names_sql("string_agg({expr}, ' ')")
_PG_DOCUMENT = (
    "setweight(to_tsvector('copil_fr', a.number || ' ' || a.title), 'A') || "
    "setweight(to_tsvector('copil_fr', names.names), 'B') || "
    "setweight(to_tsvector('copil_fr', a.body), 'C')"
)

PG_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'copil_fr') THEN
        CREATE TEXT SEARCH CONFIGURATION copil_fr (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION copil_fr
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$
    """,
    f"""
    CREATE TABLE IF NOT EXISTS {PG_TABLE} (
      action_id bigint PRIMARY KEY,
      number text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      names text NOT NULL,
      document tsvector NOT NULL
    )
    """,
    f"CREATE INDEX IF NOT EXISTS reports_action_search_document ON {PG_TABLE} USING gin (document)",
    f"""
    CREATE OR REPLACE FUNCTION reports_refresh_actions(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
      DELETE FROM {PG_TABLE} WHERE action_id = ANY(ids);
      INSERT INTO {PG_TABLE} (action_id, number, title, body, names, document)
      SELECT a.id, a.number, a.title, a.body, names.names, {_PG_DOCUMENT}
      FROM (
        SELECT id, number, title, concat_ws(E'\\n', {_PG_BODY}) AS body
        FROM plan_action a WHERE a.id = ANY(ids)
      ) a
      CROSS JOIN LATERAL (SELECT {_PG_NAMES} AS names) names;
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION reports_action_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE {PG_TABLE};
      ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM {PG_TABLE} WHERE action_id = OLD.id;
      ELSIF TG_OP = 'INSERT' THEN
        PERFORM reports_refresh_actions(ARRAY[NEW.id]);
      ELSE
        PERFORM reports_refresh_actions(ARRAY[OLD.id, NEW.id]);
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION reports_action_link_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM reports_refresh_actions(ARRAY[NEW.action_id]);
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM reports_refresh_actions(ARRAY[OLD.action_id]);
      ELSE
        PERFORM reports_refresh_actions(ARRAY[OLD.action_id, NEW.action_id]);
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION reports_institution_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM reports_refresh_actions(ARRAY(
        SELECT action_id FROM plan_actionlead WHERE institution_id = NEW.id
        UNION SELECT action_id FROM plan_actionpartner WHERE institution_id = NEW.id));
      RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS reports_search_sync ON plan_action",
    "CREATE TRIGGER reports_search_sync AFTER INSERT OR DELETE ON plan_action "
    "FOR EACH ROW EXECUTE FUNCTION reports_action_sync()",
    "DROP TRIGGER IF EXISTS reports_search_update ON plan_action",
    "CREATE TRIGGER reports_search_update AFTER UPDATE ON plan_action FOR EACH ROW "
    f"WHEN ({_changed_sql('IS DISTINCT FROM')}) EXECUTE FUNCTION reports_action_sync()",
    "DROP TRIGGER IF EXISTS reports_search_truncate ON plan_action",
    "CREATE TRIGGER reports_search_truncate AFTER TRUNCATE ON plan_action "
    "FOR EACH STATEMENT EXECUTE FUNCTION reports_action_sync()",
    "DROP TRIGGER IF EXISTS reports_search_sync ON plan_actionlead",
    "CREATE TRIGGER reports_search_sync AFTER INSERT OR UPDATE OR DELETE ON plan_actionlead "
    "FOR EACH ROW EXECUTE FUNCTION reports_action_link_sync()",
    "DROP TRIGGER IF EXISTS reports_search_sync ON plan_actionpartner",
    "CREATE TRIGGER reports_search_sync AFTER INSERT OR UPDATE OR DELETE ON plan_actionpartner "
    "FOR EACH ROW EXECUTE FUNCTION reports_action_link_sync()",
    "DROP TRIGGER IF EXISTS reports_search_sync ON institutions_institution",
    "CREATE TRIGGER reports_search_sync AFTER UPDATE OF name, short_name "
    "ON institutions_institution FOR EACH ROW EXECUTE FUNCTION reports_institution_sync()",
]

PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS reports_search_sync ON plan_action",
    "DROP TRIGGER IF EXISTS reports_search_update ON plan_action",
    "DROP TRIGGER IF EXISTS reports_search_truncate ON plan_action",
    "DROP TRIGGER IF EXISTS reports_search_sync ON plan_actionlead",
    "DROP TRIGGER IF EXISTS reports_search_sync ON plan_actionpartner",
    "DROP TRIGGER IF EXISTS reports_search_sync ON institutions_institution",
    "DROP FUNCTION IF EXISTS reports_institution_sync()",
    "DROP FUNCTION IF EXISTS reports_action_link_sync()",
    "DROP FUNCTION IF EXISTS reports_action_sync()",
    "DROP FUNCTION IF EXISTS reports_refresh_actions(bigint[])",
    f"DROP TABLE IF EXISTS {PG_TABLE}",
    # The extension and the configuration may serve others: they stay.
]


# --- installing and rebuilding ------------------------------------------------------------------


def install(conn=None) -> None:
    """Create the index, its triggers and (PostgreSQL) the text search configuration."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(SQLITE_CREATE_TABLE)
            _sqlite_create_triggers(cursor)
        elif conn.vendor == "postgresql":
            for statement in PG_INSTALL:
                cursor.execute(statement)


def uninstall(conn=None) -> None:
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")
        elif conn.vendor == "postgresql":
            for statement in PG_UNINSTALL:
                cursor.execute(statement)


def rebuild_index(using=None) -> None:
    """Recompute the index row of every action (after a bulk load, or to repair it)."""
    conn = using or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {SQLITE_TABLE}")
            for statement in _sqlite_refresh_statements("SELECT id FROM plan_action"):
                cursor.execute(statement)
        elif conn.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {PG_TABLE}")
            cursor.execute("SELECT reports_refresh_actions(ARRAY(SELECT id FROM plan_action))")


def install_table(conn=None) -> None:
    """What the migration installs: on SQLite the FTS5 table alone (the triggers come
    after the migrations, see ensure_index); on PostgreSQL everything, and the rows."""
    conn = conn or connection
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            cursor.execute(SQLITE_CREATE_TABLE)
    elif conn.vendor == "postgresql":
        install(conn)
        rebuild_index(conn)


def _sqlite_names(conn) -> set[str]:
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        return {row[0] for row in cursor.fetchall()}


def suspend_triggers(conn=None) -> None:
    """SQLite, before migrations: drop the triggers, which would make any remake of the
    plan's tables fail. A no-op elsewhere."""
    conn = conn or connection
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def ensure_index(conn=None) -> bool:
    """SQLite, after migrations: create the missing triggers and rebuild the index (what
    was written while they were away is indexed again). True when something was done."""
    conn = conn or connection
    if conn.vendor != "sqlite":
        return False
    present = _sqlite_names(conn)
    if SQLITE_TABLE not in present:  # not installed (or migrated back to zero)
        return False
    if set(SQLITE_TRIGGERS) <= present:
        return False
    install(conn)
    rebuild_index(conn)
    return True


# --- querying ----------------------------------------------------------------------------------

_WORD = re.compile(r"\w", re.UNICODE)
# NUL and other control characters (PostgreSQL refuses NUL in text), and our sentinels.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")


def query_terms(text: str) -> list[str]:
    """The words of the user's query: whitespace-separated chunks holding a letter or a
    digit, double quotes and control characters removed; at most MAX_TERMS."""
    text = _CONTROL.sub(" ", (text or "")[:MAX_QUERY_LENGTH])
    chunks = text.replace('"', " ").split()
    return [chunk for chunk in chunks if _WORD.search(chunk)][:MAX_TERMS]


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression in which every term is a quoted string, prefix-matched:
    the tokenizer splits it ("8.3" -> the phrase 8 3), nothing in it is syntax."""
    return " ".join(f'"{term}"*' for term in terms)


@dataclass(frozen=True)
class Hit:
    action_id: int
    rank: float
    snippet: SafeString


@dataclass(frozen=True)
class Results:
    """One page of results. ``found`` counts the matching actions up to MAX_CANDIDATES;
    ``capped`` says more matched than that (only the first MAX_CANDIDATES found were
    ranked)."""

    hits: list[Hit]
    found: int
    capped: bool
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.found // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_rank(self) -> int:
        """The rank of the first hit of this page (1-based)."""
        return (self.page - 1) * self.page_size + 1

    @property
    def last_rank(self) -> int:
        return self.first_rank + len(self.hits) - 1


EMPTY = Results(hits=[], found=0, capped=False, page=1, page_size=PAGE_SIZE)


def highlight(raw: str) -> SafeString:
    """Escape a snippet and turn the sentinels around matches into <mark>."""
    text = escape(" ".join((raw or "").split()))
    # escape() cannot produce the sentinels: whatever is between them is escaped text.
    open_count = 0
    out = []
    for char in text:
        if char == _START:
            if open_count == 0:
                out.append("<mark>")
            open_count += 1
        elif char == _STOP:
            if open_count:
                open_count -= 1
                if open_count == 0:
                    out.append("</mark>")
        else:
            out.append(char)
    if open_count:
        out.append("</mark>")
    return mark_safe("".join(out))  # escaped above


def _visible_ids_sql(actions: QuerySet[Action]) -> tuple[str, tuple]:
    sql, params = actions.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def search_actions(actions: QuerySet[Action], text: str, limit: int | None = None) -> list[Hit]:
    """The first ``limit`` hits of :func:`search` (at most MAX_CANDIDATES)."""
    return search(actions, text, page=1, page_size=limit).hits


def search(
    actions: QuerySet[Action], text: str, *, page: int = 1, page_size: int | None = None
) -> Results:
    """The actions of ``actions`` (already through the permission funnel) matching ``text``,
    best first, with a highlighted snippet: page ``page`` of ``page_size`` (default PAGE_SIZE)
    hits. One query.

    Bounded whatever the number of matches: the index yields at most MAX_CANDIDATES + 1
    matching actions (the first it finds, not the best ones), only those are ranked and
    counted, and only the page's hits get a snippet. A query matching most fiches of a
    national database then costs what a query matching a few hundred does; ``capped``
    tells the user to narrow the search.
    """
    terms = query_terms(text)
    page_size = max(1, min(PAGE_SIZE if page_size is None else page_size, MAX_CANDIDATES))
    last_page = -(-MAX_CANDIDATES // page_size)
    page = max(1, min(page, last_page))
    if not terms:
        return Results([], 0, False, page, page_size)
    offset = (page - 1) * page_size
    limit = min(page_size, MAX_CANDIDATES - offset)
    visible_sql, visible_params = _visible_ids_sql(actions)
    if connection.vendor == "sqlite":
        # bm25() and snippet() exist only in a query that MATCHes: the outer query matches
        # again, restricted to the bounded candidates.
        # (and the window function count(*) OVER () is refused next to bm25()).
        candidates = (
            f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s "
            f"AND rowid IN ({visible_sql}) LIMIT %s"
        )
        sql = (
            f"SELECT rowid, bm25({SQLITE_TABLE}, 2.0, 10.0, 1.0, 3.0) AS score, "
            f"snippet({SQLITE_TABLE}, -1, %s, %s, '…', 16), "
            f"(SELECT count(*) FROM ({candidates})) "
            f"FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s AND rowid IN ({candidates}) "
            "ORDER BY score, rowid LIMIT %s OFFSET %s"
        )
        match = fts5_query(terms)
        bounded = (match, *visible_params, MAX_CANDIDATES + 1)
        params = (_START, _STOP, *bounded, match, *bounded, limit, offset)
    elif connection.vendor == "postgresql":
        options = f'StartSel="{_START}", StopSel="{_STOP}", MaxWords=30, MinWords=10'
        # The tsquery is written out each time, not taken from a CTE: the planner then
        # estimates how many rows match (from the column's statistics) and, for a common
        # word, reads rows in order and stops at the LIMIT, instead of building a bitmap
        # of every match first.
        tsquery = "plainto_tsquery('copil_fr', %s)"
        sql = (
            "WITH candidates AS ("
            f"SELECT s.action_id, s.document FROM {PG_TABLE} s "
            f"WHERE s.document @@ {tsquery} AND s.action_id IN ({visible_sql}) LIMIT %s), "
            "ranked AS ("
            f"SELECT c.action_id, -ts_rank_cd(c.document, {tsquery}) AS score, "
            "count(*) OVER () AS found FROM candidates c "
            "ORDER BY score, c.action_id LIMIT %s OFFSET %s) "
            "SELECT r.action_id, r.score, ts_headline('copil_fr', s.number || ' ' || s.title "
            f"|| E'\\n' || s.body || E'\\n' || s.names, {tsquery}, %s), r.found "
            f"FROM ranked r JOIN {PG_TABLE} s ON s.action_id = r.action_id "
            "ORDER BY r.score, r.action_id"
        )
        words = " ".join(terms)
        params = (words, *visible_params, MAX_CANDIDATES + 1, words, limit, offset)
        params += (words, options)
    else:  # pragma: no cover - copil runs on SQLite and PostgreSQL
        raise NotImplementedError(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows and page > 1:  # past the last page (a hand-made URL): the first one
        return search(actions, text, page=1, page_size=page_size)
    hits = [Hit(action_id=row[0], rank=float(row[1]), snippet=highlight(row[2])) for row in rows]
    matched = rows[0][3] if rows else 0
    return Results(
        hits=hits,
        found=min(matched, MAX_CANDIDATES),
        capped=matched > MAX_CANDIDATES,
        page=page,
        page_size=page_size,
    )
