"""Pages of the reporting workflow (MIPG.md §5), shared by progress reports (management)
and measurements (evaluation): the form (draft, evidence, submit), the read view with
evidence and review history, the review actions (approve, return, reopen an approved
figure) and evidence download/removal.

Each app describes its kind of figure once in a `FigureKind` (management/views/reports.py,
evaluation/views/measurements.py) and mounts these pages with `figure_urls`. Every write
goes through the services the kind names and the review services; the permission checks
done here on GET only mirror the services' own, so a page a user may not use answers 403
before showing a form.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mipg.core.models import ReviewStatus
from mipg.core.permissions import can_report, require_perm, sees_unit_work
from mipg.core.review import services as review
from mipg.core.review.forms import SUBMIT, ReopenForm, ReturnForm
from mipg.core.review.services import ReviewedKind
from mipg.core.review.workflow import EDITABLE, review_history
from mipg.core.views.evidence import serve_evidence
from mipg.core.web import apply_service_errors, crumbs_for

REVIEW_QUEUE_URL = "management:review-queue"
MY_PENDING_URL = "management:my-pending"


@dataclass(frozen=True)
class FigureMessages:
    """The Spanish texts (gettext_lazy) that name the kind of figure. `approved` and
    `returned` take the figure and return the formatted text (their placeholders differ).
    The 403 texts are the review services' (`ReviewedKind`)."""

    already_reported: str  # the subject already has a figure in the period
    not_editable: str  # with %(status)s
    saved: str
    submitted: str
    approved: Callable[[Any], str]
    returned: Callable[[Any], str]
    new: str  # last breadcrumb of the creation form


@dataclass(frozen=True)
class FigureKind:
    """What differs between progress reports and measurements in the workflow pages."""

    reviewed: ReviewedKind  # the model, its subject and evidence, the 403 texts
    detail_url: str
    edit_url: str
    form_template: str
    detail_template: str
    queryset: Callable[[], Any]  # the figures, with what the pages and crumbs read
    form: Callable[..., Any]  # form(data, files, subject, figure=None); figure gives initial
    fields: Callable[[Any], dict]  # keyword arguments of create/update from a valid form
    form_context: Callable[[Any, Any], dict]  # extra context of the form for (subject, period)
    create: Callable  # create(subject, period, *, by, **fields)
    update: Callable  # update(figure, *, by, **fields)
    messages: FigureMessages

    @property
    def reopen_url(self):
        """The name of the reopen page, mounted next to the detail page by `figure_urls`."""
        return self.detail_url.removesuffix("-detail") + "-reopen"


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


def _can_edit(user, kind, figure):
    return (
        figure.status in EDITABLE
        and not figure.period.locked
        and user.has_perm(kind.reviewed.perm("change"))
        and can_report(
            user,
            unit_id=getattr(figure, kind.reviewed.subject).unit_id,
            perm=kind.reviewed.perm("submit"),
        )
    )


def _figure(request, kind, pk):
    """The figure `pk` if the user may see it (`visible_to`), else 404."""
    return get_object_or_404(kind.queryset().visible_to(request.user), pk=pk)


def _evidence_of(figure, user):
    visible = figure.evidence.visible_to(user)
    return visible.select_related("uploaded_by").order_by("uploaded_at")


def _save(request, kind, form, *, subject, period, figure):
    """Create the figure (`figure` None) or update it from the valid `form`, add the uploaded
    evidence and submit it when asked, all or nothing. Returns the figure, or None when a
    service refused (its errors are then on the form)."""
    submit = request.POST.get("intent") == SUBMIT
    try:
        with transaction.atomic():
            if figure is None:
                figure = kind.create(subject, period, by=request.user, **kind.fields(form))
            else:
                kind.update(figure, by=request.user, **kind.fields(form))
            for upload in form.cleaned_data["file"]:
                review.add_evidence(figure, kind=kind.reviewed, by=request.user, file=upload)
            if submit:
                review.submit(figure, kind=kind.reviewed, by=request.user)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    messages.success(request, kind.messages.submitted if submit else kind.messages.saved)
    return figure


def _form_page(request, kind, form, *, subject, period, figure, crumbs):
    return render(
        request,
        kind.form_template,
        {
            "form": form,
            kind.reviewed.subject: subject,
            "period": period,
            kind.reviewed.name: figure,
            "figure": figure,
            **kind.form_context(subject, period),
            "evidence": _evidence_of(figure, request.user) if figure is not None else [],
            "crumbs": crumbs,
        },
    )


def _figure_page(request, template, figure, *, cancel, last, **context):
    """A page about one figure (the return form, the evidence removal): Cancel goes back to
    the figure's page named `cancel`; `last` is the last breadcrumb."""
    return render(
        request,
        template,
        {
            "figure": figure,
            "cancel_url": reverse(cancel, args=[figure.pk]),
            "crumbs": crumbs_for(figure, last=last),
            **context,
        },
    )


# --- form -------------------------------------------------------------------------------


def figure_create(request, subject, period, *, kind):
    """The form of a new figure; the app's (login-required) view has fetched `subject` and
    `period` and checked that the period belongs to the subject's plan."""
    kind.reviewed.require_reporter(request.user, subject, kind.reviewed.perm("add"))

    existing = kind.reviewed.model.objects.filter(
        **{kind.reviewed.subject: subject, "period": period}
    ).first()
    if existing is not None:
        messages.info(request, kind.messages.already_reported)
        editable = existing.status in EDITABLE
        return redirect(kind.edit_url if editable else kind.detail_url, existing.pk)
    if period.locked:
        messages.error(
            request,
            _("El periodo «%(label)s» está cerrado y no admite reportes.")
            % {"label": period.label},
        )
        return redirect(MY_PENDING_URL)

    form = kind.form(request.POST or None, request.FILES or None, subject)
    if request.method == "POST" and form.is_valid():
        figure = _save(request, kind, form, subject=subject, period=period, figure=None)
        if figure is not None:
            return redirect(kind.detail_url, figure.pk)
    return _form_page(
        request,
        kind,
        form,
        subject=subject,
        period=period,
        figure=None,
        crumbs=crumbs_for(subject, last=kind.messages.new),
    )


@login_required
def figure_edit(request, pk, *, kind):
    figure = _figure(request, kind, pk)
    subject = getattr(figure, kind.reviewed.subject)
    kind.reviewed.require_reporter(request.user, subject, kind.reviewed.perm("change"))
    if figure.period.locked or figure.status not in EDITABLE:
        messages.error(
            request, kind.messages.not_editable % {"status": figure.get_status_display()}
        )
        return redirect(kind.detail_url, figure.pk)

    form = kind.form(request.POST or None, request.FILES or None, subject, figure)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, kind, form, subject=subject, period=figure.period, figure=figure)
        if saved is not None:
            return redirect(kind.detail_url, figure.pk)
        figure.refresh_from_db()
    return _form_page(
        request,
        kind,
        form,
        subject=subject,
        period=figure.period,
        figure=figure,
        crumbs=crumbs_for(figure, last=_("Editar")),
    )


# --- read view --------------------------------------------------------------------------


@login_required
def figure_detail(request, pk, *, kind):
    user = request.user
    require_perm(user, kind.reviewed.perm("view"))
    figure = _figure(request, kind, pk)
    can_edit = _can_edit(user, kind, figure)
    # The review steps (returns and their comments) belong to the unit's work in progress.
    unit_work = sees_unit_work(user, getattr(figure, kind.reviewed.subject).unit_id)
    return render(
        request,
        kind.detail_template,
        {
            kind.reviewed.name: figure,
            "figure": figure,
            "evidence": _evidence_of(figure, user),
            "history": review_history(figure) if unit_work else [],
            "can_edit": can_edit,
            "can_submit": can_edit,
            "can_review": figure.status == ReviewStatus.SUBMITTED
            and not figure.period.locked
            and user.has_perm(kind.reviewed.perm("review")),
            "can_reopen": figure.status == ReviewStatus.APPROVED
            and not figure.period.locked
            and user.has_perm(kind.reviewed.perm("review")),
            "reopen_url": reverse(kind.reopen_url, args=[figure.pk]),
            "crumbs": crumbs_for(figure),
        },
    )


# --- workflow actions -------------------------------------------------------------------


def _transition(request, pk, kind, transition):
    """Run a review transition on the figure; a refusal becomes an error message.
    Returns the figure and whether it moved."""
    figure = _figure(request, kind, pk)
    try:
        transition(figure, kind=kind.reviewed, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return figure, False
    return figure, True


def _act_with_comment(request, form, figure, act):
    """On a POST with a valid comment form, run ``act(comment)``; a refusal lands on the
    form (and the figure is read again). Returns whether it ran."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        act(form.cleaned_data["review_comment"])
    except ValidationError as error:
        figure.refresh_from_db()
        apply_service_errors(form, error)
        return False
    return True


@login_required
@require_POST
def figure_submit(request, pk, *, kind):
    figure, moved = _transition(request, pk, kind, review.submit)
    if moved:
        messages.success(request, kind.messages.submitted)
    return redirect(kind.detail_url, figure.pk)


@login_required
def figure_approve(request, pk, *, kind):
    """GET: the confirmation, showing the figure about to count; POST: approve it."""
    if request.method != "POST":
        require_perm(request.user, kind.reviewed.perm("review"), kind.reviewed.not_reviewer)
        figure = get_object_or_404(kind.queryset(), pk=pk)
        return _figure_page(
            request,
            "review/approve.html",
            figure,
            cancel=kind.detail_url,
            last=_("Aprobar"),
            next=next_url(request, ""),
            submitted=figure.status == ReviewStatus.SUBMITTED,
            evidence_count=figure.evidence.count(),
        )
    figure, moved = _transition(request, pk, kind, review.approve)
    if not moved:
        return redirect(kind.detail_url, figure.pk)
    messages.success(request, kind.messages.approved(figure))
    return redirect(next_url(request, reverse(REVIEW_QUEUE_URL)))


@login_required
def figure_return(request, pk, *, kind):
    """GET: the comment form; POST: return the figure to its unit with the comment."""
    require_perm(request.user, kind.reviewed.perm("review"), kind.reviewed.not_reviewer)
    figure = _figure(request, kind, pk)
    form = ReturnForm(request.POST or None)
    returned = _act_with_comment(
        request,
        form,
        figure,
        lambda comment: review.return_(
            figure, kind=kind.reviewed, by=request.user, comment=comment
        ),
    )
    if returned:
        messages.success(request, kind.messages.returned(figure))
        return redirect(next_url(request, reverse(REVIEW_QUEUE_URL)))
    return _figure_page(
        request,
        "review/return.html",
        figure,
        cancel=kind.detail_url,
        last=_("Devolver"),
        form=form,
        next=next_url(request, ""),
    )


@login_required
def figure_reopen(request, pk, *, kind):
    """GET: the reason form; POST: reopen the approved figure (back to returned, with the
    reason as review comment); it stops counting."""
    require_perm(request.user, kind.reviewed.perm("review"), kind.reviewed.not_reviewer)
    figure = _figure(request, kind, pk)
    form = ReopenForm(request.POST or None)
    reopened = _act_with_comment(
        request,
        form,
        figure,
        lambda comment: review.reopen(figure, kind=kind.reviewed, by=request.user, reason=comment),
    )
    if reopened:
        messages.success(request, _("Cifra reabierta: vuelve a la dependencia como devuelta."))
        return redirect(kind.detail_url, figure.pk)
    return _figure_page(
        request,
        "review/reopen.html",
        figure,
        cancel=kind.detail_url,
        last=_("Reabrir"),
        form=form,
    )


# --- evidence ---------------------------------------------------------------------------


@login_required
def evidence_download(request, pk, *, kind):
    model = kind.reviewed.evidence_model
    return serve_evidence(request, model.objects, pk, perm=kind.reviewed.perm("view", model))


@login_required
def evidence_delete(request, pk, *, kind):
    """GET: confirmation; POST: remove the file from a draft or returned figure."""
    reviewed = kind.reviewed
    evidence = get_object_or_404(
        reviewed.evidence_model.objects.visible_to(request.user).select_related(
            f"{reviewed.name}__{reviewed.subject}__unit", f"{reviewed.name}__period"
        ),
        pk=pk,
    )
    figure = getattr(evidence, reviewed.name)
    reviewed.require_reporter(
        request.user,
        getattr(figure, reviewed.subject),
        reviewed.perm("delete", reviewed.evidence_model),
    )
    if request.method == "POST":
        try:
            review.remove_evidence(evidence, kind=kind.reviewed, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(kind.detail_url, figure.pk)
        messages.success(
            request, _("Evidencia «%(name)s» eliminada.") % {"name": evidence.original_name}
        )
        return redirect(kind.edit_url, figure.pk)
    return _figure_page(
        request,
        "review/evidence_confirm_delete.html",
        figure,
        cancel=kind.edit_url,
        last=_("Eliminar evidencia"),
        evidence=evidence,
    )


# --- URLs -------------------------------------------------------------------------------


def figure_urls(kind, *, prefix, name):
    """The URL patterns of the pages of `kind` but its creation form (the app's): read
    view, form and review actions under `<prefix>/<pk>/`, named `<name>-detail`, `-edit`,
    `-submit`, `-approve`, `-return` and `-reopen`, and the download and removal of its evidence."""
    figure = f"{prefix}/<int:pk>/"
    options = {"kind": kind}
    return [
        path(figure, figure_detail, options, name=f"{name}-detail"),
        path(f"{figure}editar/", figure_edit, options, name=f"{name}-edit"),
        path(f"{figure}enviar/", figure_submit, options, name=f"{name}-submit"),
        path(f"{figure}aprobar/", figure_approve, options, name=f"{name}-approve"),
        path(f"{figure}devolver/", figure_return, options, name=f"{name}-return"),
        path(f"{figure}reabrir/", figure_reopen, options, name=f"{name}-reopen"),
        path(
            "evidencias/<int:pk>/descargar/", evidence_download, options, name="evidence-download"
        ),
        path("evidencias/<int:pk>/eliminar/", evidence_delete, options, name="evidence-delete"),
    ]
