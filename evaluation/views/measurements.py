"""Measurements: the form (draft, evidence, submit), the read view with evidence and review
history, the review actions (approve, return) and evidence download/removal.

The pages are the reporting workflow's, shared with progress reports (mipg.core.review.views);
this module describes measurements to them and evaluation/urls.py mounts them. Every write
goes through evaluation.services and the review services.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation import services
from evaluation.forms import MeasurementForm
from evaluation.models import Indicator, IndicatorTarget, Measurement
from mipg.core.review import views as workflow
from planning.models import ReportingPeriod


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


def _measurement_form(data, files, indicator, measurement=None):
    initial = None
    if measurement is not None:
        initial = {"narrative": measurement.narrative}
        if measurement.numerator is not None:
            initial.update(numerator=measurement.numerator, denominator=measurement.denominator)
        else:
            initial["value"] = measurement.value
    return MeasurementForm(data, files, initial=initial, indicator=indicator)


def _measurement_fields(form):
    return {"narrative": form.cleaned_data["narrative"], **form.figures()}


def _target(indicator, period):
    """The programmed target (meta) of the indicator in the period, or None."""
    return (
        IndicatorTarget.objects.filter(indicator=indicator, period=period)
        .values_list("value", flat=True)
        .first()
    )


def _plan_id(indicator):
    if indicator.objective_id:
        return indicator.objective.plan_id
    return indicator.goal.objective.plan_id


MEASUREMENTS = workflow.FigureKind(
    reviewed=services.MEASUREMENTS,
    detail_url="evaluation:measurement-detail",
    edit_url="evaluation:measurement-edit",
    form_template="evaluation/measurements/form.html",
    detail_template="evaluation/measurements/detail.html",
    queryset=_measurement_queryset,
    form=_measurement_form,
    fields=_measurement_fields,
    form_context=lambda indicator, period: {"target": _target(indicator, period)},
    create=services.create_measurement,
    update=services.update_measurement,
    messages=workflow.FigureMessages(
        already_reported=gettext_lazy("Este indicador ya tiene una medición para el periodo."),
        not_editable=gettext_lazy(
            "Esta medición no se puede modificar: está «%(status)s» o su periodo está cerrado."
        ),
        saved=gettext_lazy("Medición guardada como borrador."),
        submitted=gettext_lazy("Medición enviada a revisión."),
        approved=lambda measurement: _("Medición «%(figure)s» aprobada.") % {"figure": measurement},
        returned=lambda measurement: (
            _("Medición «%(figure)s» devuelta al responsable.") % {"figure": measurement}
        ),
        new=gettext_lazy("Nueva medición"),
    ),
)


@login_required
def measurement_create(request, indicator_pk, period_pk):
    indicator = get_object_or_404(
        Indicator.objects.select_related("unit", "goal__objective", "objective"), pk=indicator_pk
    )
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=period_pk)
    if period.plan_id != _plan_id(indicator):
        raise Http404(_("El periodo no pertenece al plan del indicador."))
    return workflow.figure_create(request, indicator, period, kind=MEASUREMENTS)
