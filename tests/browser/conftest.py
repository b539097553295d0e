"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
``live_server``.

Chromium comes from the system (``/usr/bin/chromium`` or ``CHROMIUM_PATH``); Playwright's
own browser downloads are never used. When Chromium is missing the tests skip on a
developer machine but FAIL in CI (``CI`` set), so CI never skips them silently.

The live server runs in another thread, so every test needs committed data:
``django_db(transaction=True)``. ``serialized_rollback`` restores the reference data the
migrations load (roles, MIPG policies, funding sources) after each test's flush.
"""

import os
import re
import shutil

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

PASSWORD = "clave-segura-123"  # tests.factories.UserFactory's password
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium tries to reach the network (closed in CI and here).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


def _chromium_path():
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    return shutil.which(candidate)


@pytest.fixture(scope="package")
def chromium(django_db_setup):
    """One headless Chromium for all browser tests, closed after them: while it runs, an
    asyncio loop is running in the test thread (see below), which later tests must not
    inherit."""
    path = _chromium_path()
    if path is None:
        reason = "Chromium not found (install Debian's `chromium` or set CHROMIUM_PATH)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; browser tests may not be skipped in CI")
        pytest.skip(reason)

    # Playwright's sync API keeps an asyncio loop running in this thread. Django then
    # refuses ORM calls from the test body (SynchronousOnlyOperation) unless allowed, and
    # its connection handler switches to per-context storage, which would hand the tests
    # fresh connections without the test database's serialized contents (so
    # serialized_rollback would silently not restore the reference data). Keep using the
    # connections the test database was set up with.
    allow_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    setup_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, connection in setup_connections.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if allow_async_unsafe is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allow_async_unsafe


@pytest.fixture
def new_page(chromium, live_server, settings, tmp_path):
    """``new_page()`` → a page in a fresh browser context (own cookies) on the live server.

    Uploaded evidence goes to a temporary MEDIA_ROOT.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    contexts = []

    def make():
        context = chromium.new_context(base_url=live_server.url, locale="es-CO")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_as(new_page):
    """``page_as(user)`` → a page of a new context, logged in through the real login form."""

    def log_in(user):
        page = new_page()
        page.goto("/cuenta/login/")
        page.get_by_label(re.compile(r"^\s*Nombre de usuario")).fill(user.username)
        page.get_by_label(re.compile(r"^\s*Contraseña")).fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(lambda url: "/cuenta/login/" not in url)
        return page

    return log_in
