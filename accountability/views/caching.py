"""Caching of the citizen portal for a hearing-day spike.

What citizens read never changes once published: a report's snapshot and files are
frozen; only a withdrawal (with its reason), a new publication and the entity's identity
change what a portal page shows. So every portal page is:

- validated: an ``ETag`` (and ``Last-Modified``) derived from what the page depends on, so
  a browser or proxy asking again with ``If-None-Match`` gets a 304 without the page being
  built;
- shared: ``Cache-Control: public, max-age=…`` so proxies and browsers keep it a little;
- cached whole on the server (``CACHES["default"]``: Redis when ``MIPG_CACHE_URL`` is set,
  memory of each process otherwise) under a key made of the same dependencies, so a new
  publication, a withdrawal or an identity change gives new keys at once: nothing has to
  be deleted, old entries expire.

Mark a GET view with ``public_cache(version_func)``; ``PortalCacheMiddleware`` (early in
settings.MIDDLEWARE) does the work, so a stored page skips sessions, authentication and
the rest. ``version_func(request, *args, **kwargs)`` returns a ``PageVersion`` naming
everything the page shows that could change, cheaply (it runs on every request, hit or
miss: ``portal_version`` reads the cache), or None to skip caching (e.g. the object does
not exist: the view answers its 404). Start from
``portal_version(request)`` (publications, withdrawals, identity) and ``extend`` it, e.g.
a page that shows answered questions::

    def report_page_version(request, pk):
        return portal_version(request).extend(pk, answers_version(pk))

    @require_safe
    @public_cache(report_page_version)
    def report_detail(request, pk): ...

Pages with a form must not be shared: a CSRF token is personal. A page that used one
(``{% csrf_token %}``) is never stored nor marked public (the middleware checks), so keep
forms on their own page and cache the page that links to it.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from accountability.selectors import portal_state

# Browsers and proxies keep a page two minutes: a withdrawal reaches everyone within that
# time, while the server's copy is replaced at once.
PAGE_MAX_AGE = 120
# A report's files never change (their SHA-256 is their ETag): a day.
FILE_MAX_AGE = 24 * 60 * 60
# The server's copy of a page: its key changes with what it depends on, so this only
# bounds how long an unused copy stays.
SERVER_TIMEOUT = 24 * 60 * 60
KEY_PREFIX = "portal:page:"
# Headers a stored page does not keep: set again on every answer.
NOT_STORED = {"etag", "last-modified", "cache-control", "x-portal-cache", "set-cookie"}


@dataclass(frozen=True)
class PageVersion:
    """What a page depends on: ``key`` (any text that changes when the page would), and
    ``last_modified`` (the time of the latest change, or None)."""

    key: str
    last_modified: datetime | None = None

    def extend(self, *parts, last_modified=None):
        """This version with more dependencies (and a later change time, if given)."""
        times = [t for t in (self.last_modified, last_modified) if t is not None]
        return PageVersion("|".join([self.key, *map(str, parts)]), max(times) if times else None)


def portal_version(request, *args, **kwargs):
    """What every portal page depends on: the reports' publications and withdrawals, the
    entity's identity (name, NIT, logo, colours, contact) and the citizen dialogue's public
    changes; ``selectors.portal_state``: no query when cached, four otherwise."""
    state = portal_state()
    changed = [
        t for t in (state["published"], state["withdrawn"], state["dialogue"]) if t is not None
    ]
    return PageVersion(
        f"{state['published']}|{state['withdrawn']}|{state['count']}|{state['identity']}"
        f"|{state['dialogue']}",
        max(changed) if changed else None,
    )


def _headers(response, etag, last_modified, max_age):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def _shareable(request, response, *, store):
    """A 200 answer that set no cookie and used no CSRF token: the same for everyone
    (a stored one must be a whole page, not a stream)."""
    return (
        response.status_code == 200
        and not (store and response.streaming)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


@dataclass(frozen=True)
class CachePolicy:
    """How a portal view is cached (attached to it by ``public_cache``)."""

    version_func: Callable
    max_age: int = PAGE_MAX_AGE
    store: bool = True
    timeout: int = SERVER_TIMEOUT

    def serve(self, request, args, kwargs, get_response):
        """Answer ``request`` for the view: 304, the stored page, or the page built by
        ``get_response`` (the rest of the middleware and the view), stored when
        shareable."""
        version = self.version_func(request, *args, **kwargs)
        if version is None:
            return get_response(request)
        language = translation.get_language_from_request(request)
        source = "\n".join([request.get_full_path(), language, version.key])
        digest = hashlib.sha256(source.encode()).hexdigest()
        etag, modified = f'"{digest[:40]}"', version.last_modified
        timestamp = modified.timestamp() if modified is not None else None
        answer = get_conditional_response(request, etag=etag, last_modified=timestamp)
        if answer is not None:
            return _headers(answer, etag, modified, self.max_age)
        key = KEY_PREFIX + digest
        stored = cache.get(key) if self.store else None
        if stored is not None:
            status, content, headers = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Portal-Cache"] = "hit"
            return _headers(response, etag, modified, self.max_age)
        response = get_response(request)
        if not _shareable(request, response, store=self.store):
            return response
        if self.store and request.method == "GET":
            headers = [(h, v) for h, v in response.items() if h.lower() not in NOT_STORED]
            cache.set(key, (response.status_code, response.content, headers), self.timeout)
            response["X-Portal-Cache"] = "miss"
        return _headers(response, etag, modified, self.max_age)


def public_cache(version_func, *, max_age=PAGE_MAX_AGE, store=True, timeout=SERVER_TIMEOUT):
    """Mark a portal GET view as cached: ``PortalCacheMiddleware`` answers 304 on a
    matching ``If-None-Match`` (or ``If-Modified-Since``), the page from the server cache
    when stored (``store``; not for file downloads, which stream from disk), and sets
    ``ETag``, ``Last-Modified`` and ``Cache-Control: public, max-age`` on what it answers.
    See the module's docstring."""

    def decorator(view):
        view.public_cache = CachePolicy(version_func, max_age, store, timeout)
        return view

    return decorator


class PortalCacheMiddleware:
    """Serves the views marked with ``public_cache`` (settings.MIDDLEWARE, right after
    WhiteNoise): a stored page goes out without sessions, authentication, CSRF or
    messages, which is what lets a page keep up with a static file under a spike. A page
    is stored as the rest of the middleware finished it (Vary, X-Frame-Options,
    Content-Language); the middleware above it (security headers, CSP) runs on every
    answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        policy = getattr(match.func, "public_cache", None)
        if policy is None:
            return self.get_response(request)
        return policy.serve(request, match.args, match.kwargs, self.get_response)
