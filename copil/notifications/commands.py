"""`copil remind`: the day's reminder digests, safe to run from cron."""

from __future__ import annotations

import sys

import click

#: Above this many emails, a progress bar on stderr.
PROGRESS_THRESHOLD = 20


@click.command("remind")
@click.option("--date", "on", help="Jour des rappels (AAAA-MM-JJ ; défaut : aujourd'hui).")
@click.option("--dry-run", is_flag=True, help="Afficher ce qui serait envoyé, sans rien envoyer.")
def remind(on: str | None, dry_run: bool) -> None:
    """Envoyer à chaque membre le courriel de rappels du jour (une fois par jour)."""
    from copil.cli import CliError, _date, _setup_django, _today

    day = _date(on, "--date") or _today()
    _setup_django()
    from copil.audit.context import Actor, acting_as
    from copil.notifications import services

    with acting_as(Actor(label="copil remind")):
        digests, data = services.plan_digests(day)
        if dry_run:
            report = services.send_digests(digests, day, sent_today=data.sent_today, dry_run=True)
            for digest in digests:
                if digest.user.pk in data.sent_today or not digest.user.email:
                    continue
                click.echo(
                    f"{digest.user.get_username()} <{digest.user.email}> : "
                    f"{len(digest.items)} rappel(s) — {', '.join(digest.kinds)}"
                )
            click.echo(report.summary())
            return
        pending = [d for d in digests if d.user.pk not in data.sent_today and d.user.email]
        try:
            if len(pending) > PROGRESS_THRESHOLD:
                with click.progressbar(
                    length=len(pending), label="Rappels", file=sys.stderr, show_pos=True
                ) as bar:
                    report = services.send_digests(
                        digests, day, sent_today=data.sent_today, tick=lambda: bar.update(1)
                    )
            else:
                report = services.send_digests(digests, day, sent_today=data.sent_today)
        except services.ReminderError as exc:
            raise CliError(str(exc)) from exc
    click.echo(report.summary())
    if report.failed:
        for username, reason in report.failed:
            click.echo(f"copil : erreur : envoi à {username} impossible ({reason}).", err=True)
        raise CliError(
            f"{len(report.failed)} courriel(s) non envoyé(s) : ils seront retentés au "
            "prochain passage."
        )


COMMANDS = [remind]
