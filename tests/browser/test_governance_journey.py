"""Issue #5, checked as a new user would: from the demo of `make run`, through the UI only.

The admin of the 2019-2022 Bas-Rhin convention (cd67-admin) holds a steering committee
in 2020 with two decisions on actions 5.1 and 8.3 and approves its minutes; enters three
2020 measurements of an indicator of action 5.3, one below the statistical-secrecy
threshold, and validates their periods; creates the 2020 review, has it examined and
validated, and downloads its PDF. A reader, in a second browser, sees the small count
masked; the PDF, read back with pdfplumber, masks it too and lists the decisions under
their actions. Every page is checked with axe-core and photographed into tests/artifacts/.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.support import ARTIFACTS, SEED, check_a11y, login, screenshot

pytestmark = pytest.mark.browser

MEETING_DATE = "2020-11-20"
DECISION_51 = "Ouvrir deux relais petite enfance supplémentaires en 2021"
DECISION_83 = "Le fonds commun de lutte contre la précarité énergétique est reconduit en 2021"
INDICATOR = "Nombre d'enfants de familles vulnérables accueillis"
#: period -> value; 2020-S1 is below the secrecy threshold (5): shown "< 5" to readers.
MEASUREMENTS = {"2020-S1": "3", "2020-S2": "11", "2020": "14"}
MASKED_PERIOD = "2020-S1"


@pytest.fixture
def demo(transactional_db, fast_hasher):
    """What `make run` loads (copil.demo.load_demo): the imported convention with its
    effective date (1 July 2019: without it no review year is offered, which is why the
    `seed` fixture is not enough here), its governance bodies and the demo accounts."""
    from copil.accounts.demo import demo_password
    from copil.cli import DEMO_EFFECTIVE_DATE
    from copil.conventions.models import Convention
    from copil.demo import load_demo

    list(load_demo(SEED, effective_date=DEMO_EFFECTIVE_DATE))
    return Convention.objects.get(), demo_password()


def _visit(page, request, step: str, label: str) -> None:
    """Every page of the journey: axe-core (0 violations) and a screenshot."""
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page, label)
    screenshot(page, request, step)


def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _option_value(select, pattern: str) -> str:
    """The value of the option of ``select`` whose text matches ``pattern``."""
    option = select.locator("option", has_text=re.compile(pattern))
    expect(option).to_have_count(1)
    return option.get_attribute("value")


def test_governance_measurements_and_annual_review(new_page, demo, request):
    convention, password = demo
    page = new_page()
    login(page, "cd67-admin", password)
    _visit(page, request, "01-conventions", "conventions (administrateur)")
    _click(page, page.get_by_role("link", name=convention.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(convention.title)
    _visit(page, request, "02-convention", "convention (administrateur)")
    convention_url = page.url

    _hold_steering_committee(page, request)
    page.goto(convention_url)
    _enter_and_validate_measurements(page, request)
    page.goto(convention_url)
    pdf = _validate_review_and_download_pdf(page, request)
    _check_pdf(pdf, request)
    _reader_sees_masked_value(new_page(), request, convention, password)


# --- 1. the steering committee -------------------------------------------------------------


def _hold_steering_committee(page, request) -> None:
    _click(page, page.get_by_role("link", name="Gouvernance", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gouvernance")
    expect(page.get_by_role("heading", name=re.compile("Comité de pilotage"))).to_be_visible()
    _visit(page, request, "10-gouvernance", "gouvernance")

    _click(page, page.get_by_role("link", name="Nouvelle réunion", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle réunion")
    _visit(page, request, "11-nouvelle-reunion", "nouvelle réunion")
    instance = page.get_by_label("Instance")
    instance.select_option(_option_value(instance, "^Comité de pilotage"))
    page.get_by_label(re.compile("^Date")).fill(MEETING_DATE)
    page.get_by_label("Lieu").fill("Hôtel du Département, Strasbourg")
    screenshot(page, request, "12-nouvelle-reunion-remplie")
    _click(page, page.get_by_role("button", name="Créer la réunion"))

    # The edit form of the new meeting: minutes and the first decision.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier la réunion")
    _visit(page, request, "13-modifier-reunion", "modifier la réunion")
    page.get_by_label("Compte rendu").fill(
        "Bilan 2020 de la convention territoriale globale ; arbitrages pour 2021."
    )
    # Both decisions in one save: the form offers several empty rows.
    _add_decision(page, 0, "Décision", DECISION_51, "5.1")
    _add_decision(page, 1, "Arbitrage", DECISION_83, "8.3")
    screenshot(page, request, "14-decisions")
    _click(page, page.get_by_role("button", name="Enregistrer", exact=True))
    expect(page.locator("main")).to_contain_text("La réunion a été enregistrée")

    main = page.locator("main")
    decisions = page.get_by_role("region", name="Décisions")
    expect(decisions.get_by_role("listitem")).to_have_count(2)
    first, second = decisions.get_by_role("listitem").all()
    expect(first).to_contain_text(DECISION_51)
    expect(first.get_by_role("link", name="5.1", exact=True)).to_be_visible()
    expect(second).to_contain_text(DECISION_83)
    expect(second.get_by_role("link", name="8.3", exact=True)).to_be_visible()
    _visit(page, request, "16-reunion", "réunion (projet de compte rendu)")

    _click(page, page.get_by_role("button", name="Approuver le compte rendu"))
    expect(main).to_contain_text("Le compte rendu est approuvé")
    expect(page.get_by_role("link", name="Modifier la réunion")).to_have_count(0)
    expect(decisions.get_by_role("listitem")).to_have_count(2)
    _visit(page, request, "17-reunion-approuvee", "réunion (compte rendu approuvé)")

    # Action 5.1 shows the decision that concerns it.
    _click(page, decisions.get_by_role("link", name="5.1", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action 5.1")
    action_decisions = page.get_by_role("region", name="Décisions")
    expect(action_decisions).to_contain_text(DECISION_51)
    expect(action_decisions).to_contain_text("20/11/2020")
    expect(action_decisions).not_to_contain_text(DECISION_83)
    _visit(page, request, "18-action-5.1", "action 5.1 et sa décision")


def _add_decision(page, index: int, kind: str, text: str, action: str) -> None:
    row = page.get_by_role("group", name="Décision à ajouter").nth(index)
    kind_select = row.get_by_label("Nature")
    kind_select.select_option(_option_value(kind_select, f"^{kind}$"))
    row.get_by_label(re.compile("^Texte")).fill(text)
    actions = row.get_by_label("Actions concernées")
    actions.select_option(_option_value(actions, rf"^{re.escape(action)} — "))


# --- 2. three measurements of an indicator of action 5.3 -------------------------------------


def _enter_and_validate_measurements(page, request) -> None:
    _click(page, page.get_by_role("link", name="Voir le projet de coopération"))
    _click(page, page.get_by_role("link", name=re.compile(r"^5\.3 — ")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action 5.3")
    _visit(page, request, "20-action-5.3", "action 5.3")
    _click(page, page.get_by_role("link", name=INDICATOR))
    expect(page.get_by_role("heading", level=1)).to_have_text(INDICATOR)
    _visit(page, request, "21-indicateur", "indicateur (sans mesure)")
    indicator_url = page.url

    for n, (period, value) in enumerate(MEASUREMENTS.items()):
        _click(page, page.get_by_role("link", name="Saisir une mesure"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Saisir une mesure")
        if n == 0:
            _visit(page, request, "22-saisir-une-mesure", "saisir une mesure")
        page.get_by_label(re.compile("^Période")).fill(period)
        page.get_by_label(re.compile("^Valeur")).fill(value)
        page.get_by_label("Source").fill("Relevé CAF du Bas-Rhin")
        if period == MASKED_PERIOD:
            page.get_by_label("Commentaire").fill("Premier semestre : démarrage du dispositif.")
            screenshot(page, request, "23-mesure-sous-le-seuil")
        _click(page, page.get_by_role("button", name="Enregistrer et soumettre"))
        expect(page).to_have_url(indicator_url)
        expect(page.locator("main")).to_contain_text("La mesure a été enregistrée et soumise")

    rows = page.get_by_role("table", name="Mesures par période et territoire")
    for period in MEASUREMENTS:
        row = rows.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=period, exact=True)
        )
        expect(row).to_contain_text("Soumise")
    _visit(page, request, "24-indicateur-mesures-soumises", "indicateur (mesures soumises)")

    # Validate the three periods on the convention's "Indicateurs et mesures" page.
    _click(page, page.get_by_role("link", name="Indicateurs et mesures"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs et mesures")
    _visit(page, request, "25-periodes-a-valider", "indicateurs et mesures (à valider)")
    for period in MEASUREMENTS:
        _click(page, page.get_by_role("button", name=f"Valider la période {period}"))
        expect(page.locator("main")).to_contain_text(f"Période {period} : 1 mesure(s) validée(s)")
    expect(page.get_by_role("heading", name="Périodes validées")).to_be_visible()
    _visit(page, request, "26-periodes-validees", "indicateurs et mesures (validées)")

    page.goto(indicator_url)
    for period in MEASUREMENTS:
        row = _measurement_row(page, period)
        expect(row).to_contain_text("Validée")
    _visit(page, request, "27-indicateur-valide", "indicateur (mesures validées)")


def _measurement_row(page, period: str):
    table = page.get_by_role("table", name="Mesures par période et territoire")
    return table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=period, exact=True)
    )


def _reader_sees_masked_value(reader, request, convention, password) -> None:
    login(reader, "cd67-lecteur", password)
    _click(reader, reader.get_by_role("link", name=convention.title))
    _click(reader, reader.get_by_role("link", name="Indicateurs et mesures"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Indicateurs et mesures")
    _visit(reader, request, "60-lecteur-indicateurs", "indicateurs et mesures (lecteur)")
    _click(reader, reader.get_by_role("link", name=INDICATOR))
    expect(reader.get_by_role("heading", level=1)).to_have_text(INDICATOR)
    expect(reader.get_by_role("link", name="Saisir une mesure")).to_have_count(0)
    masked = _measurement_row(reader, MASKED_PERIOD)
    expect(masked).to_contain_text("< 5")
    value_cell = masked.get_by_role("cell").nth(1)
    expect(value_cell).to_have_text("< 5")
    expect(_measurement_row(reader, "2020-S2")).to_contain_text("11")
    # The raw value is nowhere on the reader's page.
    cells = reader.locator("main td, main th, main svg text").all_text_contents()
    assert "< 5" in cells
    assert not [c for c in cells if re.fullmatch(r"\s*3(\s.*)?", c)], cells
    _visit(reader, request, "61-lecteur-indicateur-masque", "indicateur (lecteur, masqué)")

    # The validated 2020 review, on the web: masked too.
    _click(reader, reader.get_by_role("link", name=convention.title))
    _click(reader, reader.get_by_role("link", name="Bilans annuels"))
    expect(reader.get_by_role("button", name="Créer le bilan")).to_have_count(0)
    _visit(reader, request, "62-lecteur-bilans", "bilans annuels (lecteur)")
    _click(reader, reader.get_by_role("link", name="Bilan 2020", exact=True))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Bilan annuel 2020")
    expect(reader.get_by_role("button", name="Valider le bilan")).to_have_count(0)
    action = reader.get_by_role("article", name=re.compile(r"^Action 5\.3 :"))
    expect(action).to_contain_text(INDICATOR)
    expect(action).to_contain_text("< 5")
    _assert_masked(" ".join(action.inner_text().split()))
    article = reader.get_by_role("article", name=re.compile(r"^Action 5\.1 :"))
    expect(article).to_contain_text(DECISION_51)
    _visit(reader, request, "63-lecteur-bilan-2020", "bilan 2020 (lecteur)")


# --- 3. the 2020 review ----------------------------------------------------------------------


def _validate_review_and_download_pdf(page, request) -> bytes:
    _click(page, page.get_by_role("link", name="Bilans annuels"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilans annuels")
    _visit(page, request, "40-bilans", "bilans annuels")
    year = page.get_by_label(re.compile("^Année du bilan"))
    year.select_option("2020")
    _click(page, page.get_by_role("button", name="Créer le bilan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan annuel 2020")
    expect(page.locator("main")).to_contain_text("Le bilan 2020 a été créé")
    _visit(page, request, "41-bilan-2020-brouillon", "bilan 2020 (brouillon)")

    _click(page, page.get_by_role("button", name="Marquer le bilan examiné"))
    expect(page.locator("main")).to_contain_text("examiné par le comité technique")
    _visit(page, request, "42-bilan-2020-examine", "bilan 2020 (examiné)")

    session = page.get_by_label(re.compile("comité de pilotage qui a validé"))
    session.select_option(_option_value(session, "20/11/2020"))
    _click(page, page.get_by_role("button", name="Valider le bilan"))
    expect(page.locator("main")).to_contain_text("Le bilan est validé")
    expect(page.locator("main")).to_contain_text("verrouillé")
    expect(page.get_by_role("button", name="Valider le bilan")).to_have_count(0)
    _visit(page, request, "43-bilan-2020-valide", "bilan 2020 (validé)")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^PDF")).first.click()
    download = info.value
    assert download.suggested_filename.startswith("bilan-2020-")
    assert download.suggested_filename.endswith(".pdf")
    path = ARTIFACTS / f"{request.node.name}-bilan-2020.pdf"
    download.save_as(str(path))
    return path.read_bytes()


def _check_pdf(data: bytes, request) -> None:
    import pdfplumber

    assert data.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    text = "\n".join(pages).replace("\u202f", " ").replace("\u00a0", " ")
    lines = text.splitlines()
    flat = " ".join(text.split())
    flat_pages = [" ".join(p.replace("\u202f", " ").split()) for p in pages]
    assert "Bilan annuel 2020" in pages[0]
    assert "Validé le" in pages[0]

    # The measurement of 2020-S1, wherever the layout puts it: "< 5", never the raw 3.
    _assert_masked(flat)

    # The decisions under their actions: after the heading of 5.1 (8.3) in the body of the
    # review (not the table of contents), before the next action's heading.
    for number, decision in (("5.1", DECISION_51), ("8.3", DECISION_83)):
        sections = []
        for heading in _indexes(lines, rf"^Action {re.escape(number)} :"):
            following = next(iter(_indexes(lines, r"^Action \d+\.\d+ :", heading + 1)), None)
            sections.append(" ".join(" ".join(lines[heading:following]).split()))
        body = [s for s in sections if "Décisions de l'année" in s]
        assert len(body) == 1, (number, [s[:200] for s in sections])
        after = body[0].split("Décisions de l'année", 1)[1]
        assert "Comité de pilotage politique du 20/11/2020" in after, (number, after[:300])
        assert decision in after, (number, after[:300])
        other = DECISION_83 if number == "5.1" else DECISION_51
        assert other not in body[0], number

    if shutil.which("pdftoppm") is None:
        return  # no PNG of the pages, the rest is checked
    pdf_path = ARTIFACTS / f"{request.node.name}-bilan-2020.pdf"
    prefix = ARTIFACTS / f"{request.node.name}-50-bilan-2020-page"
    # The cover, the table of contents, and the pages of the masked value and decisions.
    wanted = {1, 2, 3}
    for needle in (MASKED_PERIOD, DECISION_51[:30], DECISION_83[:30]):
        wanted.add(next(n for n, p in enumerate(flat_pages, start=1) if n > 3 and needle in p))
    for number in sorted(wanted):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number)]
            + [str(pdf_path), str(prefix)],
            check=True,
            timeout=120,
        )
    pngs = sorted(ARTIFACTS.glob(f"{prefix.name}-*.png"))
    assert len(pngs) == len(wanted), pngs
    assert all(p.stat().st_size > 1000 for p in pngs)


def _assert_masked(text: str) -> None:
    """Each mention of the 2020-S1 measurement in ``text`` (a page's or the PDF's text,
    spaces normalised) shows "< 5" before the next measurement, and never the raw 3."""
    segments = []
    for match in re.finditer(re.escape(MASKED_PERIOD), text):
        rest = text[match.end() : match.end() + 60]
        segments.append(re.split(r"\||2020-S2|\b2020\b|\(état", rest)[0])
    assert segments, f"{MASKED_PERIOD} is not in: {text[:300]}"
    for segment in segments:
        assert "< 5" in segment, segment
        assert not re.search(r"(?<![\d.,-])3(?![\d.,])", segment), segment


def _indexes(lines: list[str], pattern: str, start: int = 0) -> list[int]:
    return [i for i in range(start, len(lines)) if re.search(pattern, lines[i])]
