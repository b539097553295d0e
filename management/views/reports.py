"""Progress reports: the form (draft, evidence, submit), the read view with evidence and
review history, the review actions (approve, return) and evidence download/removal.

The pages are the reporting workflow's, shared with measurements (mipg.core.review.views);
this module describes progress reports to them and management/urls.py mounts them. Every
write goes through management.services and the review services.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from management import services
from management.forms import ProgressReportForm
from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from mipg.core.review import views as workflow
from planning.models import Action, ReportingPeriod


def _report_queryset():
    return ProgressReport.objects.select_related(
        "action__unit",
        "action__goal__objective__plan",
        "period__plan",
        "created_by",
        "submitted_by",
        "reviewed_by",
    )


def _report_form(data, files, action, report=None):
    initial = None
    if report is not None:
        initial = {
            "progress": report.progress,
            "quantity": report.quantity,
            "narrative": report.narrative,
        }
    return ProgressReportForm(data, files, initial=initial, action=action)


def _previous_approved(action, period):
    """The latest approved report of ``action`` in a period ending before ``period``: the
    cumulative progress the new report starts from."""
    return (
        ProgressReport.objects.filter(
            action=action, status=ReviewStatus.APPROVED, period__end_date__lt=period.start_date
        )
        .select_related("period", "action")
        .order_by("-period__end_date")
        .first()
    )


REPORTS = workflow.FigureKind(
    reviewed=services.PROGRESS_REPORTS,
    detail_url="management:report-detail",
    edit_url="management:report-edit",
    form_template="management/reports/form.html",
    detail_template="management/reports/detail.html",
    queryset=_report_queryset,
    form=_report_form,
    fields=ProgressReportForm.fields_for_service,
    form_context=lambda action, period: {"previous": _previous_approved(action, period)},
    create=services.create_progress_report,
    update=services.update_progress_report,
    messages=workflow.FigureMessages(
        already_reported=gettext_lazy("Esta actividad ya tiene un reporte para el periodo."),
        not_editable=gettext_lazy(
            "Este reporte no se puede modificar: está «%(status)s» o su periodo está cerrado."
        ),
        saved=gettext_lazy("Reporte de avance guardado como borrador."),
        submitted=gettext_lazy("Reporte de avance enviado a revisión."),
        approved=lambda report: (
            _("Reporte «%(report)s» aprobado: %(progress)s.")
            % {"report": report, "progress": report.progress_text}
        ),
        returned=lambda report: (
            _("Reporte «%(report)s» devuelto al responsable.") % {"report": report}
        ),
        new=gettext_lazy("Nuevo reporte de avance"),
    ),
)


@login_required
def report_create(request, action_pk, period_pk):
    action = get_object_or_404(
        Action.objects.select_related("unit", "goal__objective__plan"), pk=action_pk
    )
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=period_pk)
    if period.plan_id != action.goal.objective.plan_id:
        raise Http404(_("El periodo no pertenece al plan de la actividad."))
    return workflow.figure_create(request, action, period, kind=REPORTS)
