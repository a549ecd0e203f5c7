from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate


def _suspend_search_triggers(using: str = "default", **kwargs) -> None:
    from copil.reports import search

    search.suspend_triggers(connections[using])


def _restore_search_triggers(using: str = "default", **kwargs) -> None:
    from copil.reports import search

    search.ensure_index(connections[using])


class ReportsConfig(AppConfig):
    """On SQLite, the search index's triggers are dropped before ``migrate`` and created
    again after it (with a rebuild of the index): while they exist, SQLite refuses the
    table remakes Django's migrations do on the plan's tables. See reports/search.py.
    Schema upkeep, not business logic: the one place copil uses signals."""

    name = "copil.reports"
    verbose_name = "Recherche et tableaux de bord"

    def ready(self) -> None:
        pre_migrate.connect(_suspend_search_triggers, sender=self, dispatch_uid="reports_pre")
        post_migrate.connect(_restore_search_triggers, sender=self, dispatch_uid="reports_post")
