"""The review services (mipg.core.review.services) for both reviewed kinds: progress reports
and measurements move through the same states, with the same rules on who may do what, and
a locked period refuses every step (MIPG.md §5)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.services import MEASUREMENTS
from management.models import ProgressReport
from management.services import PROGRESS_REPORTS
from mipg.core.review import services as review
from planning.models import ReportingPeriod
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    MeasurementFactory,
    PeriodFactory,
    ProgressReportFactory,
    attach_evidence,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

LOCKED = "El periodo «T1 2026» está cerrado y no admite reportes."


def _report(unit, responsible):
    action = ActionFactory(goal__unit=unit)
    period = PeriodFactory(plan=action.goal.objective.plan, label="T1 2026")
    return ProgressReportFactory(action=action, period=period, created_by=responsible)


def _measurement(unit, responsible):
    indicator = IndicatorFactory(goal__unit=unit)
    period = PeriodFactory(plan=indicator.goal.objective.plan, label="T1 2026")
    return MeasurementFactory(indicator=indicator, period=period, created_by=responsible)


KINDS = {"report": (PROGRESS_REPORTS, _report), "measurement": (MEASUREMENTS, _measurement)}


@pytest.fixture(params=sorted(KINDS))
def kind_name(request):
    return request.param


@pytest.fixture
def kind(kind_name):
    return KINDS[kind_name][0]


@pytest.fixture
def figure(kind_name, unit, responsible):
    """A draft of the kind, of the responsible's unit, in the open period «T1 2026»."""
    return KINDS[kind_name][1](unit, responsible)


def in_state(figure, status, *, submitted_by=None):
    """Put the figure in `status` directly in the table, as if the workflow had run."""
    type(figure).objects.filter(pk=figure.pk).update(status=status, submitted_by=submitted_by)
    figure.refresh_from_db()
    return figure


def with_evidence(figure):
    """Progress reports need evidence to be submitted (Entity.evidence_required_to_submit)."""
    if isinstance(figure, ProgressReport):
        attach_evidence(figure)
    return figure


def stored(figure):
    return type(figure).objects.get(pk=figure.pk)


def pdf():
    return SimpleUploadedFile("acta.pdf", b"%PDF-1.4 acta", content_type="application/pdf")


# --- states ------------------------------------------------------------------------------

# (transition, state before) → state after, or the refusal. Checked by hand against §5:
# draft → submitted → approved, or submitted → returned → submitted again; an approved
# figure may be reopened (back to returned).
TRANSITIONS = [
    ("submit", "draft", "submitted"),
    ("submit", "returned", "submitted"),
    ("submit", "submitted", "No se puede pasar de «Enviado» a «Enviado»."),
    ("submit", "approved", "No se puede pasar de «Aprobado» a «Enviado»."),
    ("approve", "submitted", "approved"),
    ("approve", "draft", "No se puede pasar de «Borrador» a «Aprobado»."),
    ("approve", "returned", "No se puede pasar de «Devuelto» a «Aprobado»."),
    ("approve", "approved", "No se puede pasar de «Aprobado» a «Aprobado»."),
    ("return_", "submitted", "returned"),
    ("return_", "draft", "No se puede pasar de «Borrador» a «Devuelto»."),
    ("return_", "returned", "No se puede pasar de «Devuelto» a «Devuelto»."),
    ("return_", "approved", "No se puede pasar de «Aprobado» a «Devuelto»."),
    ("reopen", "approved", "returned"),
    ("reopen", "draft", "No se puede pasar de «Borrador» a «Devuelto»."),
    ("reopen", "submitted", "No se puede pasar de «Enviado» a «Devuelto»."),
    ("reopen", "returned", "No se puede pasar de «Devuelto» a «Devuelto»."),
]


def _run(transition, figure, kind, *, by):
    comment = {
        "return_": {"comment": "Falta el acta"},
        "approve": {"comment": " Bien "},
        "reopen": {"reason": "La cifra no corresponde al acta"},
    }
    service = getattr(review, transition)
    return service(figure, kind=kind, by=by, **comment.get(transition, {}))


def _actor(transition, request):
    return request.getfixturevalue("responsible" if transition == "submit" else "planner")


@pytest.mark.parametrize(("transition", "before", "after"), TRANSITIONS)
def test_review_transition_from_each_state(request, kind, figure, transition, before, after):
    in_state(figure, before, submitted_by=request.getfixturevalue("responsible"))
    with_evidence(figure)
    by = _actor(transition, request)

    if after in {"submitted", "approved", "returned"}:
        result = _run(transition, figure, kind, by=by)
        assert result is figure
        assert (figure.status, stored(figure).status) == (after, after)
        assert stored(figure).history.first().history_user == by
    else:
        with pytest.raises(ValidationError) as exc:
            _run(transition, figure, kind, by=by)
        assert exc.value.messages == [after]
        assert stored(figure).status == before


def test_submit_records_the_submitter(kind, figure, responsible):
    with_evidence(figure)
    review.submit(figure, kind=kind, by=responsible)

    saved = stored(figure)
    assert (saved.submitted_by, figure.submitted_by) == (responsible, responsible)
    assert saved.submitted_at is not None


def test_approve_records_the_reviewer_and_trimmed_comment(kind, figure, responsible, planner):
    in_state(figure, "submitted", submitted_by=responsible)

    review.approve(figure, kind=kind, by=planner, comment="  Conforme ")

    saved = stored(figure)
    assert (saved.reviewed_by, saved.review_comment) == (planner, "Conforme")
    assert saved.reviewed_at is not None


@pytest.mark.parametrize("comment", ["", "   ", None])
def test_return_needs_a_comment(kind, figure, responsible, planner, comment):
    in_state(figure, "submitted", submitted_by=responsible)

    with pytest.raises(ValidationError) as exc:
        review.return_(figure, kind=kind, by=planner, comment=comment)

    assert exc.value.message_dict == {
        "review_comment": ["Explique al responsable por qué se devuelve el reporte."]
    }
    assert stored(figure).status == "submitted"


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "planner", "director", "auditor"])
def test_submit_only_by_reporters_of_the_unit(request, kind, figure, persona):
    with pytest.raises(PermissionDenied) as exc:
        review.submit(figure, kind=kind, by=request.getfixturevalue(persona))

    assert str(exc.value) == str(kind.not_reporter)
    assert stored(figure).status == "draft"


@pytest.mark.parametrize("transition", ["approve", "return_"])
@pytest.mark.parametrize("persona", ["responsible", "outsider", "director", "auditor"])
def test_review_only_by_the_planning_office(request, kind, figure, transition, persona):
    in_state(figure, "submitted", submitted_by=request.getfixturevalue("responsible"))

    with pytest.raises(PermissionDenied) as exc:
        _run(transition, figure, kind, by=request.getfixturevalue(persona))

    assert str(exc.value) == str(kind.not_reviewer)
    assert stored(figure).status == "submitted"


def test_submitter_may_not_approve_but_may_return(kind, figure, admin_user):
    in_state(figure, "submitted", submitted_by=admin_user)

    with pytest.raises(PermissionDenied) as exc:
        review.approve(figure, kind=kind, by=admin_user)
    assert str(exc.value) == str(kind.own_submission)
    assert stored(figure).status == "submitted"

    review.return_(figure, kind=kind, by=admin_user, comment="Me equivoqué")
    assert stored(figure).status == "returned"


def test_the_messages_name_the_kind():
    assert str(PROGRESS_REPORTS.own_submission) == (
        "No puede aprobar un reporte que usted mismo envió."
    )
    assert str(MEASUREMENTS.own_submission) == (
        "No puede aprobar una medición que usted mismo envió."
    )
    assert (PROGRESS_REPORTS.perm("review"), MEASUREMENTS.perm("submit")) == (
        "management.review_progressreport",
        "evaluation.submit_measurement",
    )


# --- locked period -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("transition", "before"),
    [("submit", "draft"), ("approve", "submitted"), ("return_", "submitted")],
)
def test_locked_period_refuses_every_transition(request, kind, figure, transition, before):
    in_state(figure, before, submitted_by=request.getfixturevalue("responsible"))
    ReportingPeriod.objects.filter(pk=figure.period_id).update(locked=True)

    with pytest.raises(ValidationError) as exc:
        _run(transition, figure, kind, by=_actor(transition, request))

    assert exc.value.message_dict == {"period": [LOCKED]}
    assert stored(figure).status == before


# --- evidence ----------------------------------------------------------------------------


def test_evidence_added_and_removed_while_editable(kind, figure, responsible):
    evidence = review.add_evidence(figure, kind=kind, by=responsible, file=pdf())
    assert (getattr(evidence, kind.name), evidence.original_name) == (figure, "acta.pdf")

    review.remove_evidence(evidence, kind=kind, by=responsible)

    assert not kind.evidence_model.objects.exists()


def test_evidence_refused_once_submitted(kind, figure, responsible):
    in_state(figure, "submitted", submitted_by=responsible)

    with pytest.raises(ValidationError) as exc:
        review.add_evidence(figure, kind=kind, by=responsible, file=pdf())

    assert exc.value.messages == [
        "Solo se puede modificar un reporte en borrador o devuelto; este está «Enviado»."
    ]


def test_evidence_refused_in_a_locked_period(kind, figure, responsible):
    evidence = review.add_evidence(figure, kind=kind, by=responsible, file=pdf())
    ReportingPeriod.objects.filter(pk=figure.period_id).update(locked=True)

    with pytest.raises(ValidationError) as exc:
        review.remove_evidence(evidence, kind=kind, by=responsible)

    assert exc.value.message_dict == {"period": [LOCKED]}
    assert kind.evidence_model.objects.count() == 1


def test_evidence_only_by_reporters_of_the_unit(kind, figure, outsider):
    with pytest.raises(PermissionDenied) as exc:
        review.add_evidence(figure, kind=kind, by=outsider, file=pdf())

    assert str(exc.value) == str(kind.not_reporter)
