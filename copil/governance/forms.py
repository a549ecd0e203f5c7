"""Forms of the governance pages. The rows of a meeting (attendees, agenda, decisions,
tasks) are inline formsets whose choices are restricted to the meeting's convention and
read once per page (selectors.ConventionChoices); their checks are the services' own,
run here so that each error shows next to its field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from copil.core.governance import parse_frequency
from copil.governance import services
from copil.governance.models import (
    AgendaItem,
    Attendee,
    BodyMember,
    Decision,
    FollowUpTask,
    GovernanceBody,
    Meeting,
)
from copil.governance.selectors import ConventionChoices
from copil.plan.forms import AccessibleFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
INVALID_DATE = _("Saisissez une date valide, par exemple 31/12/2025.")
EMPTY = [("", "---------")]


def _dates(form: forms.Form, *names: str) -> None:
    for name in names:
        field = form.fields[name]
        field.input_formats = DATE_FORMATS
        field.error_messages["invalid"] = INVALID_DATE


def _apply_service_check(form: forms.Form, check, *args) -> None:
    """Run a service check and put its errors next to the fields they name."""
    try:
        check(*args)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)


# --- bodies -----------------------------------------------------------------------------


class BodyForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = GovernanceBody
        fields = services.BODY_FIELDS
        labels = {
            "kind": _("Nature"),
            "name": _("Nom de l'instance"),
            "frequency": _("Fréquence de réunion"),
            "composition": _("Composition (texte de la convention)"),
        }
        help_texts = {
            "frequency": _(
                "Les mots de la convention : « au moins une fois par an », « trimestrielle », "
                "« en tant que de besoin »…"
            ),
            "composition": _(
                "À la création, les membres sont lus dans ce texte ; ensuite, gérez-les "
                "dans la liste des membres."
            ),
        }
        widgets = {"composition": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": _("Le nom de l'instance est obligatoire.")}}

    @property
    def rule_label(self) -> str:
        value = self["frequency"].value() or ""
        return parse_frequency(value).label


class MemberForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ("role", "institution", "name")
        labels = {"role": _("Qualité"), "institution": _("Institution"), "name": _("Nom")}
        error_messages = {"role": {"required": _("La qualité du membre est obligatoire.")}}


class ChoicesFormSet(forms.BaseInlineFormSet):
    """Inline formset whose select fields read their choices once per page."""

    #: field name -> ConventionChoices method
    choice_fields: dict[str, str] = {}

    def __init__(self, *args, choices: ConventionChoices, **kwargs) -> None:
        self.choices = choices
        super().__init__(*args, **kwargs)

    def _restrict(self, form: forms.Form) -> forms.Form:
        for name, method in self.choice_fields.items():
            field = form.fields.get(name)
            if field is None:
                continue
            objects = getattr(self.choices, method)()
            field.queryset = field.queryset.filter(pk__in=[o.pk for o in objects])
            labels = [(o.pk, self.label(name, o)) for o in objects]
            multiple = isinstance(field, forms.ModelMultipleChoiceField)
            field.choices = labels if multiple else [*EMPTY, *labels]
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer cette ligne")
        form.formset = self
        return form

    @staticmethod
    def label(name: str, obj) -> str:
        if name in ("action", "actions"):
            return f"{obj.number} — {obj.title}"[:120]
        if name == "amendment":
            return f"Avenant n° {obj.number} — {obj.title}"[:120]
        if name == "owner":
            full = obj.get_full_name() or obj.get_username()
            return f"{full} ({obj.institution})" if obj.institution_id else full
        return str(obj)

    def _construct_form(self, i, **kwargs):
        return self._restrict(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self):
        return self._restrict(super().empty_form)


class MemberFormSet(ChoicesFormSet):
    choice_fields = {"institution": "institutions"}


MembersFormSet = forms.inlineformset_factory(
    GovernanceBody,
    BodyMember,
    form=MemberForm,
    formset=MemberFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
)


# --- meetings ---------------------------------------------------------------------------


class MeetingCreateForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ("body", "date", "title", "location")
        labels = {
            "body": _("Instance"),
            "date": _("Date"),
            "title": _("Intitulé"),
            "location": _("Lieu"),
        }
        help_texts = {
            "date": _("Au format jj/mm/aaaa."),
            "title": _("Facultatif : par défaut, l'instance et la date."),
        }
        widgets = {"date": DATE}
        error_messages = {
            "body": {
                "required": _("Choisissez l'instance qui se réunit."),
                "invalid_choice": _("Choisissez une instance de cette convention."),
            },
            "date": {"required": _("La date de la réunion est obligatoire.")},
        }

    def __init__(self, *args, convention, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = GovernanceBody.objects.filter(convention=convention)
        self.fields["body"].empty_label = None
        _dates(self, "date")


class MeetingForm(AccessibleFormMixin, forms.ModelForm):
    """The meeting's own fields, and the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Meeting
        fields = services.MEETING_FIELDS
        labels = {
            "date": _("Date"),
            "title": _("Intitulé"),
            "location": _("Lieu"),
            "minutes": _("Compte rendu"),
        }
        help_texts = {"date": _("Au format jj/mm/aaaa.")}
        widgets = {"date": DATE, "minutes": forms.Textarea(attrs={"rows": 8})}
        error_messages = {"date": {"required": _("La date de la réunion est obligatoire.")}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        _dates(self, "date")

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.MEETING_FIELDS}


class AttendeeForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Attendee
        fields = ("name", "institution", "role", "presence")
        labels = {
            "name": _("Nom"),
            "institution": _("Institution"),
            "role": _("Qualité"),
            "presence": _("Présence"),
        }
        error_messages = {"name": {"required": _("Le nom du participant est obligatoire.")}}


class AgendaItemForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ("title", "action", "notes")
        labels = {"title": _("Point"), "action": _("Action concernée"), "notes": _("Notes")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "title": {"required": _("L'intitulé du point est obligatoire.")},
            "action": {"invalid_choice": _("Choisissez une action de cette convention.")},
        }


class DecisionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ("kind", "text", "actions", "amendment")
        labels = {
            "kind": _("Nature"),
            "text": _("Texte"),
            "actions": _("Actions concernées"),
            "amendment": _("Avenant concerné"),
        }
        help_texts = {"actions": _("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "text": {"required": _("Le texte de la décision est obligatoire.")},
            "actions": {
                "invalid_choice": _("Choisissez des actions de cette convention."),
                "invalid_pk_value": _("Choisissez des actions de cette convention."),
            },
            "amendment": {"invalid_choice": _("Choisissez un avenant de cette convention.")},
        }


class TaskForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUpTask
        fields = ("title", "owner", "owner_label", "due_date", "decision", "done_on")
        labels = {
            "title": _("Tâche"),
            "owner": _("Responsable"),
            "owner_label": _("Responsable (s'il n'a pas de compte copil)"),
            "due_date": _("Échéance"),
            "decision": _("Décision d'origine"),
            "done_on": _("Faite le"),
        }
        widgets = {"due_date": DATE, "done_on": DATE}
        error_messages = {
            "title": {"required": _("L'intitulé de la tâche est obligatoire.")},
            "owner": {"invalid_choice": _("Choisissez un membre de cette convention.")},
            "decision": {"invalid_choice": _("Choisissez une décision de cette réunion.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "due_date", "done_on")

    def clean(self):
        cleaned = super().clean()
        meeting = self.formset.instance
        if not self.errors:
            _apply_service_check(
                self,
                services.check_task_dates,
                meeting.date,
                cleaned.get("due_date"),
                cleaned.get("done_on"),
            )
        return cleaned


class AttendeeFormSet(ChoicesFormSet):
    choice_fields = {"institution": "institutions"}


class AgendaFormSet(ChoicesFormSet):
    choice_fields = {"action": "actions"}


class DecisionFormSet(ChoicesFormSet):
    choice_fields = {"actions": "actions", "amendment": "amendments"}

    def __init__(self, *args, **kwargs) -> None:
        # Each row's initial actions from one query, not one per decision.
        kwargs.setdefault("queryset", Decision.objects.prefetch_related("actions"))
        super().__init__(*args, **kwargs)


class TaskFormSet(ChoicesFormSet):
    choice_fields = {"owner": "members", "decision": "decisions"}


def _meeting_formset(model, form, formset):
    return forms.inlineformset_factory(
        Meeting,
        model,
        form=form,
        formset=formset,
        extra=3,  # room for several rows per save (a committee takes several decisions)
        can_delete=True,
        can_delete_extra=False,
    )


#: related name -> (title of its fieldset, singular of a row, formset class)
MEETING_FORMSETS = {
    "attendees": (
        _("Participants"),
        _("Participant"),
        _meeting_formset(Attendee, AttendeeForm, AttendeeFormSet),
    ),
    "agenda_items": (
        _("Ordre du jour"),
        _("Point"),
        _meeting_formset(AgendaItem, AgendaItemForm, AgendaFormSet),
    ),
    "decisions": (
        _("Décisions"),
        _("Décision"),
        _meeting_formset(Decision, DecisionForm, DecisionFormSet),
    ),
    "tasks": (
        _("Tâches de suivi"),
        _("Tâche"),
        _meeting_formset(FollowUpTask, TaskForm, TaskFormSet),
    ),
}


class TaskDoneForm(AccessibleFormMixin, forms.Form):
    done_on = forms.DateField(
        label=_("Faite le"),
        widget=DATE,
        error_messages={"required": _("La date de réalisation est obligatoire.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "done_on")
