"""The UI is Spanish (es-CO) by default and fully available in English.

Policy: every UI string is written in Spanish, marked for translation, and translated in
locale/en/LC_MESSAGES/django.po in the same change. The catalog tests below fail when a
string has no English translation, is fuzzy, is missing from the catalog or when the
compiled django.mo is stale — so a change that adds or edits a Spanish UI string does not
pass CI until its English translation is committed too. That is intended. To fix it:

    .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules \
        --ignore=staticfiles --ignore=media --no-obsolete
    (translate the new or fuzzy entries in locale/en/LC_MESSAGES/django.po and delete their
    "#, fuzzy" flags)
    .venv/bin/python manage.py compilemessages -l en --ignore=.venv

The .po is parsed here with a small reader of our own: the project needs no extra package
for translations at run time or in tests.
"""

import gettext
import os
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    GoalFactory,
    ObjectiveFactory,
    PeriodFactory,
    PlanFactory,
)

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"
# Mirrors the documented makemessages command (see the module docstring).
IGNORED_DIRS = {".venv", "node_modules", "staticfiles", "media", ".git", "locale"}
SCANNED_SUFFIXES = {".py", ".html", ".txt"}
HOW_TO_FIX = (
    "Run `.venv/bin/python manage.py makemessages -l en --ignore=.venv "
    "--ignore=node_modules --ignore=staticfiles --ignore=media --no-obsolete`, translate "
    "the entries in locale/en/LC_MESSAGES/django.po (remove their '#, fuzzy' flags), then "
    "run `.venv/bin/python manage.py compilemessages -l en --ignore=.venv`."
)


# --- A tiny .po reader -------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self):
        return bool(self.msgstr) and all(self.msgstr.values())


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text):
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def read_po(path):
    """Entries of a .po file (the header and obsolete `#~` entries left out)."""
    entries, entry, target = [], Entry(), None

    def finish():
        nonlocal entry, target
        if entry.msgid:  # the header has an empty msgid
            entries.append(entry)
        entry, target = Entry(), None

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            finish()
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, kind, getattr(entry, kind) + _unquote(line))
        else:
            keyword, value = line.split(" ", 1)
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgstr" or plural:
                index = int(plural.group(1)) if plural else 0
                entry.msgstr[index] = _unquote(value)
                target = ("msgstr", index)
            else:
                setattr(entry, keyword, _unquote(value))
                target = (keyword, None)
    finish()
    return entries


def _describe(entries):
    return "\n".join(f"  - {e.msgid!r}" for e in entries)


# --- The catalog ---------------------------------------------------------------------------


def test_english_catalog_has_every_entry_translated_and_none_fuzzy():
    entries = read_po(PO_FILE)
    assert len(entries) > 500, "locale/en/LC_MESSAGES/django.po looks truncated"
    untranslated = [e for e in entries if not e.translated]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    problems = []
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated:\n{_describe(untranslated)}")
    if fuzzy:
        problems.append(f"{len(fuzzy)} fuzzy (check, then remove the flag):\n{_describe(fuzzy)}")
    assert not problems, "English catalog incomplete. " + HOW_TO_FIX + "\n" + "\n".join(problems)


def test_english_translations_keep_the_placeholders():
    placeholder = re.compile(
        r"%\(\w+\)[sd]|%%|%[sd]|\{\{[^}]*\}\}"
        r"|</?(?:a|abbr|b|br|code|em|i|kbd|small|span|strong)\b[^>]*>"
    )
    wrong = []
    for entry in read_po(PO_FILE):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for index, text in entry.msgstr.items():
            source = sources[min(index, len(sources) - 1)]
            if text and sorted(placeholder.findall(source)) != sorted(placeholder.findall(text)):
                wrong.append(entry)
    assert not wrong, "Translations that drop or change a placeholder or tag:\n" + _describe(wrong)


def test_compiled_english_catalog_matches_the_po_file():
    assert MO_FILE.exists(), "locale/en/LC_MESSAGES/django.mo is missing. " + HOW_TO_FIX
    with MO_FILE.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    stale = []
    for entry in read_po(PO_FILE):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            compiled = {i: catalog.get((key, i)) for i in entry.msgstr}
        else:
            compiled = {0: catalog.get(key)}
        if compiled != entry.msgstr:
            stale.append(entry)
    assert not stale, "django.mo is older than django.po. " + HOW_TO_FIX + "\n" + _describe(stale)


def _copy_sources(target):
    """Copy what makemessages scans (and the current catalog) into `target`."""
    base = Path(settings.BASE_DIR)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if d not in IGNORED_DIRS and not d.startswith(".")]
        for name in filenames:
            source = Path(dirpath) / name
            if source.suffix in SCANNED_SUFFIXES:
                destination = target / source.relative_to(base)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)
    catalog = target / PO_FILE.relative_to(base)
    catalog.parent.mkdir(parents=True)
    shutil.copyfile(PO_FILE, catalog)
    return catalog


def test_english_catalog_contains_every_marked_string(tmp_path, monkeypatch, settings):
    """Runs makemessages on a copy of the sources, so the working tree is never touched."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext, msgmerge) must be installed in CI")
        pytest.skip("GNU gettext is not installed")
    catalog = _copy_sources(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)

    known = {(e.msgctxt, e.msgid) for e in read_po(PO_FILE)}
    fresh = read_po(catalog)
    missing = [e for e in fresh if (e.msgctxt, e.msgid) not in known]
    gone = known - {(e.msgctxt, e.msgid) for e in fresh}
    assert not missing, (
        "Strings marked for translation are missing from the English catalog. "
        + HOW_TO_FIX
        + "\n"
        + _describe(missing)
    )
    assert not gone, "The English catalog has entries no longer used in the code. " + HOW_TO_FIX


# --- Pages -----------------------------------------------------------------------------------


class _TextNodes(HTMLParser):
    """Visible text nodes and accessible-name attributes of an HTML page."""

    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"aria-label", "title", "placeholder", "alt"} and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _spanish_left_in(body):
    """Text nodes that are exactly a Spanish msgid whose English translation differs:
    strings translated too early (gettext at import time) or rendered outside the catalog."""
    spanish = {
        e.msgid
        for e in read_po(PO_FILE)
        if not e.msgid_plural and "%" not in e.msgid and e.msgstr.get(0) != e.msgid
    }
    parser = _TextNodes()
    parser.feed(body)
    return sorted({text for text in parser.texts if text in spanish})


def _assert_english(body, *, shown, gone):
    """`body` is an English page: it shows every text of `shown`, none of `gone`, and no
    Spanish string left untranslated."""
    assert '<html lang="en">' in body
    for text in shown:
        assert text in body
    for text in gone:
        assert text not in body
    assert _spanish_left_in(body) == []


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_login_page_is_spanish_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="es">' in body
    assert "Iniciar sesión" in body
    assert "Log in" not in body


@pytest.mark.django_db
def test_login_page_is_spanish_for_an_unsupported_language(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="es">' in body
    assert "Iniciar sesión" in body


@pytest.mark.django_db
def test_login_page_is_english_with_accept_language_en(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    _assert_english(
        body,
        shown=['<h1 class="h3 my-3">Log in</h1>', "Skip to content"],
        gone=["Iniciar sesión"],
    )


@pytest.mark.django_db
def test_language_switcher_turns_the_home_dashboard_into_english(client, planner):
    PlanFactory(name="Plan de Acción 2026")
    client.force_login(planner)
    assert "Planes en curso" in client.get(reverse("home")).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    body = client.get(reverse("home")).content.decode()
    _assert_english(
        body,
        # the plan's name: data stays as entered
        shown=["Current plans", "Physical progress", "Financial execution", "Plan de Acción 2026"],
        gone=["Planes en curso"],
    )

    client.post(reverse("set_language"), {"language": "es-co", "next": "/"})
    assert "Planes en curso" in client.get(reverse("home")).content.decode()


@pytest.fixture
def workspace_plan(unit):
    plan = PlanFactory(name="Plan de Acción 2026")
    objective = ObjectiveFactory(plan=plan, code="O1", name="Fortalecer la planeación")
    goal = GoalFactory(objective=objective, code="M1", name="Meta uno", unit=unit)
    ActionFactory(goal=goal, code="A1", name="Actividad uno")
    return plan


@pytest.mark.django_db
def test_plan_workspace_is_spanish_by_default(client, planner, workspace_plan):
    client.force_login(planner)
    body = client.get(reverse("planning:plan-detail", args=[workspace_plan.pk])).content.decode()
    assert "Árbol del plan" in body
    assert "Agregar objetivo" in body
    assert "Plan tree" not in body


@pytest.mark.django_db
def test_plan_workspace_is_english_with_the_language_cookie(client, planner, workspace_plan):
    client.force_login(planner)
    url = reverse("planning:plan-detail", args=[workspace_plan.pk])
    body = _english(client).get(url).content.decode()
    _assert_english(
        body,
        # the objective's name: data stays as entered
        shown=["Plan tree", "Add objective", "Plan summary", "Fortalecer la planeación"],
        gone=["Árbol del plan"],
    )


@pytest.mark.django_db
def test_start_date_headers_read_start_not_home_in_english(client, planner, workspace_plan):
    """«Inicio» is both the home page and a start date; the date headers carry a context."""
    PeriodFactory(plan=workspace_plan, label="T1")
    client.force_login(planner)
    english = _english(client)
    actions = english.get(reverse("planning:action-list")).content.decode()
    periods = english.get(reverse("planning:period-list", args=[workspace_plan.pk]))
    assert re.search(r"<th[^>]*>\s*<a[^>]*>\s*Start\s*</a>", actions)
    assert '<th scope="col">Start</th>' in periods.content.decode()
    assert re.search(r'class="nav-link"[^>]*>Home</a>', actions)
