"""The edit forms speak French next to the field; uploads are judged by their content."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from copil.plan import uploads
from copil.plan.forms import ActionForm, AttachmentForm, NoteForm

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _data(action, **overrides):
    data = {
        "version": action.version,
        "title": action.title,
        "status": action.status,
        "progress": action.progress,
    }
    return data | overrides


def test_end_before_start_is_refused_next_to_the_end_date(world):
    action = world.actions["cd"]
    form = ActionForm(
        _data(action, start_date="2025-06-01", end_date="2025-01-31"), instance=action
    )
    assert not form.is_valid()
    assert form.errors["end_date"] == [
        "La date de fin (31/01/2025) précède la date de début (01/06/2025)."
    ]
    assert "__all__" not in form.errors  # no generic "constraint violated" on top
    widget = form.fields["end_date"].widget
    assert widget.attrs["aria-invalid"] == "true"
    assert "id_end_date_error" in widget.attrs["aria-describedby"]


@pytest.mark.parametrize(
    ("progress", "message"),
    [
        ("101", "L'avancement ne peut pas dépasser 100 %."),
        ("-1", "L'avancement ne peut pas être négatif."),
        ("beaucoup", "Saisissez un nombre entier entre 0 et 100."),
    ],
)
def test_progress_stays_between_0_and_100(world, progress, message):
    action = world.actions["cd"]
    form = ActionForm(_data(action, progress=progress), instance=action)
    assert not form.is_valid()
    assert form.errors["progress"] == [message]


def test_title_is_required_and_dates_accept_the_french_format(world):
    action = world.actions["cd"]
    form = ActionForm(_data(action, title="", start_date="31/12/2025"), instance=action)
    assert not form.is_valid()
    assert form.errors == {"title": ["L'intitulé est obligatoire."]}


def test_a_new_form_carries_the_version_it_was_loaded_at(world):
    action = world.actions["cd"]
    action.version = 7
    assert 'name="version" value="7"' in str(ActionForm(instance=action)["version"])


def test_note_form_messages(world):
    form = NoteForm({"note-date": "", "note-text": ""})
    assert not form.is_valid()
    assert form.errors == {
        "date": ["La date est obligatoire."],
        "text": ["Le texte de la note est obligatoire."],
    }


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""})


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bilan.pdf", PDF, "PDF"),
        ("note.docx", DOCX, "DOCX"),
        ("tableau.xlsx", XLSX, "XLSX"),
        ("cr.odt", ODT, "ODT"),
        ("suivi.ods", ODS, "ODS"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "PNG"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "JPEG"),
        ("export.csv", "commune;familles\nSélestat;12\n".encode(), "CSV"),
    ],
)
def test_allowed_kinds_are_recognised_by_content(name, content, kind):
    form = AttachmentForm(files={"attachment-file": SimpleUploadedFile(name, content)})
    assert form.is_valid(), form.errors
    assert form.kind.name == kind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # an executable renamed .pdf
        ("rapport.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "n'est pas accepté"),
        # a plain text renamed .pdf
        ("rapport.pdf", b"pas un pdf du tout\n", "ne correspond pas à son extension"),
        # a real PDF renamed .docx
        ("rapport.docx", PDF, "Le contenu du fichier (PDF) ne correspond pas"),
        # a zip that is no office document
        ("archive.docx", _zip({"virus.exe": b"MZ"}), "n'est pas accepté"),
        ("vide.pdf", b"", "vide"),
    ],
)
def test_disguised_files_are_refused_in_french(name, content, message):
    form = AttachmentForm(files={"attachment-file": SimpleUploadedFile(name, content)})
    assert not form.is_valid()
    assert message in form.errors["file"][0]


def test_too_big_is_refused_in_french():
    content = PDF + b"\x00" * (10 * 1024 * 1024 + 512 * 1024)
    form = AttachmentForm(files={"attachment-file": SimpleUploadedFile("gros.pdf", content)})
    assert not form.is_valid()
    assert form.errors["file"] == ["Le fichier pèse 10,5 Mo : la limite est de 10 Mo."]


def test_the_limit_is_ten_megabytes():
    big = io.BytesIO(PDF)
    with pytest.raises(uploads.UploadRefused, match="pèse 11,0 Mo : la limite est de 10 Mo"):
        uploads.check_upload("gros.pdf", 11 * 1024 * 1024, big)
    assert uploads.check_upload("juste.pdf", 10 * 1024 * 1024, big).name == "PDF"
