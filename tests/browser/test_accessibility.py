"""axe-core (bundled in axe-playwright-python, no network) finds no serious or critical
accessibility violation on the login, plan tree, list, form and review pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.scenarios import plan_with_a_row_in_every_list

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BLOCKING = {"serious", "critical"}


def blocking_violations(page):
    """axe's serious and critical violations on the page, as readable lines."""
    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
    return lines


@pytest.fixture
def seeded(unit, responsible):
    return plan_with_a_row_in_every_list(unit, responsible)


def pages(plan, period):
    """(persona fixture or None for anonymous, URL, expected <h1>) of every page checked."""
    goal = plan.objectives.get().goals.get()
    return [
        (None, reverse("login"), "Iniciar sesión"),
        ("planner", reverse("planning:plan-detail", args=[plan.pk]), plan.name),
        ("planner", reverse("planning:action-list") + f"?plan={plan.pk}&q=A", "Actividades"),
        ("planner", reverse("planning:action-create", args=[goal.pk]), "Nueva actividad"),
        ("planner", reverse("management:review-queue"), "Revisión de reportes y mediciones"),
        (
            "responsible",
            reverse("management:report-create", args=[goal.actions.get(code="A2").pk, period.pk]),
            "Nuevo reporte de avance",
        ),
    ]


def test_pages_have_no_serious_accessibility_violations(seeded, new_page, page_as, request):
    """One test for all pages (one login per persona keeps the suite fast); the failure
    lists every page's violations at once."""
    browsers = {}
    found = []
    for persona, url, heading in pages(*seeded):
        if persona not in browsers:
            browsers[persona] = page_as(request.getfixturevalue(persona)) if persona else new_page()
        page = browsers[persona]
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        violations = blocking_violations(page)
        if violations:
            found.append(f"{url}:\n" + "\n".join(violations))
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
