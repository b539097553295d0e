"""The anonymous crawl of the citizen portal, shared by the crawl test
(tests/accountability/test_public_crawl.py) and the browser test that runs axe-core on every
public page (tests/browser/test_public_pages.py).

``crawl(client)`` starts at ``/`` and /transparencia/, follows every same-site link (``<a>``,
``<link>``, ``<img>``/``<script>`` sources, the action of every GET form with its default
values) and fetches each URL once, with the given (anonymous) Django test client. Pages under
/transparencia/ are parsed for more links; other same-site URLs are fetched but not followed.
Pages added later under /transparencia/ are found the same way, as long as a link leads to
them.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve

PORTAL = "/transparencia/"
START = ("/", PORTAL)
# What an anonymous visitor may reach from the portal: the portal, its static assets, the
# staff login page (footer link) and the root that redirects to the portal. Never /media/:
# evidence and report files live there and no URL serves it (report files go through the
# portal's own view, which checks the report is published).
ALLOWED_PREFIXES = (PORTAL, "/static/")
ALLOWED_EXACT = ("/", "/cuenta/login/")
STATIC = "/" + settings.STATIC_URL.lstrip("/")
MAX_URLS = 400  # a runaway crawl (an ever-growing query string) fails instead of hanging


@dataclass
class Visit:
    """One fetched URL: ``status``, the ``location`` of a redirect, the page's text (HTML
    pages only) and where it was linked from."""

    url: str
    status: int
    content_type: str = ""
    location: str = ""
    text: str = ""
    referrers: list = field(default_factory=list)

    @property
    def path(self):
        return urlsplit(self.url).path

    @property
    def is_html(self):
        return self.content_type.startswith("text/html")

    @property
    def is_portal_page(self):
        return self.path.startswith(PORTAL) and self.is_html and self.status == 200

    @property
    def url_name(self):
        """The URL pattern's "namespace:name" (None when nothing resolves)."""
        try:
            return resolve(self.path).view_name
        except Resolver404:
            return None


def is_allowed(url):
    path = urlsplit(url).path
    return path.startswith(ALLOWED_PREFIXES) or path in ALLOWED_EXACT


class _Links(HTMLParser):
    """The URLs a page links to, and the URLs its GET forms submit with their defaults."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []
        self._form = None  # [action, fields] of the GET form being read
        self._select = None  # [name, first value, selected value]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag in ("img", "script", "iframe", "source") and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "form" and attrs.get("method", "get").lower() == "get":
            self._form = [attrs.get("action") or "", []]
        elif self._form is not None:
            self._form_field(tag, attrs)

    def _form_field(self, tag, attrs):
        name = attrs.get("name")
        kind = attrs.get("type", "text").lower()
        if tag == "input" and name and kind not in ("submit", "button", "image", "reset"):
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form[1].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in attrs:
                self._select[2] = value

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            name, first, selected = self._select
            self._form[1].append((name, selected if selected is not None else first or ""))
            self._select = None
        elif tag == "form" and self._form is not None:
            action, fields = self._form
            base = action.split("?")[0]
            self.urls.append(f"{base}?{urlencode(fields)}" if fields else action or "?")
            self._form = None


def links_of(page_url, html):
    """The same-site URLs (absolute paths with their query, no fragment) a page leads to."""
    parser = _Links()
    parser.feed(html)
    return [url for url in (_same_site(page_url, raw) for raw in parser.urls) if url]


def _same_site(page_url, raw):
    """``raw`` (a link of the page at ``page_url``) as a path with its query, or None when
    it leaves the site (mailto:, tel:, data:, gov.co, the entity's website)."""
    parts = urlsplit(urldefrag(urljoin(f"http://testserver{page_url}", raw.strip())).url)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start=START):
    """Every URL reachable from ``start`` following same-site links as ``client``, each
    fetched once, as a dict url → :class:`Visit` in the order found."""
    visits = {}
    queue = [(url, None) for url in start]
    while queue:
        url, referrer = queue.pop(0)
        if url in visits:
            if referrer:
                visits[url].referrers.append(referrer)
            continue
        assert len(visits) < MAX_URLS, f"the crawl passed {MAX_URLS} URLs: {list(visits)[-5:]}"
        if url.startswith(STATIC):
            # The test client's WhiteNoise serves only collected files: ask the finders.
            found = finders.find(urlsplit(url).path.removeprefix(STATIC))
            visits[url] = Visit(url=url, status=200 if found else 404, referrers=[referrer])
            continue
        response = client.get(url)
        visit = Visit(
            url=url,
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            location=response.get("Location", ""),
            referrers=[referrer] if referrer else [],
        )
        visits[url] = visit
        if visit.location:
            target = _same_site(url, visit.location)
            if target:
                queue.append((target, url))
        if not visit.is_html or getattr(response, "streaming", False):
            continue
        visit.text = response.content.decode()
        if visit.path.startswith(PORTAL):
            queue.extend((link, url) for link in links_of(url, visit.text))
    return visits


def public_pages(client, per_pattern=None):
    """The portal's HTML pages a visitor reaches (status 200), at most ``per_pattern`` per URL
    pattern (resolve(path).view_name) when given: the browser tests' sample."""
    seen = {}
    pages = []
    for visit in crawl(client).values():
        if not visit.is_portal_page:
            continue
        count = seen.get(visit.url_name, 0)
        if per_pattern is not None and count >= per_pattern:
            continue
        seen[visit.url_name] = count + 1
        pages.append(visit.url)
    return pages
