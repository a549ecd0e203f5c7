"""A validated review is frozen: its content is stored at the validation and its page and
every file (web and command line) are rendered from that snapshot, whatever changes in
the data afterwards; drafts stay computed from the live data."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.utils import timezone

from copil.accounts.enums import Role
from copil.audit.context import Actor, acting_as
from copil.audit.models import AuditEntry
from copil.cli import cli
from copil.core import review as doc
from copil.monitoring import services as monitoring_services
from copil.monitoring.models import Measurement
from copil.plan import services as plan_services
from copil.reviews import selectors, services
from tests.factories import MembershipFactory, UserFactory
from tests.reviews.conftest import DECISION_51
from tests.reviews.test_views import _build

pytestmark = pytest.mark.django_db
INDICATOR = "Nombre d'assistants maternels en activité"


def _admin(convention):
    user = UserFactory()
    MembershipFactory(user=user, convention=convention, role=Role.ADMIN)
    return user


def _validated(convention, year, admin):
    review = services.create_review(convention, year)
    review = services.mark_reviewed(review, user=admin)
    return services.validate_review(review, user=admin)


def _pdf_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    return "\n".join(
        "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
        for element in document.element.body.iterchildren()
    )


def _indicator(content: doc.ReviewContent, number: str, label: str = INDICATOR):
    action = next(a for t in content.themes for a in t.actions if a.number == number)
    return action, next(i for i in action.indicators if i.label == label)


def _page_body(html: str) -> str:
    return html[html.index('<div class="review-content">') :]


def test_the_snapshot_round_trip(demo):
    content = selectors.review_content(demo.convention, 2020)
    data = json.loads(json.dumps(doc.to_dict(content)))  # what the JSONField stores
    assert data["schema"] == doc.SCHEMA
    loaded = doc.from_dict(data)
    assert loaded == content
    _, indicator = _indicator(loaded, "5.3")
    assert indicator.chart.points[-1].value == Decimal(55)  # exact decimals, not floats
    assert isinstance(loaded.themes, tuple) and isinstance(loaded.toc[0], doc.TocEntry)
    with pytest.raises(doc.SnapshotError, match="schema"):
        doc.from_dict({**data, "schema": doc.SCHEMA + 1})
    with pytest.raises(doc.SnapshotError):
        doc.from_dict({**data, "cover": {"title": 3}})


def test_a_validated_review_is_frozen_and_drafts_stay_live(client, demo, tmp_path):
    admin = _admin(demo.convention)
    review = _validated(demo.convention, 2020, admin)
    assert review.is_frozen and review.content["schema"] == doc.SCHEMA
    entry = AuditEntry.objects.filter(object_id=str(review.pk)).order_by("-id").first()
    assert entry.changes["status"] == ["reviewed", "validated"]
    assert entry.changes["document"][1].startswith("figé à la validation")

    client.force_login(admin)
    base = f"/bilans/{review.pk}/"
    page = client.get(base).content.decode()
    day = timezone.localtime(review.validated_at).strftime("%d/%m/%Y")
    assert f"Document figé à la validation du {day}" in re.sub(r"\s+", " ", page)
    before = {fmt: client.get(f"{base}telecharger/{fmt}/").content for fmt in ("pdf", "docx")}
    pdf_before, docx_before = _pdf_text(before["pdf"]), _docx_text(before["docx"])
    assert "Sud : < 5" in pdf_before and DECISION_51 in pdf_before

    # After the validation: the 2020 measurement is corrected, action 5.3 is completed.
    with acting_as(Actor(label="tests")):
        plan_services.update_action(demo.actions["5.3"], status="done", progress=100)
        overall = Measurement.objects.get(
            indicator=demo.indicator, period="2020", territory__isnull=True
        )
        monitoring_services.save_measurement(
            demo.indicator,
            monitoring_services.MeasurementInput(period="2020", value=Decimal(70)),
            measurement=overall,
        )
    live = selectors.review_content(demo.convention, 2020)
    assert _indicator(live, "5.3")[1].value == "70"  # the data did change

    assert _page_body(client.get(base).content.decode()) == _page_body(page)
    assert _pdf_text(client.get(f"{base}telecharger/pdf/").content) == pdf_before
    assert _docx_text(client.get(f"{base}telecharger/docx/").content) == docx_before
    output = tmp_path / "bilan.docx"
    args = ["review", str(demo.convention.pk), "--year", "2020", "--format", "docx", "-o"]
    result = CliRunner().invoke(cli, [*args, str(output)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert _docx_text(output.read_bytes()) == docx_before
    frozen_action, frozen_indicator = _indicator(selectors.review_document(review), "5.3")
    assert (frozen_indicator.value, frozen_action.status) == ("55", "En cours")

    # A draft of another year is computed now: it shows the change.
    draft = services.create_review(demo.convention, 2021)
    action, indicator = _indicator(selectors.review_document(draft), "5.3")
    assert (indicator.previous, action.status, action.progress) == ("70", "Réalisé", "100 %")
    draft_docx = _docx_text(client.get(f"/bilans/{draft.pk}/telecharger/docx/").content)
    assert (
        "Réalisé" in draft_docx
        and "Document figé" not in client.get(f"/bilans/{draft.pk}/").content.decode()
    )


def test_a_validated_review_without_snapshot_is_computed(demo):
    """Reviews validated before snapshots existed (none in production yet) still render."""
    admin = _admin(demo.convention)
    review = _validated(demo.convention, 2020, admin)
    type(review).objects.filter(pk=review.pk).update(content=None)
    review.refresh_from_db()
    assert not review.is_frozen
    assert selectors.review_document(review).cover.title == "Bilan annuel 2020"


# session, user, institution; review (+convention, meetings). The content comes from the
# snapshot (no query); a locked review has no form, so no right to check.
FROZEN_PAGE_QUERIES = 3 + 1


@pytest.mark.parametrize("n_actions", [3, 30])
def test_the_validated_review_page_costs_a_fixed_number_of_queries(
    client, n_actions, django_assert_num_queries
):
    user, review = _build(n_actions)
    review = services.mark_reviewed(review, user=user)
    review = services.validate_review(review, user=user)
    client.force_login(user)
    with django_assert_num_queries(FROZEN_PAGE_QUERIES):
        response = client.get(f"/bilans/{review.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("Décision") >= n_actions
    assert "Document figé à la validation du" in response.content.decode()
