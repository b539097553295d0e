"""The citizen portal under /transparencia/ (namespace "public"): pages anyone may read
without logging in. They show only what was published: the frozen snapshots and files of
published reports (withdrawn ones with their reason), never live figures, drafts or
evidence."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accountability.models import AccountabilityReport, ReportFile
from accountability.outputs import report_context
from accountability.selectors import published_reports, report_with_files
from mipg.core.models import Entity
from mipg.core.web import paginate

LATEST_REPORTS = 5


def portal_render(request, template, context=None):
    """Render a portal page with the entity's identity (name, NIT, logo, contact)."""
    return render(request, template, {"entity": Entity.current(), **(context or {})})


@require_safe
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
def home(request):
    """The portal's start page."""
    latest = list(published_reports()[:LATEST_REPORTS])
    return portal_render(
        request, "accountability/public/home.html", {"latest": latest, "section": "home"}
    )


@require_safe
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


@require_safe
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
            "section": "reports",
            "crumbs": [
                (_("Transparencia"), reverse("public:home")),
                (_("Informes de rendición de cuentas"), reverse("public:report-list")),
                (report.title, None),
            ],
        },
    )


@require_safe
def report_file(request, pk, name):
    """A file of a published report, as stored (its SHA-256 is on the report's page)."""
    row = get_object_or_404(
        ReportFile.objects.filter(report__status__in=AccountabilityReport.FROZEN_STATUSES),
        report_id=pk,
        name=name,
    )
    response = FileResponse(row.file.open("rb"), content_type=row.media_type)
    if row.media_type != "text/html":
        response["Content-Disposition"] = f'attachment; filename="informe-{pk}-{name}"'
    return response
