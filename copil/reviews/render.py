"""The review's content as a downloadable document: PDF (WeasyPrint, from the Django
template also used by the web page), DOCX and ODT (copil.exporters, pure Python)."""

from __future__ import annotations

from django.template.loader import render_to_string

from copil.core.review import ReviewContent

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
FORMATS = tuple(CONTENT_TYPES)


def render_html(content: ReviewContent) -> str:
    return render_to_string("reviews/document.html", {"content": content, "document": True})


def render_pdf(content: ReviewContent) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(content)).write_pdf()


def render(content: ReviewContent, fmt: str) -> bytes:
    """The document's bytes in ``fmt`` ("pdf", "docx" or "odt")."""
    if fmt == "pdf":
        return render_pdf(content)
    if fmt == "docx":
        from copil.exporters.review_docx import review_docx

        return review_docx(content)
    if fmt == "odt":
        from copil.exporters.review_odt import review_odt

        return review_odt(content)
    raise ValueError(f"format inconnu : {fmt}")


def filename(convention_id: int, content: ReviewContent, fmt: str) -> str:
    """ "bilan-2020-convention-3.pdf": ASCII, no space, says what it is."""
    return f"bilan-{content.cover.year}-convention-{convention_id}.{fmt}"
