"""The citizen portal under /transparencia/ (namespace "public"): pages anyone may read
without logging in. They show only what was published: the frozen snapshots and files of
published reports (withdrawn ones with their reason), never live figures, drafts or
evidence.

Every page here is cached for a hearing-day spike (``accountability.views.caching``):
ETag/Last-Modified with 304 answers, ``Cache-Control: public`` and a server-side copy
keyed by what the page depends on."""

import datetime
import time

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accountability.models import AccountabilityReport, ReportFile
from accountability.outputs import report_context
from accountability.selectors import (
    latest_plan_reports,
    published_reports,
    report_dialogue,
    report_with_files,
)
from accountability.verification import verify_report
from accountability.views.caching import FILE_MAX_AGE, PageVersion, portal_version, public_cache
from mipg.core.models import Entity
from mipg.core.web import paginate

LATEST_REPORTS = 5
# The verify page hashes every file of a report again: its copy is kept one minute (browsers,
# proxies and the server), so a crowd opening it at a hearing costs one hashing a minute
# instead of one per visit, while a file altered on disk shows up within that minute.
VERIFY_SECONDS = 60


def portal_render(request, template, context=None):
    """Render a portal page with the entity's identity (name, NIT, logo, contact)."""
    return render(request, template, {"entity": Entity.current(), **(context or {})})


@require_safe
@public_cache(portal_version)
def identity_css(request):
    """The entity's colour as a CSS custom property: the portal's stylesheet reads it, so no
    page needs an inline style (the content security policy forbids them)."""
    color = Entity.current().primary_color
    return HttpResponse(f":root {{ --entity-color: {color}; }}\n", content_type="text/css")


@require_safe
def entity_logo(request):
    """The entity's logo. MEDIA_ROOT is not served (evidence lives there), so the header's
    logo comes through this view."""
    entity = Entity.current()
    if not entity.logo:
        raise Http404
    return FileResponse(entity.logo.open("rb"))


@require_safe
@public_cache(portal_version)
def home(request):
    """The portal's start page: for each plan, the figures of its latest published report
    (progress planned and executed, budget, commitments and payments at the cut-off), the
    latest published reports and where to ask a question."""
    plans = list(latest_plan_reports())
    for report in plans:
        report.cutoff_date = datetime.date.fromisoformat(report.cutoff["end_date"])
    latest = list(published_reports()[:LATEST_REPORTS])
    newest = max(plans, key=lambda r: (r.published_at, r.pk), default=None)
    return portal_render(
        request,
        "accountability/public/home.html",
        {"plans": plans, "latest": latest, "ask_in": newest, "section": "home"},
    )


@require_safe
@public_cache(portal_version)
def report_list(request):
    """Every published report, newest first, paginated."""
    page = paginate(request, published_reports())
    return portal_render(
        request,
        "accountability/public/report_list.html",
        {"page": page, "section": "reports"},
    )


def _published_or_404(pk):
    """A report citizens may see (published or withdrawn), with its plan, periods and
    files; anything else is a 404, as if it did not exist."""
    report = report_with_files(pk)
    if report is None or not report.is_frozen:
        raise Http404
    return report


def _report_page_version(request, pk):
    """A report page shows its commitments' state, which turns «vencido» when a due date
    passes: the page changes with the day too."""
    return portal_version(request).extend(pk, timezone.localdate())


@require_safe
@public_cache(_report_page_version)
def report_detail(request, pk):
    """A published report: its frozen content (the same body as its HTML file), the
    downloads with sizes and SHA-256, and the reason when it was withdrawn."""
    report = _published_or_404(pk)
    context = report_context(report.snapshot, kind_label=report.get_kind_display())
    return portal_render(
        request,
        "accountability/public/report_detail.html",
        {
            **context,
            "report": report,
            "files": list(report.files.all()),
            **report_dialogue(report),
            "section": "reports",
            "crumbs": [
                (_("Transparencia"), reverse("public:home")),
                (_("Informes de rendición de cuentas"), reverse("public:report-list")),
                (report.title, None),
            ],
        },
    )


def _published_files():
    return ReportFile.objects.filter(report__status__in=AccountabilityReport.FROZEN_STATUSES)


def _file_version(request, pk, name):
    """A stored file never changes: its SHA-256 is its version. One query."""
    row = (
        _published_files()
        .filter(report_id=pk, name=name)
        .values("sha256", "report__published_at")
        .first()
    )
    return row and PageVersion(row["sha256"], row["report__published_at"])


@require_safe
@public_cache(_file_version, max_age=FILE_MAX_AGE, store=False)
def report_file(request, pk, name):
    """A file of a published report, as stored (its SHA-256 is on the report's page)."""
    row = get_object_or_404(_published_files(), report_id=pk, name=name)
    response = FileResponse(row.file.open("rb"), content_type=row.media_type)
    if row.media_type != "text/html":
        response["Content-Disposition"] = f'attachment; filename="informe-{pk}-{name}"'
    return response


def _verify_version(request, pk):
    """The portal's state, the report and the current minute: the verdict is recomputed
    at most once a minute."""
    return portal_version(request).extend(pk, int(time.time() // VERIFY_SECONDS))


@require_safe
@public_cache(_verify_version, max_age=VERIFY_SECONDS, timeout=VERIFY_SECONDS)
def report_verify(request, pk):
    """Recompute on the server the SHA-256 of every stored file of a published report and
    walk its hash chain back to the plan's first published report, saying in words what
    still matches (accountability.verification, the checks of ``verify_reports``)."""
    report = _published_or_404(pk)
    return portal_render(
        request,
        "accountability/public/report_verify.html",
        {
            "report": report,
            "check": verify_report(report),
            "checked_at": timezone.now(),
            "section": "reports",
            "crumbs": [
                (_("Transparencia"), reverse("public:home")),
                (_("Informes de rendición de cuentas"), reverse("public:report-list")),
                (report.title, reverse("public:report-detail", args=[report.pk])),
                (_("Verificar"), None),
            ],
        },
    )
