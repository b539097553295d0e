"""A Directivo reads the dashboard in a real browser: filters by unit, follows «explain
this %» down to an action's approved report; at desktop and phone width the page passes
axe-core and does not scroll sideways."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mipg.core.models import ReviewStatus
from tests import factories
from tests.browser.scenarios import approved_plan_with_an_open_period
from tests.browser.test_accessibility import blocking_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def plan_with_two_units(unit, other_unit, planner):
    plan, action, period = approved_plan_with_an_open_period(unit)
    other = factories.ActionFactory(
        goal=action.goal,
        code="A2",
        name="Publicar el informe de gestión",
        unit=other_unit,
        start_date=action.start_date,
        end_date=action.end_date,
    )
    for item, progress in ((action, "40"), (other, "10")):
        factories.ProgressReportFactory(
            action=item,
            period=period,
            progress=Decimal(progress),
            status=ReviewStatus.APPROVED,
            reviewed_by=planner,
            reviewed_at=timezone.now(),
        )
    allocation = factories.AllocationFactory(action=action, year=period.start_date.year)
    factories.ExecutionFactory(allocation=allocation, date=period.start_date)
    return plan


def test_directivo_filters_by_unit_and_explains_down_to_an_approved_report(
    plan_with_two_units, director, unit, page_as, tmp_path
):
    page = page_as(director)
    # A Directivo's home is the dashboard.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero de control")
    expect(page.get_by_role("heading", level=2, name="Plan de Acción vigente")).to_be_visible()
    assert blocking_violations(page) == [], "\n".join(blocking_violations(page))
    page.screenshot(path=tmp_path / "tablero-escritorio.png", full_page=True)

    page.get_by_label("Dependencia", exact=True).select_option(label=unit.name)
    page.get_by_role("button", name="Filtrar").click()
    expect(page.get_by_text("Filtrado: 1 actividad")).to_be_visible()

    page.get_by_role("link", name="O1").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Explicación del avance")
    page.get_by_role("link", name="M1 Dependencias capacitadas").click()
    page.get_by_role("link", name="A1 Capacitar a las dependencias").click()
    expect(page.get_by_role("heading", name="Reportes aprobados")).to_be_visible()
    assert blocking_violations(page) == [], "\n".join(blocking_violations(page))
    page.get_by_role("link", name="Periodo en curso: 40,00 %").click()
    expect(page.get_by_text("Aprobado").first).to_be_visible()


def test_dashboard_at_phone_width_passes_axe_and_does_not_scroll_sideways(
    plan_with_two_units, director, page_as, tmp_path
):
    page = page_as(director)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero de control")
    assert blocking_violations(page) == [], "\n".join(blocking_violations(page))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=tmp_path / "tablero-390.png", full_page=True)
