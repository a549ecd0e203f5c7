"""The "Renouveler la convention" form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from copil.conventions.forms import DateInput


class RenewalForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Date d'effet de la nouvelle convention"),
        widget=DateInput(),
        help_text=_("Au plus tôt le lendemain de la fin de la convention actuelle."),
        error_messages={
            "required": _("Indiquez la date d'effet de la nouvelle convention."),
            "invalid": _("Saisissez une date valide (jj/mm/aaaa)."),
        },
    )
    title = forms.CharField(
        label=_("Intitulé de la nouvelle convention"),
        max_length=300,
        required=False,
        help_text=_("Laissé vide : l'intitulé actuel suivi de « renouvellement » et de l'année."),
        error_messages={
            "max_length": _("300 caractères au plus (vous en avez saisi %(show_value)d).")
        },
    )
    copy_plan = forms.BooleanField(
        label=_("Reprendre le projet de coopération (thématiques, fiches action, indicateurs)"),
        required=False,
        initial=True,
        help_text=_(
            "Les fiches action repartent à l'état « à venir », avancement 0 ; jalons, notes, "
            "commentaires, pièces jointes et mesures restent avec la convention actuelle."
        ),
    )
