"""Forms of indicator monitoring; French errors shown next to their field."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from copil.core.indicators import (
    IndicatorValueError,
    format_number,
    is_masked_text,
    parse_number,
    parse_value,
    reading,
)
from copil.core.periods import PeriodError, parse_period
from copil.institutions.models import Territory
from copil.monitoring.services import INDICATOR_FIELDS, MeasurementInput, TargetInput
from copil.plan.enums import IndicatorValueType
from copil.plan.forms import AccessibleFormMixin
from copil.plan.models import Indicator

MAX_CSV_BYTES = 1_500_000  # kept under Django's 2.5 MB POST limit once base64-encoded


class FrenchNumberField(forms.CharField):
    """A number written the French way ("1 234,5") or the English way ("1234.5")."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return format_number(value)
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_number(text)
        except IndicatorValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class IndicatorForm(AccessibleFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    baseline = FrenchNumberField(label=_("Valeur de référence"), required=False)

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        labels = {
            "label": _("Libellé"),
            "kind": _("Nature"),
            "value_type": _("Type de valeur"),
            "unit": _("Unité"),
            "direction": _("Sens"),
            "baseline_year": _("Année de référence"),
            "breakdown": _("Ventilation territoriale"),
        }
        help_texts = {
            "unit": _("Par exemple : familles, %, jours."),
            "breakdown": _("Le type de territoire par lequel les mesures sont ventilées."),
            "value_type": _("Ne peut plus changer une fois des mesures saisies."),
        }
        widgets = {"label": forms.TextInput(attrs={"size": 70})}
        error_messages = {
            "label": {"required": _("Le libellé est obligatoire.")},
            "baseline_year": {"invalid": _("Saisissez une année, par exemple 2019.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.fields["kind"].choices = [("", _("Non précisée"))] + list(self.fields["kind"].choices)[
            1:
        ]
        self.fields["breakdown"].choices = [("", _("Aucune (toute la convention)"))] + list(
            self.fields["breakdown"].choices
        )[1:]

    def clean_baseline_year(self):
        year = self.cleaned_data.get("baseline_year")
        if year is not None and not 1900 <= year <= 2100:
            raise forms.ValidationError(_("Saisissez une année entre 1900 et 2100."))
        return year

    def definition(self) -> dict:
        return {name: self.cleaned_data[name] for name in INDICATOR_FIELDS}


class TargetForm(AccessibleFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Année"),
        min_value=1900,
        max_value=2100,
        error_messages={
            "required": _("L'année est obligatoire."),
            "invalid": _("Saisissez une année, par exemple 2021."),
            "min_value": _("Saisissez une année entre 1900 et 2100."),
            "max_value": _("Saisissez une année entre 1900 et 2100."),
        },
    )
    territory = forms.TypedChoiceField(
        label=_("Territoire"), required=False, coerce=int, empty_value=None
    )
    value = FrenchNumberField(
        label=_("Cible"), error_messages={"required": _("La valeur cible est obligatoire.")}
    )

    def __init__(self, *args, territory_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = [("", _("Toute la convention")), *territory_choices]


class BaseTargetFormSet(forms.BaseFormSet):
    def __init__(self, *args, territory_choices=(), **kwargs) -> None:
        self.territory_choices = territory_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "territory_choices": self.territory_choices}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer cette cible")
        return form

    def targets(self) -> list[TargetInput]:
        return [
            TargetInput(
                year=form.cleaned_data["year"],
                value=form.cleaned_data["value"],
                territory_id=form.cleaned_data.get("territory"),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


TargetFormSet = forms.formset_factory(
    TargetForm, formset=BaseTargetFormSet, extra=2, can_delete=True, can_delete_extra=False
)


def territory_choices(indicator: Indicator) -> list[tuple[int, str]]:
    """The territories a measurement or target of ``indicator`` may be about: those of
    its breakdown kind, or every territory when it has none. One query."""
    territories = Territory.objects.order_by("kind", "name")
    if indicator.breakdown:
        territories = territories.filter(kind=indicator.breakdown)
        return list(territories.values_list("pk", "name"))
    return [(t.pk, f"{t.name} ({t.get_kind_display()})") for t in territories]


class MeasurementForm(AccessibleFormMixin, forms.Form):
    """One measurement: the value field fits the indicator's type (a number, oui/non, a
    text). Those who may not see small counts get them masked ("< 5"), which kept as is
    means "unchanged"."""

    period = forms.CharField(
        label=_("Période"),
        max_length=7,
        help_text=_("2020 (année), 2020-S1 (semestre), 2020-T1 (trimestre) ou 2020-03 (mois)."),
        error_messages={"required": _("La période est obligatoire.")},
    )
    territory = forms.TypedChoiceField(
        label=_("Territoire"), required=False, coerce=int, empty_value=None
    )
    value = forms.CharField(label=_("Valeur"), required=False)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        error_messages={"max_length": _("300 caractères au plus.")},
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        indicator: Indicator,
        territories: list[tuple[int, str]],
        measurement=None,
        threshold: int = 5,
        unmasked: bool = False,
        **kwargs,
    ) -> None:
        self.indicator, self.measurement = indicator, measurement
        self.unmasked, self.threshold = unmasked, threshold
        if measurement is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "period": measurement.period,
                "territory": measurement.territory_id,
                "value": self._initial_value(measurement),
                "source": measurement.source,
                "comment": measurement.comment,
                "version": measurement.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = [("", _("Toute la convention")), *territories]
        if indicator.breakdown:
            self.fields["territory"].help_text = _("Territoires de type « %(kind)s ».") % {
                "kind": indicator.get_breakdown_display()
            }
        value = self.fields["value"]
        value_type = indicator.value_type
        unit = f" ({indicator.unit})" if indicator.unit else ""
        value.label = f"{_('Valeur')}{unit}"
        if value_type == IndicatorValueType.BOOLEAN:
            self.fields["value"] = forms.ChoiceField(
                label=_("Valeur"),
                choices=[("oui", _("oui")), ("non", _("non"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Répondez « oui » ou « non ».")},
            )
        elif value_type == IndicatorValueType.TEXT:
            value.widget = forms.Textarea(attrs={"rows": 3})
        else:
            value.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            value.help_text = _("Un nombre, par exemple 1234 ou 12,5.")
            if indicator.is_count and not unmasked:
                value.help_text = _(
                    "Un nombre, par exemple 1234. Une valeur masquée (« < %(threshold)s ») "
                    "laissée telle quelle reste inchangée."
                ) % {"threshold": threshold}

    def _initial_value(self, measurement) -> str:
        shown = reading(
            measurement.value,
            measurement.value_text,
            value_type=self.indicator.value_type,
            threshold=self.threshold,
            unmasked=self.unmasked,
        )
        return "" if shown.text == "—" else shown.text

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"]).label
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_value(self):
        text = self.cleaned_data.get("value") or ""
        if self.indicator.is_count and is_masked_text(text):
            if self.measurement is None or self.unmasked:
                raise forms.ValidationError(_("Indiquez la valeur exacte."))
            return (self.measurement.value, "")
        try:
            return parse_value(text, self.indicator.value_type)
        except IndicatorValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def data_input(self) -> MeasurementInput:
        value, value_text = self.cleaned_data["value"]
        return MeasurementInput(
            period=self.cleaned_data["period"],
            value=value,
            value_text=value_text,
            territory_id=self.cleaned_data.get("territory"),
            source=self.cleaned_data.get("source", ""),
            comment=self.cleaned_data.get("comment", ""),
        )


class ReasonForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motif de la réouverture"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il sera conservé dans l'historique."),
        error_messages={
            "required": _("Indiquez le motif de la réouverture."),
            "max_length": _("400 caractères au plus."),
        },
    )


class PeriodForm(AccessibleFormMixin, forms.Form):
    period = forms.CharField(
        label=_("Période"),
        max_length=7,
        error_messages={"required": _("La période est obligatoire.")},
    )

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"]).label
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc


class PeriodReopenForm(PeriodForm, ReasonForm):
    pass


class SecrecyForm(AccessibleFormMixin, forms.Form):
    secrecy_threshold = forms.IntegerField(
        label=_("Seuil de secret statistique"),
        min_value=1,
        max_value=1000,
        help_text=_(
            "Les effectifs de 1 jusqu'à ce seuil moins un sont masqués (« < seuil ») dans "
            "toutes les pages et tous les exports. 5 par défaut."
        ),
        error_messages={
            "required": _("Le seuil est obligatoire."),
            "invalid": _("Saisissez un nombre entier, par exemple 5."),
            "min_value": _("Le seuil doit valoir au moins 1."),
            "max_value": _("Le seuil ne peut pas dépasser 1000."),
        },
    )


class ImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des mesures"),
        help_text=_(
            "Le format de l'export : UTF-8, séparateur point-virgule, mêmes colonnes "
            "(1,5 Mo au plus)."
        ),
        error_messages={
            "required": _("Choisissez un fichier."),
            "empty": _("Le fichier est vide."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 1,5 Mo."))
        return upload
