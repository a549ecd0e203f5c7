"""The reminder preferences form: one checkbox per kind of reminder (checked: sent)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from copil.notifications.enums import ReminderKind

HELP = {
    ReminderKind.NOTICE_DEADLINE: _("90, 30 et 7 jours avant la date limite de dénonciation."),
    ReminderKind.STEERING_DUE: _(
        "Un mois avant la date à laquelle une instance doit s'être réunie, puis chaque "
        "lundi tant qu'elle ne s'est pas réunie (administrateurs et éditeurs)."
    ),
    ReminderKind.MILESTONE: _(
        "7 jours avant l'échéance, puis le lendemain et chaque lundi tant que le jalon "
        "n'est pas atteint (actions que vous pouvez modifier)."
    ),
    ReminderKind.MEASUREMENT: _(
        "Le 1er de chaque mois, pour les années échues qui ont une cible et aucune valeur."
    ),
    ReminderKind.TASK: _(
        "7 jours avant l'échéance, puis le lendemain et chaque lundi tant que la tâche "
        "n'est pas faite."
    ),
}


class ReminderPreferencesForm(forms.Form):
    def __init__(self, *args, turned_off: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for kind in ReminderKind:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=kind.value not in turned_off,
                help_text=HELP[kind],
            )

    def enabled_kinds(self) -> set[str]:
        return {name for name, value in self.cleaned_data.items() if value}
