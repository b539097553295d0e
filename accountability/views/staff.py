"""Staff pages of accountability reports: list, create, status and detail (refreshes by
itself while the job runs, with a refresh link that works without JavaScript), retry,
publish and withdraw with confirmation, and the stored files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability.forms import ReportForm, WithdrawForm
from accountability.models import AccountabilityReport, ReportFile
from accountability.selectors import report_list, report_with_files
from accountability.services import (
    create_report,
    fail_stale_reports,
    publish_report,
    queue_generation,
    withdraw_report,
)
from accountability.tasks import generate_report_task
from mipg.core.permissions import require_perm
from mipg.core.queueing import enqueue
from mipg.core.web import apply_service_errors, paginate

VIEW = "accountability.view_accountabilityreport"
ADD = "accountability.add_accountabilityreport"
PUBLISH = "accountability.publish_accountabilityreport"
REFRESH_SECONDS = 3


def _crumbs(report=None, last=None):
    crumbs = [(_("Informes de rendición de cuentas"), reverse("accountability:report-list"))]
    if report is not None:
        crumbs.append((report.title, report.get_absolute_url()))
    if last:
        crumbs.append((last, None))
    return crumbs


@login_required
def report_list_view(request):
    require_perm(request.user, VIEW)
    page = paginate(request, report_list())
    return render(
        request,
        "accountability/report_list.html",
        {
            "page": page,
            "crumbs": _crumbs(),
            "can_add": request.user.has_perm(ADD),
        },
    )


@login_required
def report_create(request):
    require_perm(request.user, ADD)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = create_report(
                plan=data["plan"],
                periods=form.periods(),
                kind=data["kind"],
                title=data["title"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            enqueue(generate_report_task, report.pk, request=request)
            return redirect(report)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Nuevo informe"),
            "submit_label": _("Generar informe"),
            "cancel_url": reverse("accountability:report-list"),
            "crumbs": _crumbs(last=_("Nuevo informe")),
        },
    )


@login_required
def report_detail(request, pk):
    require_perm(request.user, VIEW)
    report = report_with_files(pk, snapshot=False)
    if report is None:
        raise Http404
    if report.is_running and fail_stale_reports(pks=[report.pk]):
        # its worker died: now failed, with a retry button
        report = report_with_files(pk, snapshot=False)
    periods = list(report.periods.all())
    return render(
        request,
        "accountability/report_detail.html",
        {
            "report": report,
            "periods": periods,
            "files": list(report.files.all()),
            "refresh_seconds": REFRESH_SECONDS if report.is_running else None,
            "can_publish": request.user.has_perm(PUBLISH),
            "can_retry": request.user.has_perm(ADD) and not report.is_frozen,
            "crumbs": _crumbs(report),
        },
    )


@login_required
@require_POST
def report_retry(request, pk):
    require_perm(request.user, ADD)
    report = get_object_or_404(AccountabilityReport.objects.defer("snapshot"), pk=pk)
    try:
        queue_generation(report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        enqueue(generate_report_task, report.pk, request=request)
    return redirect(report)


@login_required
def report_publish(request, pk):
    require_perm(request.user, PUBLISH)
    report = get_object_or_404(
        AccountabilityReport.objects.select_related("plan").defer("snapshot"), pk=pk
    )
    errors = []
    if request.method == "POST":
        try:
            publish_report(report, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Informe publicado."))
            return redirect(report)
    return render(
        request,
        "accountability/report_publish.html",
        {"report": report, "errors": errors, "crumbs": _crumbs(report, _("Publicar"))},
    )


@login_required
def report_withdraw(request, pk):
    require_perm(request.user, PUBLISH)
    report = get_object_or_404(
        AccountabilityReport.objects.select_related("plan").defer("snapshot"), pk=pk
    )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_report(report, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Informe retirado. Sus archivos se conservan."))
            return redirect(report)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Retirar «%(title)s»") % {"title": report.title},
            "submit_label": _("Retirar informe"),
            "cancel_url": report.get_absolute_url(),
            "crumbs": _crumbs(report, _("Retirar")),
        },
    )


@login_required
def report_file(request, pk, name):
    require_perm(request.user, VIEW)
    row = get_object_or_404(ReportFile, report_id=pk, name=name)
    response = FileResponse(row.file.open("rb"), content_type=row.media_type)
    if row.media_type != "text/html":
        response["Content-Disposition"] = f'attachment; filename="informe-{pk}-{name}"'
    return response
