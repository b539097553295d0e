"""The lists on a 390 px phone: each row's links and buttons — the item link, «Reportar»,
«Aprobar», «Calificar», the plan tree's buttons — are in view without scrolling sideways
(the tables become cards under 576 px), and axe-core finds no serious or critical
violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.scenarios import plan_with_a_row_in_every_list
from tests.browser.test_accessibility import blocking_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}

# Every visible link and button of the body rows of the stacked tables, with its box.
CONTROLS_JS = """() => Array.from(document.querySelectorAll("table.table-stack tbody tr"))
  .flatMap((row) => Array.from(row.querySelectorAll("a, button")))
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => {
    const box = el.getBoundingClientRect();
    const name = (el.textContent.trim() || el.title).replace(/\\s+/g, " ").slice(0, 50);
    return {name: name, left: box.left, right: box.right};
  })"""


@pytest.fixture
def seeded(unit, responsible):
    return plan_with_a_row_in_every_list(unit, responsible)[0]


def pages(plan):
    """(persona, URL, expected <h1>, a control every page must show in view)."""
    return [
        ("planner", reverse("planning:plan-list"), "Planes", plan.name),
        ("planner", reverse("planning:plan-detail", args=[plan.pk]), plan.name, "O1"),
        ("planner", reverse("planning:action-list"), "Actividades", "Capacitar a las"),
        ("planner", reverse("management:allocation-list"), "Presupuesto por actividad", "A1"),
        ("planner", reverse("management:report-list"), "Reportes de avance", "A1"),
        ("planner", reverse("evaluation:indicator-list"), "Indicadores", "Porcentaje de"),
        ("planner", reverse("management:review-queue"), "Revisión", "Aprobar"),
        ("responsible", reverse("management:my-pending"), "Mis pendientes", "Reportar"),
        ("auditor", reverse("planning:rating-list"), "Calificaciones", "Calificar"),
        ("director", reverse("dashboard"), "Tablero de control", "O1"),
    ]


def out_of_view(page):
    """The row controls that do not fit in the phone's width, and how many were checked."""
    controls = page.evaluate(CONTROLS_JS)
    outside = [c for c in controls if c["left"] < 0 or c["right"] > PHONE["width"]]
    return outside, controls


def test_list_rows_keep_their_controls_in_view_on_a_phone(seeded, page_as, request):
    browsers, found = {}, []
    for persona, url, heading, main in pages(seeded):
        if persona not in browsers:
            browsers[persona] = page_as(request.getfixturevalue(persona))
            browsers[persona].set_viewport_size(PHONE)
        page = browsers[persona]
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        if url.startswith(reverse("planning:plan-detail", args=[seeded.pk])):
            # Open the objective and its goal: the branches' rows are inserted in place.
            page.get_by_role("link", name="Ver las metas de O1").click()
            page.get_by_role("link", name="Ver las actividades de M1").click()
            expect(page.locator("tr.tree-action").first).to_be_visible()
        outside, controls = out_of_view(page)
        names = [c["name"] for c in controls]
        if not any(main in name for name in names):
            found.append(f"{url}: no row control named {main!r} among {names}")
        found += [f"{url}: {c['name']!r} at {c['left']:.0f}–{c['right']:.0f} px" for c in outside]
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            found.append(f"{url}: the page scrolls sideways")
        found += [f"{url}: {line}" for line in blocking_violations(page)]
    assert not found, "\n".join(found)
