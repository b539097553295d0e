"""The report's PDF (WeasyPrint, PDF/UA): its text holds the plan's figures, the same as
the dashboard's at the cut-off; cover, contents, page numbers and tags."""

import io

import pdfplumber
import pytest
from pdfminer.pdftypes import resolve1

from accountability import outputs
from accountability.models import AccountabilityReport
from accountability.services import create_report, generate_report
from mipg.core.templatetags.mipg_format import money, percent
from mipg.traceability.dashboard import plan_dashboard
from tests.builders import dashboard_example

pytestmark = pytest.mark.real_pdf


@pytest.fixture
def pdf(db, media_root, planner):
    example = dashboard_example()
    report = create_report(
        plan=example["plan"],
        periods=[example["t1"], example["t2"]],
        kind=AccountabilityReport.Kind.ACCOUNTABILITY,
        title="Rendición de cuentas 2026-I",
        by=planner,
    )
    report = generate_report(report.pk)
    content = (media_root / report.files.get(name="informe.pdf").file.name).read_bytes()
    with pdfplumber.open(io.BytesIO(content)) as document:
        pages = [page.extract_text() for page in document.pages]
        metadata = document.metadata
    return example, content, pages, metadata


def test_the_pdf_text_has_the_dashboards_figures(pdf):
    example, _content, pages, _metadata = pdf
    text = "\n".join(pages)
    dash = plan_dashboard(example["plan"], period=example["t2"])
    executed, planned = percent(dash.total.executed), percent(dash.total.planned)
    assert (executed, planned) == ("44,00 %", "82,00 %")
    assert f"Al corte, el plan lleva un avance de {executed}" in text
    assert f"se esperaba {planned}" in text
    assert money(dash.total.finance.definitive) == "$ 4.000.000"
    assert "Del presupuesto disponible ($ 4.000.000) se comprometieron $ 500.000" in text
    # M1: executed 60 % of 70 % planned
    assert "M1" in text and "60,00 %" in text and "70,00 %" in text


def test_the_pdf_has_a_cover_contents_and_numbered_pages(pdf):
    _example, _content, pages, metadata = pdf
    cover = pages[0]
    assert "Rendición de cuentas 2026-I" in cover
    assert "Plan del tablero" in cover
    assert "Página" not in cover
    assert "Contenido" in pages[1]
    assert f"Página 2 de {len(pages)}" in pages[1]
    assert metadata["Title"] == "Rendición de cuentas 2026-I · Plan del tablero"


def test_the_pdf_is_tagged_for_screen_readers(pdf):
    _example, content, _pages, _metadata = pdf
    with pdfplumber.open(io.BytesIO(content)) as document:
        catalog = document.doc.catalog
        assert "StructTreeRoot" in catalog
        assert resolve1(catalog["MarkInfo"])["Marked"] is True
        assert resolve1(catalog["Lang"]) == b"es"
        xmp = resolve1(catalog["Metadata"]).get_data()
    assert b'pdfuaid:part="1"' in xmp


def test_the_pdf_lists_a_bounded_number_of_goals_and_narratives_and_the_html_all(
    db, media_root, planner, monkeypatch
):
    example = dashboard_example()
    report = create_report(
        plan=example["plan"],
        periods=[example["t1"]],
        kind=AccountabilityReport.Kind.ACCOUNTABILITY,
        title="Informe con muchos relatos",
        by=planner,
    )
    snapshot = generate_report(report.pk).snapshot
    snapshot["narratives"] = [
        {"action": f"A{i}", "name": f"Actividad {i}", "period": "T1", "text": f"Relato número {i}"}
        for i in (1, 2, 3)
    ]
    monkeypatch.setattr(outputs, "PDF_QUOTES", 2)
    monkeypatch.setattr(outputs, "PDF_ROWS", 1)  # of the goals M1 and M2
    context = outputs.report_context(snapshot, kind_label="Informe")
    with pdfplumber.open(io.BytesIO(outputs.report_pdf(context))) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert ("Relato número 1" in text, "Relato número 2" in text) == (True, True)
    assert "Relato número 3" not in text
    assert "Se omite 1 relato más en este PDF; todos están en el informe en HTML" in text
    assert "Se omite 1 meta más en este PDF; todas están en el informe en HTML y en" in text
    html = outputs.report_html(context).decode()
    assert [f"Relato número {i}" in html for i in (1, 2, 3)] == [True, True, True]
    assert "relato más en este PDF" not in html and "meta más en este PDF" not in html
