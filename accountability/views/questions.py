"""Staff pages of the citizen dialogue: the moderation queue of citizen questions, a
question's page (answer, publish, optional commitment), reject and merge with
confirmation, and the commitments by unit and state with their updates.

Moderation is for Planeación and the Administrador (the permission to change citizen
questions, the same one the services check); the commitments list is readable by every
internal role (they feed the units' improvement plans), updated by moderators only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.forms import (
    AnswerForm,
    CommitmentFilterForm,
    CommitmentUpdateForm,
    MergeQuestionForm,
    QuestionFilterForm,
    RejectQuestionForm,
)
from accountability.models import CitizenQuestion, Commitment
from accountability.selectors import commitment_list, question_queue
from accountability.services import (
    ANSWERABLE,
    MODERATE,
    answer_question,
    merge_question,
    reject_question,
    update_commitment,
)
from mipg.core.permissions import require_perm
from mipg.core.web import apply_service_errors, paginate

VIEW_COMMITMENTS = "accountability.view_citizenquestion"
Status = CitizenQuestion.Status


def _crumbs(question=None, last=None):
    crumbs = [(_("Preguntas ciudadanas"), reverse("accountability:question-list"))]
    if question is not None:
        crumbs.append(
            (_("Pregunta %(number)s") % {"number": question.pk}, question.get_absolute_url())
        )
    if last:
        crumbs.append((last, None))
    return crumbs


def _question_or_404(pk):
    return get_object_or_404(
        CitizenQuestion.objects.select_related("report", "duplicate_of", "answered_by"), pk=pk
    )


@login_required
def question_list(request):
    """The moderation queue: received questions first by default, filterable."""
    require_perm(request.user, MODERATE)
    filtered = "report" in request.GET or "status" in request.GET
    data = request.GET if filtered else {"status": Status.RECEIVED}
    form = QuestionFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = question_queue(report=filters.get("report"), status=filters.get("status"))
    return render(
        request,
        "accountability/questions/question_list.html",
        {"form": form, "page": paginate(request, rows), "crumbs": _crumbs()},
    )


@login_required
def question_detail(request, pk):
    """A question, its author's data (staff only), and the answer form: save the answer,
    or publish it, optionally with a commitment."""
    require_perm(request.user, MODERATE)
    question = _question_or_404(pk)
    answerable = question.status in ANSWERABLE
    initial = {"answer": question.answer}
    form = AnswerForm(request.POST or None, initial=initial) if answerable else None
    if request.method == "POST" and form is not None and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            answer_question(
                question,
                answer=form.cleaned_data["answer"],
                publish=publish,
                commitment=form.commitment(),
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Respuesta publicada.") if publish else _("Respuesta guardada.")
            )
            return redirect(question)
    return render(
        request,
        "accountability/questions/question_detail.html",
        {
            "question": question,
            "form": form,
            "commitments": list(question.commitments.select_related("unit")),
            "duplicates": list(question.duplicates.order_by("pk")),
            "can_reject": question.status in (Status.RECEIVED, Status.ANSWERED),
            "crumbs": _crumbs(question),
        },
    )


def _confirm_page(request, question, form, *, title, submit_label, warning):
    return render(
        request,
        "accountability/questions/question_confirm.html",
        {
            "question": question,
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "warning": warning,
            "cancel_url": question.get_absolute_url(),
            "crumbs": _crumbs(question, title),
        },
    )


@login_required
def question_reject(request, pk):
    require_perm(request.user, MODERATE)
    question = _question_or_404(pk)
    form = RejectQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reject_question(question, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Pregunta rechazada. No se publicará."))
            return redirect("accountability:question-list")
    return _confirm_page(
        request,
        question,
        form,
        title=_("Rechazar la pregunta"),
        submit_label=_("Rechazar"),
        warning=_("La pregunta no se publicará y ya no podrá responderse."),
    )


@login_required
def question_merge(request, pk):
    require_perm(request.user, MODERATE)
    question = _question_or_404(pk)
    form = MergeQuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            merge_question(question, into=form.cleaned_data["into"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Pregunta fusionada con la original."))
            return redirect(question)
    return _confirm_page(
        request,
        question,
        form,
        title=_("Fusionar con otra pregunta"),
        submit_label=_("Fusionar"),
        warning=_(
            "Esta pregunta dejará de verse en el portal y remitirá a la respuesta de la original."
        ),
    )


@login_required
def commitment_list_view(request):
    """Commitments by due date, filterable by unit and state: the input of the next
    improvement plans."""
    require_perm(request.user, VIEW_COMMITMENTS)
    form = CommitmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    rows = commitment_list(unit=filters.get("unit"), state=filters.get("state"), today=today)
    return render(
        request,
        "accountability/questions/commitment_list.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "today": today,
            "can_update": request.user.has_perm(MODERATE),
            "crumbs": [(_("Compromisos"), None)],
        },
    )


@login_required
def commitment_update(request, pk):
    require_perm(request.user, MODERATE)
    commitment = get_object_or_404(
        Commitment.objects.select_related("unit", "report", "question"), pk=pk
    )
    form = CommitmentUpdateForm(request.POST or None, initial={"status": commitment.status})
    if request.method == "POST" and form.is_valid():
        try:
            update_commitment(
                commitment,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Compromiso actualizado."))
            return redirect("accountability:commitment-list")
    return render(
        request,
        "accountability/questions/commitment_update.html",
        {
            "commitment": commitment,
            "form": form,
            "title": _("Actualizar el compromiso"),
            "submit_label": _("Guardar"),
            "cancel_url": reverse("accountability:commitment-list"),
            "crumbs": [
                (_("Compromisos"), reverse("accountability:commitment-list")),
                (_("Actualizar"), None),
            ],
        },
    )
