"""Settings for the benchmarks: the project's, plus a query counter (bench/pages.py).

With COPIL_BENCH_COUNT_QUERIES=1, every response carries an ``X-Queries`` header: the
number of SQL statements run while the request was handled (sessions, authentication,
the view, the template), counted with ``connection.execute_wrapper``. Without it, these
are the project's settings unchanged. Use: DJANGO_SETTINGS_MODULE=bench.settings, from
the repository root.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from copil.project.settings import *  # noqa: F403
from copil.project.settings import MIDDLEWARE


class QueryCountMiddleware:
    """Outermost middleware: counts the SQL statements of the request."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        from django.db import connection

        count = 0

        def counter(execute, sql, params, many, context):  # noqa: ANN001, ANN202
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Queries"] = str(count)
        return response


if os.environ.get("COPIL_BENCH_COUNT_QUERIES") == "1":
    MIDDLEWARE = ["bench.settings.QueryCountMiddleware", *MIDDLEWARE]
