"""`copil remind` against a real SMTP server (aiosmtpd, tests/notifications/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from copil.accounts.enums import Role
from copil.audit.models import AuditEntry
from copil.cli import cli
from copil.notifications import services
from copil.notifications.enums import ReminderKind
from copil.notifications.models import ReminderOptOut, SentReminder
from tests.factories import (
    ConventionFactory,
    InstitutionFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# ConventionFactory: from 2019-07-01, 3 years then yearly tacit renewals, 6 months notice:
# notice of the renewal of 2023-07-01 must be received by 2022-12-31.
NOTICE = dt.date(2022, 12, 31)
DAY = dt.timedelta(days=1)


def before(days: int) -> dt.date:
    return NOTICE - dt.timedelta(days=days)


@pytest.fixture
def members(db):
    cd = InstitutionFactory(name="Département du Bas-Rhin")
    caf = InstitutionFactory(name="Caf du Bas-Rhin")
    convention = ConventionFactory(title="Convention CD-CAF 2019")
    other = ConventionFactory(title="Convention d'un autre territoire")
    users = {
        "admin": UserFactory(username="cd67-admin", email="admin@cd67.test", institution=cd),
        "reader": UserFactory(
            username="caf67-lecteur", email="lecteur@caf67.test", institution=caf
        ),
        "no_email": UserFactory(username="sans-adresse", email="", institution=cd),
        "outsider": UserFactory(username="ailleurs", email="ailleurs@cd68.test", institution=cd),
    }
    MembershipFactory(user=users["admin"], convention=convention, role=Role.ADMIN)
    MembershipFactory(user=users["reader"], convention=convention, role=Role.READER)
    MembershipFactory(user=users["no_email"], convention=convention, role=Role.EDITOR)
    MembershipFactory(user=users["outsider"], convention=other, role=Role.ADMIN)
    other.deleted_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # its reminders stop
    other.save(update_fields=["deleted_at"])
    return convention, users


def run(*args):
    return CliRunner().invoke(cli, ["remind", *[str(a) for a in args]])


@pytest.mark.parametrize("days", [90, 30, 7])
def test_notice_deadline_is_emailed_90_30_and_7_days_before(smtp_server, members, days):
    convention, users = members
    report, _ = services.remind(before(days))
    assert (report.sent, report.items, report.no_email) == (2, 2, 1)
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [
        "admin@cd67.test",
        "lecteur@caf67.test",
    ]
    (mail,) = smtp_server.to("admin@cd67.test")
    assert mail.mail_from == "noreply@copil.test"
    assert mail.subject == f"copil — 1 rappel au {before(days):%d/%m/%Y}"
    assert "Bonjour cd67-admin" in mail.text
    assert "Date limite de dénonciation : 31/12/2022" in mail.text
    assert f"dans {days} jours" in mail.text
    assert "Convention CD-CAF 2019" in mail.text
    assert f"https://copil.test/conventions/{convention.pk}/" in mail.text
    assert "https://copil.test/compte/rappels/" in mail.text
    assert f'href="https://copil.test/conventions/{convention.pk}/"' in mail.html
    assert "Dates limites de dénonciation" in mail.html
    assert smtp_server.to("ailleurs@cd68.test") == []


def test_nothing_is_sent_the_day_after_a_threshold(smtp_server, members):
    services.remind(before(90))
    smtp_server.messages.clear()
    report, _ = services.remind(before(89))
    assert report.sent == 0 and smtp_server.messages == []
    assert (
        report.summary() == f"Rappels du {before(89):%d/%m/%Y} : rien à envoyer ; "
        "1 utilisateur sans adresse électronique."
    )


def test_a_missed_cron_day_is_caught_up_once(smtp_server, members):
    services.remind(before(33))  # nothing due yet: nothing sent, nothing recorded
    assert smtp_server.messages == [] and not SentReminder.objects.exists()
    # cron did not run at 30 days; the run at 28 days sends the 30-day reminder.
    report, _ = services.remind(before(28))
    assert report.sent == 2
    assert "dans 28 jours" in smtp_server.to("admin@cd67.test")[0].text
    smtp_server.messages.clear()
    assert services.remind(before(27))[0].sent == 0


def test_a_second_run_the_same_day_sends_nothing_and_says_so(smtp_server, members):
    first, _ = services.remind(before(30))
    assert first.sent == 2
    assert first.summary() == (
        f"Rappels du {before(30):%d/%m/%Y} envoyés : 2 courriels, 2 rappels ; "
        "1 utilisateur sans adresse électronique."
    )
    again, _ = services.remind(before(30))
    assert again.sent == 0 and again.already_sent == 2
    assert len(smtp_server.messages) == 2
    assert again.summary() == (
        f"Rappels du {before(30):%d/%m/%Y} déjà envoyés (2 utilisateurs) : rien n'a été envoyé."
    )
    sent = SentReminder.objects.get(user=members[1]["admin"], sent_on=before(30))
    assert sent.kinds == [ReminderKind.NOTICE_DEADLINE] and sent.item_count == 1
    assert AuditEntry.objects.filter(object_repr__startswith="cd67-admin —").count() == 1


def test_a_kind_turned_off_is_not_sent(smtp_server, members):
    _, users = members
    ReminderOptOut.objects.create(user=users["reader"], kind=ReminderKind.NOTICE_DEADLINE)
    report, _ = services.remind(before(7))
    assert report.sent == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [["admin@cd67.test"]]


def test_a_refused_recipient_fails_alone_and_is_retried_next_run(smtp_server, members):
    _, users = members
    smtp_server.refused.add("lecteur@caf67.test")
    report, _ = services.remind(before(90))
    assert report.sent == 1 and [u for u, _ in report.failed] == ["caf67-lecteur"]
    assert not SentReminder.objects.filter(user=users["reader"]).exists()
    assert SentReminder.objects.filter(user=users["admin"]).exists()
    smtp_server.refused.clear()
    retry, _ = services.remind(before(89))  # caught up the next day
    assert retry.sent == 1 and smtp_server.to("lecteur@caf67.test")


def test_cli_sends_once_a_day_with_one_summary_line(smtp_server, members):
    result = run("--date", before(90).isoformat())
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        "Rappels du 02/10/2022 envoyés : 2 courriels, 2 rappels ; "
        "1 utilisateur sans adresse électronique."
    ]
    again = run("--date", before(90).isoformat())
    assert again.exit_code == 0
    assert again.stdout.strip() == (
        "Rappels du 02/10/2022 déjà envoyés (2 utilisateurs) : rien n'a été envoyé."
    )
    assert len(smtp_server.messages) == 2


def test_cli_dry_run_sends_and_records_nothing(smtp_server, members):
    result = run("--date", before(7).isoformat(), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "cd67-admin <admin@cd67.test> : 1 rappel(s) — notice_deadline" in result.stdout
    assert "simulation, rien n'a été envoyé" in result.stdout
    assert smtp_server.messages == [] and not SentReminder.objects.exists()


def test_cli_smtp_failure_is_a_french_line_and_a_failure_exit(smtp_server, members):
    smtp_server.refused.add("lecteur@caf67.test")
    result = run("--date", before(90).isoformat())
    assert result.exit_code != 0
    assert "copil : erreur : envoi à caf67-lecteur impossible" in result.stderr
    assert "1 courriel(s) non envoyé(s)" in result.stderr


def test_cli_unreachable_server_records_nothing(no_smtp_server, members):
    result = run("--date", before(90).isoformat())
    assert result.exit_code != 0
    assert "ne répond pas" in result.stderr and "Traceback" not in result.output
    assert not SentReminder.objects.exists()


def test_cli_bad_date_is_a_french_error(members):
    result = run("--date", "2022-13-01")
    assert result.exit_code != 0 and "--date" in result.stderr


def test_cli_shows_a_progress_bar_for_many_users(smtp_server, members):
    convention, _ = members
    for i in range(21):
        user = UserFactory(username=f"agent-{i:02d}", email=f"agent{i}@cd67.test")
        MembershipFactory(user=user, convention=convention, role=Role.READER)
    result = run("--date", before(90).isoformat())
    assert result.exit_code == 0, result.output
    assert "Rappels" in result.stderr  # the bar's label
    assert len(smtp_server.messages) == 23
