"""The Plan de Acción spreadsheet of a plan: its export and empty template (every internal
role), and its import (Planeación and Administrador): upload → preview → confirm, or the
problems with the error workbook to download (mipg.traceability.spreadsheet)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mipg.core.exports import XLSX_CONTENT_TYPE, xlsx_workbook_response
from mipg.core.models import ImportJob
from mipg.core.permissions import require_perm
from mipg.core.queueing import enqueue
from mipg.core.web import crumbs_for
from mipg.traceability.spreadsheet import jobs, uploads
from mipg.traceability.spreadsheet.errors import problem_text, write_error_workbook
from mipg.traceability.spreadsheet.export import write_plan, write_template
from mipg.traceability.spreadsheet.follow_up import follow_up_sheets
from mipg.traceability.spreadsheet.importer import IMPORT_PERMISSION, KINDS, import_plan
from mipg.traceability.tasks import import_plan_task
from planning.models import StrategicPlan
from planning.selectors import default_cutoff, periods_of

PREVIEW_ROWS = 200  # rows listed on the preview page; the counts cover them all
KIND_LABELS = {
    "objective": gettext_lazy("Objetivos"),
    "goal": gettext_lazy("Metas"),
    "action": gettext_lazy("Actividades"),
    "schedule": gettext_lazy("Programación de actividades"),
    "indicator": gettext_lazy("Indicadores"),
    "targets": gettext_lazy("Metas de indicadores"),
    "allocation": gettext_lazy("Asignaciones presupuestales"),
}
MAX_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Archivo del Plan de Acción (.xlsx)"),
        help_text=gettext_lazy("Use la plantilla del plan o un plan exportado."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("El archivo debe ser un libro de Excel (.xlsx)."))
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("El archivo supera el tamaño máximo de 50 MB."))
        return file


def _workbook_response(file, name):
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        file, as_attachment=True, filename=f"{name}-{stamp}.xlsx", content_type=XLSX_CONTENT_TYPE
    )


@login_required
def plan_export(request, pk):
    require_perm(request.user, "planning.view_strategicplan")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    return _workbook_response(write_plan(plan), f"plan-de-accion-{plan.pk}")


@login_required
def plan_template(request, pk):
    require_perm(request.user, "planning.view_strategicplan")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    return _workbook_response(write_template(plan), f"plantilla-plan-de-accion-{plan.pk}")


@login_required
def plan_follow_up(request, pk):
    """The follow-up workbook at the period ``?periodo=`` (default: the latest started)."""
    require_perm(request.user, "planning.view_strategicplan")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    periods = list(periods_of(plan))
    chosen = request.GET.get("periodo", "")
    period = next((p for p in periods if str(p.pk) == chosen), None) or default_cutoff(periods)
    if period is None:
        raise Http404(_("El plan no tiene periodos de reporte."))
    return xlsx_workbook_response(
        follow_up_sheets(plan, period), filename=f"seguimiento-{plan.pk}-{period.label}"
    )


def _context(request, plan, **extra):
    title = _("Importar Plan de Acción")
    return {"plan": plan, "title": title, "crumbs": crumbs_for(plan, last=title), **extra}


def _summary(counts):
    """Rows of the summary table from {kind: {status: n}} (an Outcome's or a job's)."""
    return [
        {
            "label": KIND_LABELS[kind],
            **{
                status: counts.get(kind, {}).get(status, 0)
                for status in ("created", "updated", "unchanged")
            },
        }
        for kind in KINDS
    ]


def _problems_page(request, plan, outcome, data):
    """The problems on the page, and the error workbook kept for download."""
    rows_with_problems = any(problem.row is not None for problem in outcome.problems)
    errors_url = None
    if rows_with_problems:
        with uploads.open_stored(data) as source:
            error_file = write_error_workbook(source, outcome)
        token = uploads.store(
            error_file, plan=plan, user=request.user, filename=f"errores-{data['filename']}"
        )
        errors_url = reverse("planning:plan-import-errors", args=[plan.pk, token])
    problems = [
        {"row": problem.row, "text": problem_text(outcome, problem)} for problem in outcome.problems
    ]
    context = _context(
        request,
        plan,
        form=ImportForm(),
        problems=problems,
        errors_url=errors_url,
        filename=data["filename"],
        total=outcome.rows,
    )
    return render(request, "traceability/plan_import.html", context, status=422)


@login_required
def plan_import(request, pk):
    """GET: the upload form; POST: read the file and show what it would change (nothing is
    saved yet), or its problems."""
    require_perm(
        request.user, IMPORT_PERMISSION, _("Solo Planeación y Administrador importan planes.")
    )
    plan = get_object_or_404(StrategicPlan, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "traceability/plan_import.html", _context(request, plan, form=form))
    upload = form.cleaned_data["file"]
    token = uploads.store(upload, plan=plan, user=request.user, filename=upload.name)
    data = uploads.load(token, plan=plan, user=request.user)
    with uploads.open_stored(data) as source:
        outcome = import_plan(plan, source, by=request.user, filename=upload.name, commit=False)
    if not outcome.ok:
        response = _problems_page(request, plan, outcome, data)
        uploads.discard(data)
        return response
    notes = sorted(outcome.notes.items())
    context = _context(
        request,
        plan,
        token=uploads.sign({**data, "rows": outcome.rows}),
        filename=upload.name,
        summary=_summary(outcome.counts),
        notes=notes[:PREVIEW_ROWS],
        more=max(0, len(notes) - PREVIEW_ROWS),
        total=outcome.rows,
    )
    return render(request, "traceability/plan_import_preview.html", context)


@login_required
@require_POST
def plan_import_confirm(request, pk):
    """Import the previewed file for good: all or nothing."""
    require_perm(
        request.user, IMPORT_PERMISSION, _("Solo Planeación y Administrador importan planes.")
    )
    plan = get_object_or_404(StrategicPlan, pk=pk)
    data = uploads.load(request.POST.get("token", ""), plan=plan, user=request.user)
    if data is None:
        messages.error(
            request, _("El archivo de la vista previa ya no está disponible; súbalo de nuevo.")
        )
        return redirect("planning:plan-import", plan.pk)
    if data.get("rows", 0) > settings.IMPORT_QUEUE_ROWS:
        job = ImportJob.objects.filter(stored_name=data["name"], user=request.user).first()
        if job is None:  # not queued twice by a second click
            job = jobs.queue_import(plan, data, by=request.user)
            enqueue(import_plan_task, job.pk, request=request)
        return redirect("planning:plan-import-job", plan.pk, job.pk)
    with uploads.open_stored(data) as source:
        outcome = import_plan(plan, source, by=request.user, filename=data["filename"], commit=True)
    if not outcome.ok:
        response = _problems_page(request, plan, outcome, data)
        uploads.discard(data)
        return response
    uploads.discard(data)
    created = sum(outcome.counts[kind]["created"] for kind in KINDS)
    updated = sum(outcome.counts[kind]["updated"] for kind in KINDS)
    messages.success(
        request,
        _("Se importó «%(file)s»: %(created)s elementos creados y %(updated)s actualizados.")
        % {"file": data["filename"], "created": created, "updated": updated},
    )
    return redirect(plan)


@login_required
def plan_import_errors(request, pk, token):
    """The error workbook of an import of this user into this plan."""
    require_perm(request.user, IMPORT_PERMISSION)
    plan = get_object_or_404(StrategicPlan, pk=pk)
    data = uploads.load(token, plan=plan, user=request.user)
    if data is None:
        raise Http404(_("El archivo de errores ya no está disponible."))
    return _workbook_response(uploads.open_stored(data), f"errores-plan-de-accion-{plan.pk}")


@login_required
def plan_import_job(request, pk, job_id):
    """A queued import of this user into this plan: its progress (the page refreshes itself
    while it runs), then its result or its problems with the error workbook."""
    require_perm(
        request.user, IMPORT_PERMISSION, _("Solo Planeación y Administrador importan planes.")
    )
    plan = get_object_or_404(StrategicPlan, pk=pk)
    job = get_object_or_404(ImportJob, pk=job_id, plan_id=plan.pk, user=request.user)
    result = job.result
    token = result.get("errors_token")
    context = _context(
        request,
        plan,
        job=job,
        summary=_summary(result.get("counts", {})),
        problems=result.get("problems", []),
        problem_count=result.get("problem_count", len(result.get("problems", []))),
        errors_url=token and reverse("planning:plan-import-errors", args=[plan.pk, token]),
        percent=min(100, round(100 * job.done / job.total)) if job.total else 0,
    )
    return render(request, "traceability/plan_import_job.html", context)
