"""Page latency and queries per request, small vs national scale, served by gunicorn.

    .venv/bin/python bench/pages.py                 # both scales, 50 requests per page
    .venv/bin/python bench/pages.py --requests 100 --scale small

For each scale, a PostgreSQL database of its own (``copil_bench_small``,
``copil_bench_national`` on postgres://postgres@127.0.0.1:5432, see --server): created
with psql when missing, migrated, filled by bench/generate.py when it holds no
convention (``--scale small``; ``--scale national --seed 42 --measurements``), or refilled
with --regenerate. Then a gunicorn per scale serves the app on its database
(DJANGO_SETTINGS_MODULE=bench.settings, COPIL_DEBUG=0, one sync worker, loopback), both at
once. Two accounts made by this script sign in through the login form on each: a
Département agent (``bench-pages``, of the measured convention's Département, editor of
every convention that Département is a party of: what a user sees every day) for every
page, and a superuser (``bench-pages-admin``, sees all 45,000 actions) for the search once
more. Each page is requested --warmup times, then --requests times (at most --seconds per
page), one request at a time, the scales taking turns so that the machine's load hits
both alike. The session cookie is kept. Latency: from sending the request to the last
byte of the body, on the client. Queries: the X-Queries header that bench/settings.py
adds (identical over the runs, or the spread is shown).

Pages: the dashboard (skipped when the URL name ``dashboard`` does not resolve), the plan
tree filtered by a theme and a status, an action page and the search (skipped when
``search`` does not resolve), as the agent, and the search as the superuser. What is
requested at each scale: among the conventions a Département is a party of, the one whose
plan has the number of actions closest to the small scale's (35; then the latest, then by
title), its first theme, that theme's most frequent status, its first action, and the
longest word of the small scale's action title as the search query, at both scales.

Prints a Markdown table; the targets of the issue are p95 ≤ 150 ms at national scale,
national/small p95 ratio ≤ 1.5, same query count at both scales.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
USERNAME = "bench-pages"  # a Département agent, member of its Département's conventions
SUPERUSER = "bench-pages-admin"
PASSWORD = "bench-pages-not-a-secret-9f3k"  # throwaway accounts of throwaway databases
P95_TARGET_MS = 150.0
RATIO_TARGET = 1.5
SCALES = {
    "small": ["--scale", "small"],
    "national": ["--scale", "national", "--seed", "42", "--measurements"],
}


# --- database set-up ------------------------------------------------------------------


def _env(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env |= {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "COPIL_DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    return env | extra


def prepare_database(server: str, scale: str, regenerate: bool) -> str:
    name = f"copil_bench_{scale}"
    host = urllib.parse.urlsplit(server)
    psql = ["psql", "-h", host.hostname or "127.0.0.1", "-p", str(host.port or 5432)]
    psql += ["-U", host.username or "postgres", "-d", "postgres", "-Atq"]
    exists = subprocess.run(
        [*psql, "-c", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        print(f"[{scale}] creating database {name}", file=sys.stderr)
        subprocess.run([*psql, "-c", f'CREATE DATABASE "{name}"'], check=True)
    url = f"{server.rstrip('/')}/{name}"
    env = _env(url)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    code = "from copil.conventions.models import Convention as C; print(C.objects.exists())"
    filled = _django(env, code).strip() == "True"
    if regenerate or not filled:
        command = [PYTHON, "bench/generate.py", *SCALES[scale]]
        if filled:
            command.append("--reset")
        print(f"[{scale}] {' '.join(command[1:])}", file=sys.stderr)
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=sys.stderr)
        # Planner statistics for the new rows, as autovacuum would gather them later.
        subprocess.run([*psql[:-3], "-d", name, "-Atq", "-c", "ANALYZE"], check=True)
    else:
        print(f"[{scale}] {name} already filled: reused (--regenerate to refill)", file=sys.stderr)
    return url


def _django(env: dict[str, str], code: str) -> str:
    script = "import django; django.setup()\n" + code
    done = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


_TARGETS = r"""
import json
from collections import Counter
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from copil.accounts.models import User
from copil.conventions.models import Convention
from copil.plan.models import Action, Theme

from copil.accounts.enums import Role
from copil.accounts.models import Membership
from copil.conventions.models import Party

# The convention measured: among those a Département is a party of, the one whose plan
# size is closest to 35 actions (the demo's), then the latest, then by title.
sizes = (
    Convention.objects.filter(plan__isnull=False, parties__institution__kind="departement")
    .annotate(n=Count("plan__actions", distinct=True))
    .values_list("pk", "n", "effective_date", "title")
)
pk, n, _date, _title = min(
    sizes, key=lambda c: (abs(c[1] - 35), -(c[2].toordinal() if c[2] else 0), c[3])
)
convention = Convention.objects.select_related("plan").get(pk=pk)
departement = Party.objects.filter(
    convention=convention, institution__kind="departement"
).order_by("position").first().institution

# A Département agent: editor of every convention its institution is a party of.
user = User.objects.filter(username=USERNAME).first() or User(username=USERNAME)
user.is_superuser = user.is_staff = False
user.is_active = True
user.institution = departement
user.set_password(PASSWORD)
user.save()
member_of = Convention.objects.filter(parties__institution=departement).distinct()
Membership.objects.filter(user=user).exclude(convention__in=member_of).delete()
for c in member_of:
    Membership.objects.update_or_create(user=user, convention=c, defaults={"role": Role.EDITOR})
admin = User.objects.filter(username=SUPERUSER).first() or User(username=SUPERUSER)
admin.is_superuser = admin.is_staff = admin.is_active = True
admin.set_password(PASSWORD)
admin.save()

theme = Theme.objects.filter(plan=convention.plan).order_by("number").first()
actions = Action.objects.filter(plan=convention.plan, deleted_at__isnull=True)
statuses = Counter(actions.filter(orientation__theme=theme).values_list("status", flat=True))
status = sorted(statuses.items(), key=lambda s: (-s[1], s[0]))[0][0]
action = actions.order_by("orientation__theme__number", "orientation__number", "pk").first()
word = max(
    (w for w in __import__("re").findall(r"\w+", action.title) if not w.isdigit()),
    key=lambda w: (len(w), w),
)

def url(name, *args, query=None):
    try:
        path = reverse(name, args=args)
    except NoReverseMatch as exc:
        return {"skip": f"URL name {name!r} does not resolve ({exc})"}
    if query:
        path += "?" + __import__("urllib.parse").parse.urlencode(query)
    return {"path": path}

pages = {
    "dashboard": url("dashboard", pk),
    "plan (filtered)": url("plan_detail", pk, query={"theme": theme.pk, "status": status}),
    "action": url("action_detail", action.pk),
    "search": url("search", query={"q": word}),
    "search (superuser)": {**url("search", query={"q": word}), "user": SUPERUSER},
}
visible = Action.objects.filter(
    plan__convention__in=member_of, deleted_at__isnull=True
).count()
print(json.dumps({
    "convention": f"{convention.title} (pk {pk}, {n} actions)",
    "user": f"{USERNAME}, agent of {departement.name}: editor of {len(member_of)}"
    f" conventions, {visible} actions",
    "totals": {
        "conventions": Convention.objects.count(), "actions": Action.objects.count(),
    },
    "pages": pages,
}))
"""


def find_targets(url: str) -> dict:
    code = f"USERNAME = {USERNAME!r}\nSUPERUSER = {SUPERUSER!r}\nPASSWORD = {PASSWORD!r}\n"
    code += _TARGETS
    return json.loads(_django(_env(url), code).strip().splitlines()[-1])


# --- serving and requesting -----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int) -> subprocess.Popen:
    command = [
        str(Path(PYTHON).with_name("gunicorn")),
        "copil.project.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", "1",
        "--worker-class", "sync",
        "--timeout", "120",
        "--log-level", "warning",
    ]  # fmt: skip
    env = _env(url, COPIL_BENCH_COUNT_QUERIES="1")
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError("gunicorn did not listen within 60 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Client:
    """One keep-alive-less HTTP/1.1 client on loopback, keeping its cookies."""

    def __init__(self, port: int, username: str) -> None:
        self.port, self.username = port, username
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response, content, elapsed

    def login(self) -> None:
        response, content, _ = self.request("GET", "/connexion/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if response.status != 200 or token is None:
            raise RuntimeError(f"login page: HTTP {response.status}, CSRF token missing")
        form = {"username": self.username, "password": PASSWORD}
        form["csrfmiddlewaretoken"] = token[1].decode()
        response, _content, _ = self.request("POST", "/connexion/", form)
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed: HTTP {response.status}")


def measure(
    clients: dict[str, Client], paths: dict[str, str], warmup: int, requests: int, seconds: float
) -> dict[str, dict]:
    """Requests path on each scale's server in turn: warmup rounds, then timed ones."""

    def get(scale: str):
        response, content, elapsed = clients[scale].request("GET", paths[scale])
        if response.status != 200:
            raise RuntimeError(f"[{scale}] GET {paths[scale]}: HTTP {response.status}")
        return response, content, elapsed

    for _ in range(warmup):
        for scale in paths:
            get(scale)
    times: dict[str, list[float]] = {s: [] for s in paths}
    queries: dict[str, set[int]] = {s: set() for s in paths}
    sizes: dict[str, int] = {s: 0 for s in paths}
    deadline = time.monotonic() + seconds
    rounds = 0
    while rounds < requests and (rounds == 0 or time.monotonic() < deadline):
        for scale in paths:
            response, content, elapsed = get(scale)
            times[scale].append(elapsed * 1000)
            queries[scale].add(int(response.headers.get("X-Queries", "-1")))
            sizes[scale] = max(sizes[scale], len(content))
        rounds += 1
    stats = {}
    for scale, values in times.items():
        ordered = sorted(values)
        stats[scale] = {
            "n": len(ordered),
            "p50": statistics.median(ordered),
            "p95": ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)],  # nearest rank
            "max": ordered[-1],
            "queries": sorted(queries[scale]),
            "bytes": sizes[scale],
        }
    return stats


# --- report ---------------------------------------------------------------------------


def _queries(q: list[int]) -> str:
    return str(q[0]) if len(q) == 1 else f"{q[0]}–{q[-1]}"


def report(results: dict[str, dict], targets: dict[str, dict]) -> str:
    lines = []
    for scale, info in targets.items():
        totals = info["totals"]
        lines.append(
            f"- {scale}: {totals['conventions']:,} conventions, {totals['actions']:,} actions;"
            f" pages of {info['convention']}; as {info['user']}"
        )
    lines += [
        "",
        "| page | scale | requests | p50 | p95 | max | queries | HTML | p95 national/small"
        " | targets |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    pages = list(next(iter(targets.values()))["pages"])
    for page in pages:
        skipped = {s: targets[s]["pages"][page].get("skip") for s in targets}
        if any(skipped.values()):
            reason = next(r for r in skipped.values() if r)
            lines.append(f"| {page} | — | skipped: {reason} | | | | | | | |")
            continue
        rows = results.get(page, {})
        small, national = rows.get("small"), rows.get("national")
        ratio = verdict = ""
        if small and national:
            r = national["p95"] / small["p95"]
            ratio = f"{r:.2f}"
            misses = []
            if national["p95"] > P95_TARGET_MS:
                misses.append("p95 > 150 ms")
            if r > RATIO_TARGET:
                misses.append("ratio > 1.5")
            if small["queries"] != national["queries"]:
                misses.append("queries differ")
            verdict = "✅" if not misses else "❌ " + ", ".join(misses)
        for scale, row in rows.items():
            lines.append(
                f"| {page} | {scale} | {row['n']} | {row['p50']:.1f} ms | {row['p95']:.1f} ms"
                f" | {row['max']:.1f} ms | {_queries(row['queries'])} | {row['bytes'] // 1024} KiB"
                f" | {ratio if scale == 'national' else ''}"
                f" | {verdict if scale == 'national' else ''} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--scale", choices=[*SCALES, "both"], default="both")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--seconds", type=float, default=60, help="time budget per page")
    parser.add_argument("--regenerate", action="store_true", help="refill the databases")
    args = parser.parse_args()

    scales = list(SCALES) if args.scale == "both" else [args.scale]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{started} · load {os.getloadavg()[0]:.2f} · nproc {os.cpu_count()}", flush=True)
    urls = {s: prepare_database(args.server, s, args.regenerate) for s in scales}
    targets = {s: find_targets(urls[s]) for s in scales}
    for page in ("search", "search (superuser)"):  # one query for both scales
        if page in targets.get("small", {}).get("pages", {}):
            for scale in scales:
                targets[scale]["pages"][page] = targets["small"]["pages"][page]
    # Both servers run at once and the scales take turns, request by request: on a shared
    # machine, a burst of load then hits both alike and the ratio stays meaningful.
    servers: dict[str, subprocess.Popen] = {}
    results: dict[str, dict[str, dict]] = {}
    try:
        clients: dict[str, dict[str, Client]] = {USERNAME: {}, SUPERUSER: {}}
        for scale in scales:
            port = _free_port()
            servers[scale] = start_gunicorn(urls[scale], port)
            for username, by_scale in clients.items():
                by_scale[scale] = Client(port, username)
                by_scale[scale].login()
        for page in targets[scales[0]]["pages"]:
            paths = {s: targets[s]["pages"][page].get("path") for s in scales}
            if not all(paths.values()):
                reason = next(
                    t["pages"][page]["skip"] for t in targets.values() if "skip" in t["pages"][page]
                )
                print(f"{page}: skipped, {reason}", file=sys.stderr)
                continue
            print(
                f"{page}: " + ", ".join(f"{s} GET {p}" for s, p in paths.items()), file=sys.stderr
            )
            user = targets[scales[0]]["pages"][page].get("user", USERNAME)
            results[page] = measure(clients[user], paths, args.warmup, args.requests, args.seconds)
    finally:
        for server in servers.values():
            stop(server)
    print(f"load at the end {os.getloadavg()[0]:.2f}\n")
    print(report(results, targets))


if __name__ == "__main__":
    main()
