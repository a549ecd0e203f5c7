"""Forms of the import page and of amendments; French labels and messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from copil.conventions.models import Amendment, Convention
from copil.importers.formats import ACCEPTED

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ACCEPTED_EXTENSIONS = (".txt", ".text", ".docx", ".odt", ".pdf", ".md", ".markdown", ".json")


class UploadForm(forms.Form):
    """The document; the target convention is chosen only when the user has a choice."""

    document = forms.FileField(
        label=_("Document de la convention"),
        help_text=_("%(formats)s ; 20 Mo au plus.") % {"formats": ACCEPTED},
        error_messages={
            "required": _("Choisissez un fichier."),
            "empty": _("Le fichier est vide."),
            "invalid": _("Le fichier n'a pas été reçu : recommencez."),
        },
    )
    convention = forms.ModelChoiceField(
        label=_("Convention à mettre à jour"),
        queryset=Convention.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choisissez une convention de la liste.")},
    )

    def __init__(self, *args, targets=None, may_create: bool = False, **kwargs):
        """``targets``: the conventions the user may import into (None: the convention is
        fixed by the URL, the field is dropped); ``may_create``: a new convention allowed."""
        super().__init__(*args, **kwargs)
        self.may_create = may_create
        if targets is None:
            del self.fields["convention"]
        else:
            field = self.fields["convention"]
            field.queryset = targets
            field.required = not may_create
            field.empty_label = _("Nouvelle convention") if may_create else _("— choisir —")
        self.fields["document"].widget.attrs["accept"] = ",".join(ACCEPTED_EXTENSIONS)

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse la taille maximale de 20 Mo (%(size)s Mo).")
                % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")}
            )
        return upload


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AmendmentForm(forms.ModelForm):
    class Meta:
        model = Amendment
        fields = ["title", "description", "effective_date"]
        widgets = {"effective_date": DateInput()}
        error_messages = {"title": {"required": _("Indiquez l'objet de l'avenant.")}}


class SignForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Date de signature"),
        widget=DateInput(),
        error_messages={
            "required": _("Indiquez la date de signature."),
            "invalid": _("Saisissez une date valide."),
        },
    )


class VersionsForm(forms.Form):
    """Which two versions to compare (?de=1&a=2)."""

    de = forms.TypedChoiceField(label=_("De la version"), coerce=int)
    a = forms.TypedChoiceField(label=_("À la version"), coerce=int)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, f"{v.number} — {v.label}") for v in versions]
        for name in ("de", "a"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _("Cette version n'existe pas.")
            self.fields[name].error_messages["required"] = _("Choisissez une version.")
