"""Every public page of the citizen portal (issue #12), found by the anonymous crawl
(tests/crawl.py, at most two pages per URL pattern), in Chromium: axe-core finds zero
violations of any impact among the WCAG 2.0/2.1 A and AA rules and axe's best practices; at
390 px nothing scrolls sideways; the page declares its language; the skip link is the first
thing the keyboard reaches and takes focus to the main content; every element the keyboard
reaches shows a visible focus indicator.

Pages added later under /transparencia/ are covered as soon as a link leads to them."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from accountability import outputs
from tests.builders import PDF
from tests.crawl import public_pages
from tests.portal import portal_scenario

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
PHONE = {"width": 390, "height": 844}
TABS = 12  # focusable elements checked per page, from the top


@pytest.fixture
def urls(new_page, monkeypatch):
    """The sampled public pages (new_page first: it points MEDIA_ROOT at a temporary
    folder before the reports' files are written)."""
    monkeypatch.setattr(outputs, "report_pdf", lambda context: PDF)
    portal_scenario()
    return public_pages(Client(), per_pattern=2)


def violations(page):
    """axe's violations on the page, of any impact, as readable lines."""
    lines = []
    for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"      {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return lines


# The focused element shows an outline or a box shadow (Bootstrap's focus ring) and has
# a size: its focus is visible.
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    tag: el.tagName + (el.id ? "#" + el.id : "") + " " + (el.textContent || "").trim().slice(0, 40),
    visible: (outline || style.boxShadow !== "none") && box.width > 0 && box.height > 0,
  };
}"""


def keyboard_problems(page):
    """In the portal's frame, the skip link comes first and moves focus to <main>; on every
    page, each element the keyboard reaches (up to TABS) shows its focus. (A report's HTML
    file is one document without repeated blocks: no skip link needed.)"""
    problems = []
    if page.evaluate("() => document.body.classList.contains('portal')"):
        problems += skip_link_problems(page)
    page.evaluate("() => document.activeElement.blur()")
    page.evaluate("() => window.scrollTo(0, 0)")
    for _ in range(TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_VISIBLE)
        if focus["tag"].startswith("BODY"):
            break
        if not focus["visible"]:
            problems.append(f"  no visible focus on {focus['tag']}")
    return problems


def skip_link_problems(page):
    problems = []
    page.keyboard.press("Tab")
    skip = page.evaluate("() => document.activeElement.getAttribute('href')")
    if skip != "#contenido":
        problems.append(f"  the first focusable element is not the skip link ({skip})")
    focus = page.evaluate(FOCUS_VISIBLE)
    if not focus["visible"]:
        problems.append(f"  no visible focus on {focus['tag']}")
    page.keyboard.press("Enter")
    target = page.evaluate("() => document.activeElement.tagName + '#' + document.activeElement.id")
    if target != "MAIN#contenido":
        problems.append(f"  the skip link leaves focus on {target}, not on <main>")
    page.keyboard.press("Tab")
    if not page.evaluate("() => document.querySelector('main').contains(document.activeElement)"):
        problems.append("  after the skip link, Tab does not go into the main content")
    return problems


def test_every_public_page_is_accessible(urls, new_page):
    """One test for all pages (the failure lists every page's problems at once)."""
    desktop, phone = new_page(), new_page()
    phone.set_viewport_size(PHONE)
    found = []
    for url in urls:
        problems = []
        desktop.goto(url)
        if desktop.evaluate("() => document.documentElement.lang") != "es":
            problems.append("  <html> has no lang='es'")
        problems += violations(desktop)
        problems += keyboard_problems(desktop)
        phone.goto(url)
        widths = phone.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            problems.append(f"  scrolls sideways at 390 px: {widths[0]} > {widths[1]}")
        if problems:
            found.append(f"{url}:\n" + "\n".join(problems))
    assert len(urls) >= 3, urls
    assert found == [], "\n".join(found)
