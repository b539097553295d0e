"""Measurement services: the first line reports for its own unit, the second line reviews,
locked periods refuse everything, and evidence follows the report (MIPG.md §5)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.models import Measurement, MeasurementEvidence
from evaluation.services import (
    add_measurement_evidence,
    approve_measurement,
    create_measurement,
    remove_measurement_evidence,
    return_measurement,
    submit_measurement,
    update_measurement,
)
from mipg.core.models import ReviewStatus
from tests.factories import IndicatorFactory, MeasurementFactory, PeriodFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

D = Decimal


@pytest.fixture
def indicator(unit):
    return IndicatorFactory(goal__unit=unit)


@pytest.fixture
def period(indicator):
    return PeriodFactory(plan=indicator.goal.objective.plan, label="2026-T1")


@pytest.fixture
def draft(indicator, period, responsible):
    return MeasurementFactory(
        indicator=indicator, period=period, value=D("10"), created_by=responsible
    )


@pytest.fixture
def submitted(draft, responsible):
    return submit_measurement(draft, by=responsible)


def pdf(name="acta.pdf", content=b"%PDF-1.4 evidencia"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def lock(period):
    period.locked = True
    period.save()


def errors_of(excinfo):
    return excinfo.value.message_dict


def stored(measurement):
    return Measurement.objects.get(pk=measurement.pk)


# --- create_measurement ----------------------------------------------------------------


def test_create_measurement_as_draft(responsible, indicator, period):
    measurement = create_measurement(
        indicator, period, by=responsible, value=D("45"), narrative="  Avance del trimestre "
    )
    measurement = stored(measurement)
    assert (measurement.value, measurement.status) == (D("45"), ReviewStatus.DRAFT)
    assert measurement.created_by == responsible
    assert measurement.narrative == "Avance del trimestre"
    assert (measurement.numerator, measurement.denominator) == (None, None)


def test_create_measurement_value_from_numerator_and_denominator(responsible, indicator, period):
    # Unit "Número": 3 / 4 = 0.75
    measurement = create_measurement(
        indicator, period, by=responsible, numerator=D("3"), denominator=D("4")
    )
    assert (measurement.value, measurement.numerator, measurement.denominator) == (
        D("0.75"),
        D("3"),
        D("4"),
    )


@pytest.mark.parametrize("measurement_unit", ["%", "Porcentaje de avance", "porcentaje"])
def test_create_measurement_percentage_unit_multiplies_by_hundred(
    responsible, unit, measurement_unit
):
    indicator = IndicatorFactory(goal__unit=unit, measurement_unit=measurement_unit)
    period = PeriodFactory(plan=indicator.goal.objective.plan)
    # 1 / 3 × 100 = 33.3333… → 33.3333 (four decimals, half up)
    measurement = create_measurement(indicator, period, by=responsible, numerator=1, denominator=3)
    assert stored(measurement).value == D("33.3333")


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ({}, "value"),
        ({"numerator": D("3")}, "denominator"),
        ({"denominator": D("4")}, "numerator"),
        ({"numerator": D("3"), "denominator": D("0")}, "denominator"),
        ({"value": D("1"), "numerator": D("3"), "denominator": D("4")}, "value"),
        ({"numerator": "tres", "denominator": D("4")}, "numerator"),
        ({"value": D("1.23456")}, "value"),
        ({"numerator": D("1e30"), "denominator": D("0.0001")}, "numerator"),
        # 9 999 999 999 999 999 / 0.0001 ≈ 10²⁰: more digits than the value field holds
        ({"numerator": D("9999999999999999"), "denominator": D("0.0001")}, "value"),
    ],
)
def test_create_measurement_refuses_bad_figures(responsible, indicator, period, figures, field):
    with pytest.raises(ValidationError) as excinfo:
        create_measurement(indicator, period, by=responsible, **figures)
    assert field in errors_of(excinfo)
    assert not Measurement.objects.exists()


def test_create_measurement_zero_denominator_message(responsible, indicator, period):
    with pytest.raises(ValidationError) as excinfo:
        create_measurement(indicator, period, by=responsible, numerator=1, denominator=0)
    assert errors_of(excinfo) == {"denominator": ["El denominador no puede ser cero."]}


def test_create_measurement_one_per_period(responsible, indicator, period, draft):
    with pytest.raises(ValidationError) as excinfo:
        create_measurement(indicator, period, by=responsible, value=D("1"))
    assert "Ya existe una medición" in errors_of(excinfo)["period"][0]
    assert Measurement.objects.count() == 1


def test_create_measurement_period_must_belong_to_plan(responsible, indicator):
    with pytest.raises(ValidationError) as excinfo:
        create_measurement(indicator, PeriodFactory(), by=responsible, value=D("1"))
    assert "no pertenece al plan" in errors_of(excinfo)["period"][0]


def test_create_measurement_objective_indicator_uses_objective_plan(responsible, unit):
    indicator = IndicatorFactory(goal=None, objective=IndicatorFactory().goal.objective, unit=unit)
    period = PeriodFactory(plan=indicator.objective.plan)
    assert create_measurement(indicator, period, by=responsible, value=D("1")).pk


def test_create_measurement_refuses_locked_period(responsible, indicator, period):
    lock(period)
    with pytest.raises(ValidationError) as excinfo:
        create_measurement(indicator, period, by=responsible, value=D("1"))
    assert "cerrado" in errors_of(excinfo)["period"][0]
    assert not Measurement.objects.exists()


def test_create_measurement_refuses_archived_indicator(responsible, indicator, period):
    indicator.archived = True
    indicator.save()
    with pytest.raises(ValidationError) as excinfo:
        create_measurement(indicator, period, by=responsible, value=D("1"))
    assert "indicator" in errors_of(excinfo)


@pytest.mark.parametrize("persona", ["outsider", "planner", "director", "auditor"])
def test_create_measurement_only_by_reporters_of_the_unit(request, indicator, period, persona):
    with pytest.raises(PermissionDenied):
        create_measurement(indicator, period, by=request.getfixturevalue(persona), value=D("1"))
    assert not Measurement.objects.exists()


def test_create_measurement_by_admin(admin_user, indicator, period):
    assert create_measurement(indicator, period, by=admin_user, value=D("1")).pk


def test_create_measurement_inactive_member_is_refused(responsible, indicator, period):
    responsible.is_active = False
    responsible.save()
    with pytest.raises(PermissionDenied):
        create_measurement(indicator, period, by=responsible, value=D("1"))


# --- update_measurement ----------------------------------------------------------------


def test_update_measurement_value(responsible, draft):
    returned = update_measurement(draft, by=responsible, value=D("12.5"))
    assert returned is draft
    assert draft.value == D("12.5")
    assert stored(draft).value == D("12.5")


def test_update_measurement_figures_replace_each_other(responsible, draft):
    update_measurement(draft, by=responsible, numerator=D("1"), denominator=D("8"))
    assert (stored(draft).value, stored(draft).numerator) == (D("0.125"), D("1"))
    update_measurement(draft, by=responsible, value=D("3"))
    assert (stored(draft).value, stored(draft).numerator, stored(draft).denominator) == (
        D("3"),
        None,
        None,
    )


def test_update_measurement_narrative_only_keeps_figures(responsible, draft):
    update_measurement(draft, by=responsible, narrative="Se realizaron 10 talleres")
    assert (stored(draft).value, stored(draft).narrative) == (D("10"), "Se realizaron 10 talleres")


def test_update_measurement_refuses_bad_figures(responsible, draft):
    with pytest.raises(ValidationError) as excinfo:
        update_measurement(draft, by=responsible, numerator=D("1"))
    assert "denominator" in errors_of(excinfo)
    assert stored(draft).value == D("10")


def test_update_measurement_refuses_submitted(responsible, submitted):
    with pytest.raises(ValidationError):
        update_measurement(submitted, by=responsible, value=D("99"))
    assert stored(submitted).value == D("10")


def test_update_measurement_refuses_locked_period(responsible, draft, period):
    lock(period)
    with pytest.raises(ValidationError) as excinfo:
        update_measurement(draft, by=responsible, value=D("99"))
    assert "period" in errors_of(excinfo)


@pytest.mark.parametrize("persona", ["outsider", "planner", "auditor"])
def test_update_measurement_only_by_reporters_of_the_unit(request, draft, persona):
    with pytest.raises(PermissionDenied):
        update_measurement(draft, by=request.getfixturevalue(persona), value=D("99"))
    assert stored(draft).value == D("10")


# --- submit, approve, return -----------------------------------------------------------


def test_submit_measurement(responsible, draft):
    submit_measurement(draft, by=responsible)
    assert draft.status == ReviewStatus.SUBMITTED
    assert (stored(draft).status, stored(draft).submitted_by) == (
        ReviewStatus.SUBMITTED,
        responsible,
    )
    assert stored(draft).submitted_at is not None


def test_submit_measurement_twice_is_refused(responsible, submitted):
    with pytest.raises(ValidationError):
        submit_measurement(submitted, by=responsible)


def test_submit_measurement_refuses_locked_period(responsible, draft, period):
    lock(period)
    with pytest.raises(ValidationError):
        submit_measurement(draft, by=responsible)
    assert stored(draft).status == ReviewStatus.DRAFT


@pytest.mark.parametrize("persona", ["outsider", "planner"])
def test_submit_measurement_only_by_reporters_of_the_unit(request, draft, persona):
    with pytest.raises(PermissionDenied):
        submit_measurement(draft, by=request.getfixturevalue(persona))
    assert stored(draft).status == ReviewStatus.DRAFT


def test_approve_measurement(planner, submitted):
    approve_measurement(submitted, by=planner, comment=" Soportes completos ")
    measurement = stored(submitted)
    assert measurement.status == ReviewStatus.APPROVED
    assert (measurement.reviewed_by, measurement.review_comment) == (
        planner,
        "Soportes completos",
    )
    assert measurement.reviewed_at is not None


def test_approve_measurement_needs_submission(planner, draft):
    with pytest.raises(ValidationError):
        approve_measurement(draft, by=planner)
    assert stored(draft).status == ReviewStatus.DRAFT


@pytest.mark.parametrize("persona", ["responsible", "outsider", "director", "auditor"])
def test_approve_measurement_needs_planning_role(request, submitted, persona):
    with pytest.raises(PermissionDenied):
        approve_measurement(submitted, by=request.getfixturevalue(persona))
    assert stored(submitted).status == ReviewStatus.SUBMITTED


def test_approve_own_submission_is_refused(admin_user, draft):
    submit_measurement(draft, by=admin_user)
    with pytest.raises(PermissionDenied) as excinfo:
        approve_measurement(draft, by=admin_user)
    assert "usted mismo" in str(excinfo.value)
    assert stored(draft).status == ReviewStatus.SUBMITTED


def test_approve_measurement_refuses_locked_period(planner, submitted, period):
    lock(period)
    with pytest.raises(ValidationError):
        approve_measurement(submitted, by=planner)
    assert stored(submitted).status == ReviewStatus.SUBMITTED


def test_approved_measurement_is_frozen(planner, responsible, submitted):
    approve_measurement(submitted, by=planner)
    with pytest.raises(ValidationError):
        update_measurement(submitted, by=responsible, value=D("1"))
    with pytest.raises(ValidationError):
        return_measurement(submitted, by=planner, comment="Tarde")


def test_return_measurement_needs_comment(planner, submitted):
    with pytest.raises(ValidationError) as excinfo:
        return_measurement(submitted, by=planner, comment="  ")
    assert "review_comment" in errors_of(excinfo)
    assert stored(submitted).status == ReviewStatus.SUBMITTED


def test_return_then_fix_and_resubmit(planner, responsible, submitted):
    return_measurement(submitted, by=planner, comment="Falta el acta firmada")
    measurement = stored(submitted)
    assert (measurement.status, measurement.review_comment) == (
        ReviewStatus.RETURNED,
        "Falta el acta firmada",
    )
    update_measurement(measurement, by=responsible, value=D("11"))
    submit_measurement(measurement, by=responsible)
    approve_measurement(measurement, by=planner)
    assert (stored(measurement).status, stored(measurement).value) == (
        ReviewStatus.APPROVED,
        D("11"),
    )


def test_return_measurement_needs_planning_role(responsible, submitted):
    with pytest.raises(PermissionDenied):
        return_measurement(submitted, by=responsible, comment="No")


def test_return_measurement_refuses_locked_period(planner, submitted, period):
    lock(period)
    with pytest.raises(ValidationError):
        return_measurement(submitted, by=planner, comment="Falta soporte")


def test_measurement_history_records_each_step(planner, responsible, submitted):
    approve_measurement(submitted, by=planner)
    steps = list(submitted.history.order_by("history_date").values_list("status", "history_user"))
    assert steps[-2:] == [
        (ReviewStatus.SUBMITTED, responsible.pk),
        (ReviewStatus.APPROVED, planner.pk),
    ]


# --- evidence --------------------------------------------------------------------------


def test_add_measurement_evidence(responsible, draft, media_root):
    evidence = add_measurement_evidence(draft, by=responsible, file=pdf())
    evidence = MeasurementEvidence.objects.get(pk=evidence.pk)
    assert (evidence.original_name, evidence.size, evidence.uploaded_by) == (
        "acta.pdf",
        len(b"%PDF-1.4 evidencia"),
        responsible,
    )
    assert (media_root / evidence.file.name).exists()


@pytest.mark.parametrize("upload", [pdf("virus.exe"), pdf("vacio.pdf", b"")])
def test_add_measurement_evidence_refuses_bad_files(responsible, draft, upload):
    with pytest.raises(ValidationError) as excinfo:
        add_measurement_evidence(draft, by=responsible, file=upload)
    assert "file" in errors_of(excinfo)
    assert not MeasurementEvidence.objects.exists()


def test_add_measurement_evidence_refuses_oversized_file(responsible, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as excinfo:
        add_measurement_evidence(draft, by=responsible, file=pdf(content=b"x" * 2048))
    assert "file" in errors_of(excinfo)


def test_add_measurement_evidence_refuses_submitted(responsible, submitted):
    with pytest.raises(ValidationError):
        add_measurement_evidence(submitted, by=responsible, file=pdf())
    assert not MeasurementEvidence.objects.exists()


def test_add_measurement_evidence_refuses_locked_period(responsible, draft, period):
    lock(period)
    with pytest.raises(ValidationError):
        add_measurement_evidence(draft, by=responsible, file=pdf())
    assert not MeasurementEvidence.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "planner", "auditor"])
def test_add_measurement_evidence_only_by_reporters_of_the_unit(request, draft, persona):
    with pytest.raises(PermissionDenied):
        add_measurement_evidence(draft, by=request.getfixturevalue(persona), file=pdf())
    assert not MeasurementEvidence.objects.exists()


def test_remove_measurement_evidence_deletes_row_and_file(
    responsible, draft, media_root, django_capture_on_commit_callbacks
):
    evidence = add_measurement_evidence(draft, by=responsible, file=pdf())
    path = media_root / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        remove_measurement_evidence(evidence, by=responsible)
    assert not MeasurementEvidence.objects.exists()
    assert not path.exists()


def test_remove_measurement_evidence_refuses_submitted(responsible, draft, media_root):
    evidence = add_measurement_evidence(draft, by=responsible, file=pdf())
    submit_measurement(draft, by=responsible)
    with pytest.raises(ValidationError):
        remove_measurement_evidence(evidence, by=responsible)
    assert MeasurementEvidence.objects.exists()
    assert (media_root / evidence.file.name).exists()


def test_remove_measurement_evidence_refuses_locked_period(responsible, draft, period):
    evidence = add_measurement_evidence(draft, by=responsible, file=pdf())
    lock(period)
    with pytest.raises(ValidationError):
        remove_measurement_evidence(evidence, by=responsible)
    assert MeasurementEvidence.objects.exists()


def test_remove_measurement_evidence_only_by_reporters_of_the_unit(responsible, outsider, draft):
    evidence = add_measurement_evidence(draft, by=responsible, file=pdf())
    with pytest.raises(PermissionDenied):
        remove_measurement_evidence(evidence, by=outsider)
    assert MeasurementEvidence.objects.exists()
