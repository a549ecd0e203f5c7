"""Forms of the annual review: the year of a new review, the narrative, the transitions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from copil.governance.models import Meeting
from copil.plan.forms import AccessibleFormMixin


class CreateReviewForm(AccessibleFormMixin, forms.Form):
    year = forms.TypedChoiceField(
        label=_("Année du bilan"),
        coerce=int,
        help_text=_("Une année de la vie de la convention qui n'a pas encore de bilan."),
        error_messages={
            "required": _("Choisissez l'année du bilan."),
            "invalid_choice": _("Choisissez une année de la liste."),
        },
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Choisir une année"))] + [(y, str(y)) for y in years]


class GeneralForm(AccessibleFormMixin, forms.Form):
    """Introduction and conclusion, with the version they were loaded at."""

    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ThemeNarrativeForm(AccessibleFormMixin, forms.Form):
    """Acquis, difficultés, perspectives of one theme."""

    theme = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    achievements = forms.CharField(
        label=_("Acquis"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    difficulties = forms.CharField(
        label=_("Difficultés"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outlook = forms.CharField(
        label=_("Perspectives"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class TransitionForm(AccessibleFormMixin, forms.Form):
    """Mark reviewed / validate, optionally in a meeting of the right committee."""

    meeting = forms.ModelChoiceField(
        label=_("Séance"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Sans séance (non rattaché à une réunion)"),
        help_text=_(
            "Choisissez la réunion si elle est enregistrée dans « Gouvernance » : "
            "le bilan y sera rattaché."
        ),
        error_messages={"invalid_choice": _("Choisissez une séance de la liste.")},
    )

    def __init__(self, *args, meetings: list[Meeting], label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.label = label
        field.queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings])
        field.choices = [("", field.empty_label)] + [
            (m.pk, f"{m.body.name} du {m.date:%d/%m/%Y}") for m in meetings
        ]
