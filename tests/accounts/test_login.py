"""Signing in: French pages, throttled attempts, every other page behind the login."""

import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "un-mot-de-passe-solide-67"


@pytest.fixture
def agent():
    return UserFactory(username="marie.dupont", password=PASSWORD)


@pytest.fixture
def fast_agent(settings):
    """For the lockout tests: argon2 (tested above) costs half a second per attempt."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return UserFactory(username="marie.dupont", password=PASSWORD)


def _login(client, password):
    return client.post(reverse("login"), {"username": "marie.dupont", "password": password})


def test_login_page_is_french_and_public(client):
    response = client.get("/connexion/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert "<h1>Connexion</h1>" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_username">Identifiant</label>' in html


def test_login_then_logout(client, agent):
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get("/").status_code == 200
    assert client.get("/deconnexion/").status_code == 405  # POST only
    response = client.post("/deconnexion/")
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get("/").status_code == 302


def test_a_wrong_password_says_so_in_french(client, agent):
    response = _login(client, "pas-le-bon")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_five_failures_lock_the_account_for_15_minutes_and_say_so(client, fast_agent):
    for _ in range(4):
        assert _login(client, "pas-le-bon").status_code == 200
    response = _login(client, "pas-le-bon")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Ce compte est temporairement verrouillé après trop de tentatives" in html
    assert "15 minutes" in html
    # Even the right password is refused while the account is locked.
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "temporairement verrouillé" in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_lock_lifts_after_15_minutes(client, fast_agent):
    for _ in range(5):
        _login(client, "pas-le-bon")
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert _login(client, PASSWORD).status_code == 302


@pytest.mark.parametrize("path", ["/", "/conventions/1/", "/conventions/1/plan/", "/actions/1/"])
def test_every_page_but_login_requires_a_signed_in_user(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/connexion/?next={path}"


def test_passwords_are_hashed_with_argon2(agent):
    assert agent.password.startswith("argon2$")


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_csrf_is_enforced_on_login(agent):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "marie.dupont", "password": PASSWORD})
    assert response.status_code == 403


def test_check_deploy_is_clean_in_production(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("COPIL_", "DJANGO_", "DATABASE_URL"))
    }
    env |= {
        "COPIL_ENV": "production",
        "COPIL_SECRET_KEY": secrets.token_urlsafe(60),
        "COPIL_ALLOWED_HOSTS": "copil.example.fr",
        "COPIL_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
