"""The main pages work under the Content-Security-Policy: no violation (blocked inline
script or style, foreign source) and no other error in the browser console, and the
behaviour moved out of the templates into static/js/mipg.js still runs."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mipg.core.models import ReviewStatus
from tests import factories
from tests.browser.scenarios import approved_plan_with_an_open_period

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# Collects the page's CSP violation events (the browser's own "Refused to …" console lines
# do not reach Playwright's console events).
COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
"""


def _watch(page):
    """Console errors and uncaught exceptions of the page, as readable lines."""
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.add_init_script(COLLECT_VIOLATIONS)
    return problems


def _visit(page, url, heading=None):
    """Open `url` and return its CSP violations once the page has rendered `heading` (a text;
    by default any <h1>)."""
    page.goto(url, wait_until="load")
    if heading is None:
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
    else:
        # The documentation pages build the whole schema first: slow on a loaded machine.
        expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(100)  # violation events are queued as tasks
    return [f"{url}: {line}" for line in page.evaluate("window.cspViolations")]


@pytest.fixture
def approved_progress(unit, responsible):
    plan, action, period = approved_plan_with_an_open_period(unit)
    factories.ProgressReportFactory(
        action=action,
        period=period,
        progress=Decimal("40"),
        status=ReviewStatus.APPROVED,
        created_by=responsible,
    )
    return plan


def test_main_pages_have_no_csp_violation_nor_console_error(
    approved_progress, planner, page_as, new_page
):
    plan = approved_progress
    anonymous = new_page()
    problems = _watch(anonymous)
    violations = _visit(anonymous, reverse("login"))

    page = page_as(planner)
    problems += _watch(page)
    visited = [
        reverse("home"),
        reverse("planning:plan-detail", args=[plan.pk]),
        reverse("planning:action-list") + f"?plan={plan.pk}",
        reverse("management:review-queue"),
    ]
    for url in visited:
        violations += _visit(page, url)
    assert (violations, problems) == ([], [])


def test_api_documentation_pages_render_under_the_policy(planner, page_as):
    """Swagger UI takes its script from a URL of its own; Redoc, whose styles are injected
    at run time, is the one page allowed inline styles (mipg/api/urls.py)."""
    page = page_as(planner)
    problems = _watch(page)
    violations = _visit(page, reverse("api:docs"), "MIPG · API")
    redoc = reverse("api:redoc")
    violations += _visit(page, redoc, "MIPG · API")
    # Redoc's "API docs by Redocly" footer links its logo from a CDN: rightly blocked, and
    # nothing of the page depends on it.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    violations = [v for v in violations if v != f"{redoc}: img-src {logo} "]
    problems = [p for p in problems if logo not in p]
    assert (violations, problems) == ([], [])


def test_progress_bars_get_their_width_from_the_static_script(approved_progress, planner, page_as):
    page = page_as(planner)
    page.goto(reverse("home"))
    bar = page.locator(".progress-bar").first
    expect(bar).to_have_attribute("data-width", "40")
    assert bar.evaluate("bar => bar.style.width") == "40%"
