"""One number format on every page of the demo: percentages with two decimals ("66,67 %"),
money without decimals ("$ 1.234.567"), plain numbers with only the decimals they have and
Colombian separators — never a raw Decimal ("75.0000", "1234.5678") or a percentage with
one or four decimals ("66,7 %", "66,6700 %").

The test crawls the demo (seed_demo) from the entry pages as each persona, following the
site's own links, and reads the visible text of every HTML page it reaches."""

import re
import shutil
import tempfile
from collections import Counter, deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from mipg.core.models import User
from tests.wiring.test_seed import FAST_HASHERS

BAD_NUMBERS = {
    # One point and four or more places; budget codes (rubros: 2.3.2201.0700) have several.
    "a raw Decimal with four or more places": r"(?<![\d.])\d+\.\d{4,}(?![\d.])",
    "trailing zeros of a raw Decimal": r"\d[.,]0000",
    "a percentage with three or more decimals": r",\d{3,}\s?%",
    "a percentage with one decimal": r"(?<![\d.,])\d{1,3}(?:\.\d{3})*,\d\s?%",
    "a percentage with a decimal point": r"(?<![\d.,])\d+\.\d{1,2}\s?%",
    "money with decimals": r"\$\s?-?[\d.]+,\d",
}
PATTERN = re.compile("|".join(f"(?P<p{i}>{p})" for i, p in enumerate(BAD_NUMBERS.values())))
NAMES = list(BAD_NUMBERS)
# Paths not crawled: other formats (exports), the admin, the API, logging out, languages.
SKIPPED = re.compile(r"^/(admin|api|cuenta|i18n|static|media)/|export|\.xlsx|\.csv|\.pdf")
PER_SHAPE = 3  # pages visited per path shape (digits masked), query strings included
MAX_PAGES = 400


class VisibleText(HTMLParser):
    """The text a reader sees (not scripts or styles, but the values in form fields) and
    the links of a page."""

    def __init__(self):
        super().__init__()
        self.text, self.links, self._hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "input" and attrs.get("type") in ("text", "number") and attrs.get("value"):
            self.text.append(attrs["value"])  # what a form shows in its fields

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def bad_numbers(text):
    """(what is wrong, the text around it) for each badly formatted number in `text`."""
    found = []
    for match in PATTERN.finditer(text):
        name = NAMES[int(match.lastgroup[1:])]
        around = text[max(match.start() - 40, 0) : match.end() + 10]
        found.append((name, " ".join(around.split())))
    return found


def test_bad_numbers_finds_what_the_format_forbids():
    """The patterns catch the wrong formats and leave the house format alone."""
    wrong = ["75.0000", "1234.5678", "66,6700 %", "66,7 %", "66.67 %", "$ 1.234.567,50"]
    right = ["66,67 %", "100 %", "1.234,50 %", "$ 1.234.567", "1.500", "2,5", "66,6667", "1.1"]
    right += ["2.3.2201.0700.2201029.01"]  # a budget code (rubro presupuestal)
    assert [len(bad_numbers(text)) for text in wrong] == [1, 1, 1, 1, 1, 1]
    assert [bad_numbers(text) for text in right] == [[]] * len(right)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tempfile.mkdtemp(prefix="demo-media-"))
class DemoNumberFormatTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.addClassCleanup(shutil.rmtree, settings.MEDIA_ROOT, ignore_errors=True)
        call_command("seed_demo", stdout=StringIO())

    def crawl(self, username, *start):
        """{url: [(what is wrong, text)]} over the pages reachable from `start`, and the
        number of pages read."""
        self.client.force_login(User.objects.get(username=username))
        queue, seen, shapes = deque(start), set(start), Counter()
        problems, read = {}, 0
        while queue and read < MAX_PAGES:
            url = queue.popleft()
            response = self.client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            read += 1
            parser = VisibleText()
            # a published report's HTML file is served as a file (streamed): read it too
            body = b"".join(response.streaming_content) if response.streaming else response.content
            parser.feed(body.decode())
            if found := bad_numbers(" ".join(parser.text)):
                problems[url] = found
            for href in parser.links:
                link = urldefrag(href).url
                parts = urlsplit(link)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                shape = re.sub(r"\d+", "N", parts.path)
                if link in seen or SKIPPED.search(link) or shapes[shape] >= PER_SHAPE:
                    continue
                seen.add(link)
                shapes[shape] += 1
                queue.append(link)
        return problems, read

    def test_demo_pages_show_one_number_format(self):
        entry = [
            reverse("home"),
            reverse("dashboard"),
            reverse("planning:plan-list"),
            reverse("planning:action-list"),
            reverse("management:allocation-list"),
            reverse("management:report-list"),
            reverse("planning:rating-list"),
            reverse("management:review-queue"),
            reverse("evaluation:indicator-list"),
        ]
        problems, read = self.crawl("planeacion", *entry)
        for username in ("directivo", "responsable", "control"):
            more, count = self.crawl(username, reverse("home"), reverse("management:my-pending"))
            problems.update(more)
            read += count
        assert read >= 200, f"only {read} pages read: the crawl did not reach the demo"
        lines = [
            f"{url}: {name}: «{text}»" for url, found in problems.items() for name, text in found
        ]
        assert not lines, "badly formatted numbers:\n" + "\n".join(lines)
