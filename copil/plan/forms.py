from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from copil.plan import uploads
from copil.plan.enums import ActionStatus
from copil.plan.models import (
    Action,
    ActionLead,
    ActionPartner,
    BudgetLine,
    Comment,
    Deliverable,
    FollowUpNote,
    Indicator,
    Milestone,
)
from copil.plan.selectors import PlanFilterChoices
from copil.plan.services import EDITABLE_ACTION_FIELDS


class PlanFilterForm(forms.Form):
    """The plan page's filters, read from GET parameters; every field is optional."""

    theme = forms.TypedChoiceField(label=_("Thématique"), required=False, coerce=int)
    lead = forms.TypedChoiceField(label=_("Institution pilote"), required=False, coerce=int)
    partner = forms.TypedChoiceField(label=_("Partenaire associé"), required=False, coerce=int)
    status = forms.ChoiceField(label=_("État"), required=False)
    territory = forms.TypedChoiceField(label=_("Territoire"), required=False, coerce=int)
    year = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int)

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
        self.fields["territory"].choices = [("", _("Tous"))] + [
            (t.pk, str(t)) for t in choices.territories
        ]
        self.fields["year"].choices = [("", _("Toutes"))] + [(y, str(y)) for y in choices.years]

    def filters(self) -> dict:
        """The valid filters: an invalid value is dropped (and shown as an error), the page
        still answers."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


# --- editing -----------------------------------------------------------------------------


class AccessibleFormMixin:
    """Ties each field's help text and errors to its widget (aria-describedby) and marks
    invalid fields (aria-invalid), so that screen readers announce them with the field."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            bound = self[name]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}_help")
            if name in self.errors:
                described.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class ActionForm(AccessibleFormMixin, forms.ModelForm):
    """The fiche's own fields, and the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Action
        fields = EDITABLE_ACTION_FIELDS
        labels = {
            "title": _("Intitulé"),
            "shared_diagnosis": _("Diagnostic partagé"),
            "operational_objectives": _("Objectifs opérationnels"),
            "target_audiences": _("Publics visés"),
            "description": _("Descriptif de l'action"),
            "expected_results": _("Résultats attendus"),
            "schedule": _("Échéancier"),
            "status": _("État"),
            "progress": _("Avancement (%)"),
            "start_date": _("Date de début"),
            "end_date": _("Date de fin"),
        }
        help_texts = {
            "progress": _("Un nombre entier entre 0 et 100."),
            "start_date": _("Au format jj/mm/aaaa."),
            "end_date": _("Au format jj/mm/aaaa, au plus tôt la date de début."),
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in EDITABLE_ACTION_FIELDS
                if name not in ("title", "status", "progress", "start_date", "end_date")
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        progress = self.fields["progress"]
        progress.min_value, progress.max_value = 0, 100
        progress.widget.attrs.update(min=0, max=100)
        progress.error_messages.update(
            max_value=_("L'avancement ne peut pas dépasser 100 %."),
            min_value=_("L'avancement ne peut pas être négatif."),
            invalid=_("Saisissez un nombre entier entre 0 et 100."),
        )
        self.fields["title"].error_messages["required"] = _("L'intitulé est obligatoire.")
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
            self.fields[name].error_messages["invalid"] = _(
                "Saisissez une date valide, par exemple 31/12/2025."
            )

    def clean_progress(self):
        progress = self.cleaned_data["progress"]
        if progress is not None and progress > 100:
            raise forms.ValidationError(self.fields["progress"].error_messages["max_value"])
        if progress is not None and progress < 0:
            raise forms.ValidationError(self.fields["progress"].error_messages["min_value"])
        return progress

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("La date de fin (%(end)s) précède la date de début (%(start)s).")
                % {"end": f"{end:%d/%m/%Y}", "start": f"{start:%d/%m/%Y}"},
            )
        return cleaned

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_ACTION_FIELDS}


class NoteForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUpNote
        fields = ("date", "text")
        labels = {"date": _("Date"), "text": _("Note de suivi")}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "date": {"required": _("La date est obligatoire.")},
            "text": {"required": _("Le texte de la note est obligatoire.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)
        self.fields["date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["date"].error_messages["invalid"] = _(
            "Saisissez une date valide, par exemple 31/12/2025."
        )


class CommentForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ("text",)
        labels = {"text": _("Commentaire")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": _("Le commentaire est vide.")}}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)


class AttachmentForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Pièce jointe"),
        help_text=format_lazy(
            _("10 Mo au plus ; formats acceptés : {formats}."), formats=uploads.ALLOWED_NAMES
        ),
        error_messages={"required": _("Choisissez un fichier.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "attachment")
        super().__init__(*args, **kwargs)
        self.kind: uploads.FileKind | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.kind = uploads.check_upload(upload.name, upload.size, upload)
        except uploads.UploadRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


# --- the structured parts: one inline formset each ----------------------------------------


class PartForm(AccessibleFormMixin, forms.ModelForm):
    """A row of a part; institutions' choices are given once per page (see PartFormSet)."""


class PartFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, institution_choices=None, **kwargs) -> None:
        self.institution_choices = institution_choices
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        field = form.fields.get("institution")
        if field is not None and self.institution_choices is not None:
            # One query for the whole page instead of one per row.
            field.choices = self.institution_choices()
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer cette ligne")
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        field = form.fields.get("institution")
        if field is not None and self.institution_choices is not None:
            field.choices = self.institution_choices()
        return form


def _part_formset(model, fields, labels, widgets=None):
    return forms.inlineformset_factory(
        Action,
        model,
        form=PartForm,
        formset=PartFormSet,
        fields=fields,
        labels=labels,
        widgets=widgets or {},
        extra=1,
        can_delete=True,
        can_delete_extra=False,
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

#: related name -> (title of its fieldset, singular of a row, formset class)
PART_FORMSETS = {
    "leads": (
        _("Pilotes de l'action"),
        _("Pilote"),
        _part_formset(
            ActionLead,
            ("institution", "unit"),
            {"institution": _("Institution"), "unit": _("Service pilote")},
        ),
    ),
    "partner_links": (
        _("Partenaires associés"),
        _("Partenaire"),
        _part_formset(ActionPartner, ("institution",), {"institution": _("Institution")}),
    ),
    "budget_lines": (
        _("Budget prévisionnel"),
        _("Ligne budgétaire"),
        _part_formset(
            BudgetLine,
            ("institution", "amount_eur", "fte", "text"),
            {
                "institution": _("Institution"),
                "amount_eur": _("Montant (€)"),
                "fte": _("ETP (équivalents temps plein)"),
                "text": _("Précisions"),
            },
            {"text": forms.Textarea(attrs={"rows": 2})},
        ),
    ),
    "indicators": (
        _("Indicateurs d'évaluation"),
        _("Indicateur"),
        _part_formset(
            Indicator,
            ("label", "kind"),
            {"label": _("Libellé"), "kind": _("Nature")},
            {"label": forms.TextInput(attrs={"size": 60})},
        ),
    ),
    "milestones": (
        _("Jalons"),
        _("Jalon"),
        _part_formset(
            Milestone,
            ("label", "due_date", "reached_on"),
            {"label": _("Étape"), "due_date": _("Échéance"), "reached_on": _("Atteinte le")},
            {"label": forms.TextInput(attrs={"size": 60}), "due_date": DATE, "reached_on": DATE},
        ),
    ),
    "deliverables": (
        _("Livrables"),
        _("Livrable"),
        _part_formset(
            Deliverable,
            ("label",),
            {"label": _("Livrable")},
            {"label": forms.TextInput(attrs={"size": 60})},
        ),
    ),
}
