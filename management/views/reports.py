"""Progress reports: the form (draft, evidence, submit), the read view with evidence and
review history, the review actions (approve, return) and evidence download/removal.

Every write goes through management.services; the permission checks done here on GET only
mirror the services' own, so a page a user may not use answers 403 before showing a form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from management import services
from management.forms import SUBMIT, ProgressReportForm, ReturnForm
from management.models import ProgressEvidence, ProgressReport
from mipg.models import ReviewStatus
from mipg.permissions import can_report, require, require_perm
from mipg.views_evidence import serve_evidence
from mipg.web import apply_service_errors, crumbs_for
from mipg.workflow import EDITABLE
from mipg.worklists import review_history
from planning.models import Action, ReportingPeriod

# --- helpers shared with the measurement views ------------------------------------------


def error_text(error):
    """All messages of a ValidationError as one line, for a flash message."""
    return " ".join(error.messages)


def next_url(request, default):
    """The ``next`` parameter when it points to this site, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _saved_message(request, submitted):
    if submitted:
        messages.success(request, _("Reporte de avance enviado a revisión."))
    else:
        messages.success(request, _("Reporte de avance guardado como borrador."))


# --- permissions ------------------------------------------------------------------------


def _require_reporter(user, action, perm):
    require(
        user.has_perm(perm)
        and can_report(user, unit_id=action.unit_id, perm="management.submit_progressreport"),
        _("Solo los responsables de la dependencia de la actividad pueden reportar su avance."),
    )


def _can_edit(user, report):
    return (
        report.status in EDITABLE
        and not report.period.locked
        and user.has_perm("management.change_progressreport")
        and can_report(user, unit_id=report.action.unit_id, perm="management.submit_progressreport")
    )


def _report_queryset():
    return ProgressReport.objects.select_related(
        "action__unit",
        "action__goal__objective__plan",
        "period__plan",
        "created_by",
        "submitted_by",
        "reviewed_by",
    )


def _previous_approved(action, period):
    """The latest approved report of ``action`` in a period ending before ``period``: the
    cumulative progress the new report starts from."""
    return (
        ProgressReport.objects.filter(
            action=action, status=ReviewStatus.APPROVED, period__end_date__lt=period.start_date
        )
        .select_related("period")
        .order_by("-period__end_date")
        .first()
    )


def _save_evidence_and_submit(report, form, *, by, submit):
    for upload in form.cleaned_data["file"]:
        services.add_progress_evidence(report, by=by, file=upload)
    if submit:
        services.submit_progress_report(report, by=by)


# --- form -------------------------------------------------------------------------------


@login_required
def report_create(request, action_pk, period_pk):
    action = get_object_or_404(
        Action.objects.select_related("unit", "goal__objective__plan"), pk=action_pk
    )
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=period_pk)
    if period.plan_id != action.goal.objective.plan_id:
        raise Http404(_("El periodo no pertenece al plan de la actividad."))
    _require_reporter(request.user, action, "management.add_progressreport")

    existing = ProgressReport.objects.filter(action=action, period=period).first()
    if existing is not None:
        messages.info(request, _("Esta actividad ya tiene un reporte para el periodo."))
        target = (
            "management:report-edit" if existing.status in EDITABLE else "management:report-detail"
        )
        return redirect(target, existing.pk)
    if period.locked:
        messages.error(
            request,
            _("El periodo «%(label)s» está cerrado y no admite reportes.")
            % {"label": period.label},
        )
        return redirect("management:my-pending")

    form = ProgressReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("intent") == SUBMIT
        try:
            with transaction.atomic():
                report = services.create_progress_report(
                    action,
                    period,
                    by=request.user,
                    progress=form.cleaned_data["progress"],
                    narrative=form.cleaned_data["narrative"],
                )
                _save_evidence_and_submit(report, form, by=request.user, submit=submit)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _saved_message(request, submit)
            return redirect("management:report-detail", report.pk)
    return render(
        request,
        "management/reports/form.html",
        {
            "form": form,
            "action": action,
            "period": period,
            "report": None,
            "previous": _previous_approved(action, period),
            "evidence": [],
            "crumbs": crumbs_for(action, last=_("Nuevo reporte de avance")),
        },
    )


@login_required
def report_edit(request, pk):
    report = get_object_or_404(_report_queryset(), pk=pk)
    _require_reporter(request.user, report.action, "management.change_progressreport")
    if report.period.locked or report.status not in EDITABLE:
        messages.error(
            request,
            _("Este reporte no se puede modificar: está «%(status)s» o su periodo está cerrado.")
            % {"status": report.get_status_display()},
        )
        return redirect("management:report-detail", report.pk)

    initial = {"progress": report.progress, "narrative": report.narrative}
    form = ProgressReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("intent") == SUBMIT
        try:
            with transaction.atomic():
                services.update_progress_report(
                    report,
                    by=request.user,
                    progress=form.cleaned_data["progress"],
                    narrative=form.cleaned_data["narrative"],
                )
                _save_evidence_and_submit(report, form, by=request.user, submit=submit)
        except ValidationError as error:
            report.refresh_from_db()
            apply_service_errors(form, error)
        else:
            _saved_message(request, submit)
            return redirect("management:report-detail", report.pk)
    return render(
        request,
        "management/reports/form.html",
        {
            "form": form,
            "action": report.action,
            "period": report.period,
            "report": report,
            "previous": _previous_approved(report.action, report.period),
            "evidence": report.evidence.select_related("uploaded_by").order_by("uploaded_at"),
            "crumbs": crumbs_for(report, last=_("Editar")),
        },
    )


# --- read view --------------------------------------------------------------------------


@login_required
def report_detail(request, pk):
    require_perm(request.user, "management.view_progressreport")
    report = get_object_or_404(_report_queryset(), pk=pk)
    user = request.user
    return render(
        request,
        "management/reports/detail.html",
        {
            "report": report,
            "evidence": report.evidence.select_related("uploaded_by").order_by("uploaded_at"),
            "history": review_history(report),
            "can_edit": _can_edit(user, report),
            "can_submit": _can_edit(user, report),
            "can_review": report.status == ReviewStatus.SUBMITTED
            and not report.period.locked
            and user.has_perm("management.review_progressreport"),
            "crumbs": crumbs_for(report),
        },
    )


# --- workflow actions -------------------------------------------------------------------


@login_required
@require_POST
def report_submit(request, pk):
    report = get_object_or_404(_report_queryset(), pk=pk)
    try:
        services.submit_progress_report(report, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Reporte de avance enviado a revisión."))
    return redirect("management:report-detail", report.pk)


@login_required
@require_POST
def report_approve(request, pk):
    report = get_object_or_404(_report_queryset(), pk=pk)
    try:
        services.approve_progress_report(report, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("management:report-detail", report.pk)
    messages.success(request, _("Reporte «%(report)s» aprobado.") % {"report": report})
    return redirect(next_url(request, reverse("management:review-queue")))


@login_required
def report_return(request, pk):
    """GET: the comment form; POST: return the report to its unit with the comment."""
    require_perm(
        request.user, "management.review_progressreport", _("Solo Planeación revisa reportes.")
    )
    report = get_object_or_404(_report_queryset(), pk=pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_progress_report(
                report, by=request.user, comment=form.cleaned_data["review_comment"]
            )
        except ValidationError as error:
            report.refresh_from_db()
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Reporte «%(report)s» devuelto al responsable.") % {"report": report}
            )
            return redirect(next_url(request, reverse("management:review-queue")))
    return render(
        request,
        "management/reports/return.html",
        {
            "figure": report,
            "form": form,
            "cancel_url": reverse("management:report-detail", args=[report.pk]),
            "next": next_url(request, ""),
            "crumbs": crumbs_for(report, last=_("Devolver")),
        },
    )


# --- evidence ---------------------------------------------------------------------------


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(ProgressEvidence, pk=pk)
    return serve_evidence(request, evidence, perm="management.view_progressevidence")


@login_required
def evidence_delete(request, pk):
    """GET: confirmation; POST: remove the file from a draft or returned report."""
    evidence = get_object_or_404(
        ProgressEvidence.objects.select_related("report__action__unit", "report__period"), pk=pk
    )
    report = evidence.report
    _require_reporter(request.user, report.action, "management.delete_progressevidence")
    if request.method == "POST":
        try:
            services.remove_progress_evidence(evidence, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("management:report-detail", report.pk)
        messages.success(
            request, _("Evidencia «%(name)s» eliminada.") % {"name": evidence.original_name}
        )
        return redirect("management:report-edit", report.pk)
    return render(
        request,
        "management/reports/evidence_confirm_delete.html",
        {
            "evidence": evidence,
            "figure": report,
            "cancel_url": reverse("management:report-edit", args=[report.pk]),
            "crumbs": crumbs_for(report, last=_("Eliminar evidencia")),
        },
    )
