"""The project's named URL patterns, read from the resolver (the Django admin left out).

Used by the browser crawl (tests/browser/test_every_page.py: every page, with axe-core)
and by the coverage check of the permission matrices (tests/web/test_url_coverage.py), so
that a view added tomorrow is picked up by both without anyone listing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

#: Namespaces that are not copil's pages.
IGNORED_NAMESPACES = frozenset({"admin"})


@dataclass(frozen=True)
class Route:
    name: str
    route: str  # "conventions/<int:pk>/plan/"
    params: tuple[str, ...]  # ("pk",)

    @property
    def first_segment(self) -> str:
        return self.route.split("/", 1)[0]


def _walk(patterns, prefix: str):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in IGNORED_NAMESPACES or entry.app_name in IGNORED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            route = prefix + str(entry.pattern)
            yield Route(entry.name, route, tuple(entry.pattern.converters))


def project_routes() -> dict[str, Route]:
    """URL name -> its route, for every named pattern outside the admin."""
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns, ""):
        routes.setdefault(route.name, route)  # the first pattern wins, as in reverse()
    return routes
