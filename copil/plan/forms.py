from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from copil.plan.enums import ActionStatus
from copil.plan.selectors import PlanFilterChoices


class PlanFilterForm(forms.Form):
    """The plan page's filters, read from GET parameters; every field is optional."""

    theme = forms.TypedChoiceField(label=_("Thématique"), required=False, coerce=int)
    lead = forms.TypedChoiceField(label=_("Institution pilote"), required=False, coerce=int)
    partner = forms.TypedChoiceField(label=_("Partenaire associé"), required=False, coerce=int)
    status = forms.ChoiceField(label=_("État"), required=False)

    def __init__(self, data, choices: PlanFilterChoices) -> None:
        super().__init__(data)
        every = [("", _("Toutes"))]
        self.fields["theme"].choices = every + [
            (t.pk, f"{t.number}. {t.title}") for t in choices.themes
        ]
        self.fields["lead"].choices = every + [(i.pk, str(i)) for i in choices.leads]
        self.fields["partner"].choices = [("", _("Tous"))] + [
            (i.pk, str(i)) for i in choices.partners
        ]
        self.fields["status"].choices = [("", _("Tous"))] + list(ActionStatus.choices)

    def filters(self) -> dict:
        """The valid filters: an invalid value is dropped (and shown as an error), the page
        still answers."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
