"""Measurements: the form (draft, evidence, submit), the read view with evidence and review
history, the review actions (approve, return) and evidence download/removal.

Every write goes through evaluation.services; the permission checks done here on GET only
mirror the services' own, so a page a user may not use answers 403 before showing a form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import services
from evaluation.forms_measurements import MeasurementForm
from evaluation.models import Indicator, IndicatorTarget, Measurement, MeasurementEvidence
from management.forms import SUBMIT, ReturnForm
from management.views.reports import error_text, next_url
from mipg.models import ReviewStatus
from mipg.permissions import can_report, require, require_perm
from mipg.views_evidence import serve_evidence
from mipg.web import apply_service_errors, crumbs_for
from mipg.workflow import EDITABLE
from mipg.worklists import review_history
from planning.models import ReportingPeriod


def _require_reporter(user, indicator, perm):
    require(
        user.has_perm(perm)
        and can_report(user, unit_id=indicator.unit_id, perm="evaluation.submit_measurement"),
        _("Solo los responsables de la dependencia del indicador pueden reportar sus mediciones."),
    )


def _can_edit(user, measurement):
    return (
        measurement.status in EDITABLE
        and not measurement.period.locked
        and user.has_perm("evaluation.change_measurement")
        and can_report(
            user, unit_id=measurement.indicator.unit_id, perm="evaluation.submit_measurement"
        )
    )


def _saved_message(request, submitted):
    if submitted:
        messages.success(request, _("Medición enviada a revisión."))
    else:
        messages.success(request, _("Medición guardada como borrador."))


def _plan_id(indicator):
    if indicator.objective_id:
        return indicator.objective.plan_id
    return indicator.goal.objective.plan_id


def _measurement_queryset():
    return Measurement.objects.select_related(
        "indicator__unit",
        "indicator__goal__objective",
        "indicator__objective",
        "period__plan",
        "created_by",
        "submitted_by",
        "reviewed_by",
    )


def _target(indicator, period):
    """The programmed target (meta) of the indicator in the period, or None."""
    return (
        IndicatorTarget.objects.filter(indicator=indicator, period=period)
        .values_list("value", flat=True)
        .first()
    )


def _save_evidence_and_submit(measurement, form, *, by, submit):
    for upload in form.cleaned_data["file"]:
        services.add_measurement_evidence(measurement, by=by, file=upload)
    if submit:
        services.submit_measurement(measurement, by=by)


# --- form -------------------------------------------------------------------------------


@login_required
def measurement_create(request, indicator_pk, period_pk):
    indicator = get_object_or_404(
        Indicator.objects.select_related("unit", "goal__objective", "objective"), pk=indicator_pk
    )
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=period_pk)
    if period.plan_id != _plan_id(indicator):
        raise Http404(_("El periodo no pertenece al plan del indicador."))
    _require_reporter(request.user, indicator, "evaluation.add_measurement")

    existing = Measurement.objects.filter(indicator=indicator, period=period).first()
    if existing is not None:
        messages.info(request, _("Este indicador ya tiene una medición para el periodo."))
        editable = existing.status in EDITABLE
        return redirect(
            "evaluation:measurement-edit" if editable else "evaluation:measurement-detail",
            existing.pk,
        )
    if period.locked:
        messages.error(
            request,
            _("El periodo «%(label)s» está cerrado y no admite reportes.")
            % {"label": period.label},
        )
        return redirect("management:my-pending")

    form = MeasurementForm(request.POST or None, request.FILES or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("intent") == SUBMIT
        try:
            with transaction.atomic():
                measurement = services.create_measurement(
                    indicator,
                    period,
                    by=request.user,
                    narrative=form.cleaned_data["narrative"],
                    **form.figures(),
                )
                _save_evidence_and_submit(measurement, form, by=request.user, submit=submit)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _saved_message(request, submit)
            return redirect("evaluation:measurement-detail", measurement.pk)
    return render(
        request,
        "evaluation/measurements/form.html",
        {
            "form": form,
            "indicator": indicator,
            "period": period,
            "measurement": None,
            "target": _target(indicator, period),
            "evidence": [],
            "crumbs": crumbs_for(indicator, last=_("Nueva medición")),
        },
    )


@login_required
def measurement_edit(request, pk):
    measurement = get_object_or_404(_measurement_queryset(), pk=pk)
    indicator = measurement.indicator
    _require_reporter(request.user, indicator, "evaluation.change_measurement")
    if measurement.period.locked or measurement.status not in EDITABLE:
        messages.error(
            request,
            _("Esta medición no se puede modificar: está «%(status)s» o su periodo está cerrado.")
            % {"status": measurement.get_status_display()},
        )
        return redirect("evaluation:measurement-detail", measurement.pk)

    initial = {"narrative": measurement.narrative}
    if measurement.numerator is not None:
        initial.update(numerator=measurement.numerator, denominator=measurement.denominator)
    else:
        initial["value"] = measurement.value
    form = MeasurementForm(
        request.POST or None, request.FILES or None, initial=initial, indicator=indicator
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("intent") == SUBMIT
        try:
            with transaction.atomic():
                services.update_measurement(
                    measurement,
                    by=request.user,
                    narrative=form.cleaned_data["narrative"],
                    **form.figures(),
                )
                _save_evidence_and_submit(measurement, form, by=request.user, submit=submit)
        except ValidationError as error:
            measurement.refresh_from_db()
            apply_service_errors(form, error)
        else:
            _saved_message(request, submit)
            return redirect("evaluation:measurement-detail", measurement.pk)
    return render(
        request,
        "evaluation/measurements/form.html",
        {
            "form": form,
            "indicator": indicator,
            "period": measurement.period,
            "measurement": measurement,
            "target": _target(indicator, measurement.period),
            "evidence": measurement.evidence.select_related("uploaded_by").order_by("uploaded_at"),
            "crumbs": crumbs_for(measurement, last=_("Editar")),
        },
    )


# --- read view --------------------------------------------------------------------------


@login_required
def measurement_detail(request, pk):
    require_perm(request.user, "evaluation.view_measurement")
    measurement = get_object_or_404(_measurement_queryset(), pk=pk)
    user = request.user
    can_edit = _can_edit(user, measurement)
    return render(
        request,
        "evaluation/measurements/detail.html",
        {
            "measurement": measurement,
            "evidence": measurement.evidence.select_related("uploaded_by").order_by("uploaded_at"),
            "history": review_history(measurement),
            "can_edit": can_edit,
            "can_submit": can_edit,
            "can_review": measurement.status == ReviewStatus.SUBMITTED
            and not measurement.period.locked
            and user.has_perm("evaluation.review_measurement"),
            "crumbs": crumbs_for(measurement),
        },
    )


# --- workflow actions -------------------------------------------------------------------


@login_required
@require_POST
def measurement_submit(request, pk):
    measurement = get_object_or_404(_measurement_queryset(), pk=pk)
    try:
        services.submit_measurement(measurement, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Medición enviada a revisión."))
    return redirect("evaluation:measurement-detail", measurement.pk)


@login_required
@require_POST
def measurement_approve(request, pk):
    measurement = get_object_or_404(_measurement_queryset(), pk=pk)
    try:
        services.approve_measurement(measurement, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("evaluation:measurement-detail", measurement.pk)
    messages.success(request, _("Medición «%(figure)s» aprobada.") % {"figure": measurement})
    return redirect(next_url(request, reverse("management:review-queue")))


@login_required
def measurement_return(request, pk):
    """GET: the comment form; POST: return the measurement to its unit with the comment."""
    require_perm(
        request.user,
        "evaluation.review_measurement",
        _("Solo la oficina de planeación puede aprobar o devolver mediciones."),
    )
    measurement = get_object_or_404(_measurement_queryset(), pk=pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_measurement(
                measurement, by=request.user, comment=form.cleaned_data["review_comment"]
            )
        except ValidationError as error:
            measurement.refresh_from_db()
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Medición «%(figure)s» devuelta al responsable.") % {"figure": measurement},
            )
            return redirect(next_url(request, reverse("management:review-queue")))
    return render(
        request,
        "management/reports/return.html",
        {
            "figure": measurement,
            "form": form,
            "cancel_url": reverse("evaluation:measurement-detail", args=[measurement.pk]),
            "next": next_url(request, ""),
            "crumbs": crumbs_for(measurement, last=_("Devolver")),
        },
    )


# --- evidence ---------------------------------------------------------------------------


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(MeasurementEvidence, pk=pk)
    return serve_evidence(request, evidence, perm="evaluation.view_measurementevidence")


@login_required
def evidence_delete(request, pk):
    """GET: confirmation; POST: remove the file from a draft or returned measurement."""
    evidence = get_object_or_404(
        MeasurementEvidence.objects.select_related(
            "measurement__indicator__unit", "measurement__period"
        ),
        pk=pk,
    )
    measurement = evidence.measurement
    _require_reporter(request.user, measurement.indicator, "evaluation.delete_measurementevidence")
    if request.method == "POST":
        try:
            services.remove_measurement_evidence(evidence, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("evaluation:measurement-detail", measurement.pk)
        messages.success(
            request, _("Evidencia «%(name)s» eliminada.") % {"name": evidence.original_name}
        )
        return redirect("evaluation:measurement-edit", measurement.pk)
    return render(
        request,
        "management/reports/evidence_confirm_delete.html",
        {
            "evidence": evidence,
            "figure": measurement,
            "cancel_url": reverse("evaluation:measurement-edit", args=[measurement.pk]),
            "crumbs": crumbs_for(measurement, last=_("Eliminar evidencia")),
        },
    )
