from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's form (argon2, django-axes behind authenticate()) with French messages."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Après 5 échecs, le compte est "
            "verrouillé pendant 15 minutes."
        ),
        "inactive": _("Ce compte est désactivé."),
    }
