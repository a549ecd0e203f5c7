"""Django settings, read from the environment (12-factor).

DATABASE_URL selects the database (default: an SQLite file under var/);
PostgreSQL is the production database. COPIL_ENV=production switches on the
deployment hardening that `manage.py check --deploy` expects.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("COPIL_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("COPIL_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = os.environ.get("COPIL_DEBUG", "0" if PRODUCTION else "1") == "1"
SECRET_KEY = os.environ.get("COPIL_SECRET_KEY") or (
    "dev-only-insecure-key-change-me" if not PRODUCTION else ""
)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("COPIL_SECRET_KEY must be set when COPIL_ENV=production")
ALLOWED_HOSTS = os.environ.get("COPIL_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "copil.accounts",
    "copil.audit",
    "copil.institutions",
    "copil.conventions",
    "copil.plan",
    "copil.governance",
    "copil.monitoring",
    "copil.reviews",
    "copil.notifications",
    "copil.renewals",
    "copil.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user, except those marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "copil.audit.middleware.AuditActorMiddleware",
    # Last, as django-axes requires: turns a lockout into the login page's message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "copil.project.urls"
WSGI_APPLICATION = "copil.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "copil" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'copil.sqlite3'}"),
        conn_max_age=int(os.environ.get("COPIL_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out accounts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttled logins (django-axes): 5 failures lock the account for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
# Per account, not per IP: a Département's staff share one outgoing address, and five
# typos there must not lock everyone out. axes.W006 warns about rotating user agents or
# cookies, which only matters for lockouts keyed on them: not the case here.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "copil.accounts.views.locked_out"
AXES_VERBOSE = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "copil" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# copil/static/: vendored front-end files (htmx), committed, so nothing is built at run time.
# runserver serves them (DEBUG); in production run `manage.py collectstatic` and let the
# web server serve STATIC_ROOT at /static/ (docs/htmx.md). Pages work without them.
STATICFILES_DIRS = [BASE_DIR / "copil" / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("COPIL_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Outgoing mail (`copil remind`): real SMTP, configured from the environment.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("COPIL_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("COPIL_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("COPIL_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("COPIL_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("COPIL_SMTP_TLS", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("COPIL_SMTP_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("COPIL_FROM_EMAIL", "copil <noreply@localhost>")
# Where the links of reminder emails point (no request to build them from in cron).
COPIL_BASE_URL = os.environ.get("COPIL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COPIL_LOG_LEVEL", "WARNING")},
}
