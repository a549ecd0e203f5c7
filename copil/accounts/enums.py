from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role on one convention (see copil.accounts.perms for what each may do)."""

    ADMIN = "admin", _("Administrateur")
    EDITOR = "editor", _("Éditeur")
    LEAD_EDITOR = "lead_editor", _("Éditeur des actions pilotées")
    READER = "reader", _("Lecteur")
