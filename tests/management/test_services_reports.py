"""Progress reports, their review workflow and evidence (management.services), and the
role matrix of every management write."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from management import services
from management.models import (
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    ProgressEvidence,
    ProgressReport,
)
from planning.models import ReportingPeriod
from tests import factories

D = Decimal
date = datetime.date
LOCKED = "El periodo «T1 2026» está cerrado y no admite reportes."
NOT_REPORTER = "Solo los responsables de la dependencia de la actividad pueden reportar su avance."


pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def plan(db):
    return factories.PlanFactory(start_year=2026, end_year=2026)


@pytest.fixture
def action(plan, unit):
    return factories.ActionFactory(goal__objective__plan=plan, goal__unit=unit, code="A1")


@pytest.fixture
def period(plan):
    return factories.PeriodFactory(
        plan=plan, label="T1 2026", start_date=date(2026, 1, 1), end_date=date(2026, 3, 31)
    )


@pytest.fixture
def report(action, period, responsible):
    return factories.ProgressReportFactory(action=action, period=period, created_by=responsible)


def in_state(report, status, *, by):
    """Put `report` in `status` directly in the table, as if the workflow had run."""
    fields = {"status": status}
    if status in {"submitted", "approved", "returned"}:
        fields["submitted_by"] = by
    ProgressReport.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report


def lock(period):
    ReportingPeriod.objects.filter(pk=period.pk).update(locked=True)


def pdf(name="acta.pdf", content=b"%PDF-1.4 acta de reunion"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Creating and updating ---------------------------------------------------------------


@pytest.mark.django_db
def test_create_progress_report_by_unit_member(responsible, action, period):
    report = services.create_progress_report(
        action, period, by=responsible, progress="35.5", narrative="  Se hicieron 3 mesas "
    )

    report.refresh_from_db()
    assert (report.status, report.progress, report.narrative) == (
        "draft",
        D("35.5"),
        "Se hicieron 3 mesas",
    )
    assert report.created_by == responsible
    assert report.history.get().history_user == responsible


@pytest.mark.django_db
@pytest.mark.parametrize("progress", [D("0"), D("100")])
def test_create_progress_report_bounds_accepted(responsible, action, period, progress):
    report = services.create_progress_report(action, period, by=responsible, progress=progress)

    assert report.progress == progress


@pytest.mark.django_db
@pytest.mark.parametrize("progress", [D("-0.01"), D("100.01")])
def test_create_progress_report_progress_out_of_range_refused(
    responsible, action, period, progress
):
    with pytest.raises(ValidationError) as exc:
        services.create_progress_report(action, period, by=responsible, progress=progress)

    assert exc.value.message_dict == {"progress": ["El avance debe estar entre 0 y 100 %."]}
    assert ProgressReport.objects.count() == 0


@pytest.mark.django_db
def test_create_progress_report_outsider_refused(outsider, action, period):
    with pytest.raises(PermissionDenied) as exc:
        services.create_progress_report(action, period, by=outsider, progress=D("10"))

    assert str(exc.value) == NOT_REPORTER
    assert ProgressReport.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["planner", "director", "auditor"])
def test_create_progress_report_non_reporter_roles_refused(request, action, period, persona):
    with pytest.raises(PermissionDenied):
        services.create_progress_report(
            action, period, by=request.getfixturevalue(persona), progress=D("10")
        )

    assert ProgressReport.objects.count() == 0


@pytest.mark.django_db
def test_create_progress_report_action_without_unit_refused(responsible, plan, period):
    action = factories.ActionFactory(goal__objective__plan=plan, goal__unit=None)

    with pytest.raises(PermissionDenied):
        services.create_progress_report(action, period, by=responsible, progress=D("10"))


@pytest.mark.django_db
def test_create_progress_report_by_admin_allowed(admin_user, action, period):
    report = services.create_progress_report(action, period, by=admin_user, progress=D("10"))

    assert ProgressReport.objects.get().pk == report.pk


@pytest.mark.django_db
def test_create_progress_report_period_of_other_plan_refused(responsible, action):
    foreign = factories.PeriodFactory(plan=factories.PlanFactory(), label="T1 2026")

    with pytest.raises(ValidationError) as exc:
        services.create_progress_report(action, foreign, by=responsible, progress=D("10"))

    assert exc.value.message_dict == {
        "period": ["El periodo «T1 2026» no pertenece al plan de la actividad."]
    }
    assert ProgressReport.objects.count() == 0


@pytest.mark.django_db
def test_create_progress_report_second_for_same_period_is_field_error(
    responsible, report, action, period
):
    with pytest.raises(ValidationError) as exc:
        services.create_progress_report(action, period, by=responsible, progress=D("60"))

    assert exc.value.message_dict == {
        "period": ["Ya existe un reporte de avance de esta actividad para el periodo «T1 2026»."]
    }
    assert list(ProgressReport.objects.values_list("progress", flat=True)) == [D("50")]


@pytest.mark.django_db
def test_create_progress_report_locked_period_refused(responsible, action, period):
    lock(period)

    with pytest.raises(ValidationError) as exc:
        services.create_progress_report(action, period, by=responsible, progress=D("10"))

    assert exc.value.message_dict == {"period": [LOCKED]}
    assert ProgressReport.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["action", "goal", "objective"])
def test_create_progress_report_archived_item_refused(responsible, action, period, level):
    item = {"action": action, "goal": action.goal, "objective": action.goal.objective}[level]
    type(item).objects.filter(pk=item.pk).update(archived=True)

    with pytest.raises(ValidationError) as exc:
        services.create_progress_report(action, period, by=responsible, progress=D("10"))

    assert exc.value.messages == [
        f"La actividad «{action}» está archivada y no admite nuevos reportes."
    ]
    assert ProgressReport.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "returned"])
def test_update_progress_report_editable_states(responsible, report, status):
    in_state(report, status, by=responsible)

    services.update_progress_report(report, by=responsible, progress=D("75"))

    report.refresh_from_db()
    assert (report.progress, report.status, report.narrative) == (D("75"), status, "")


@pytest.mark.django_db
def test_update_progress_report_narrative_only_keeps_progress(responsible, report):
    services.update_progress_report(report, by=responsible, narrative="Avance en actas")

    report.refresh_from_db()
    assert (report.progress, report.narrative) == (D("50"), "Avance en actas")
    assert report.history.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_update_progress_report_not_editable_refused(responsible, report, status):
    in_state(report, status, by=responsible)

    with pytest.raises(ValidationError) as exc:
        services.update_progress_report(report, by=responsible, progress=D("75"))

    label = {"submitted": "Enviado", "approved": "Aprobado"}[status]
    assert exc.value.messages == [
        f"Solo se puede modificar un reporte en borrador o devuelto; este está «{label}»."
    ]
    report.refresh_from_db()
    assert report.progress == D("50")


@pytest.mark.django_db
def test_update_progress_report_out_of_range_refused(responsible, report):
    with pytest.raises(ValidationError) as exc:
        services.update_progress_report(report, by=responsible, progress=D("101"))

    assert set(exc.value.message_dict) == {"progress"}
    report.refresh_from_db()
    assert report.progress == D("50")


@pytest.mark.django_db
def test_update_progress_report_locked_period_refused(responsible, report, period):
    lock(period)

    with pytest.raises(ValidationError) as exc:
        services.update_progress_report(report, by=responsible, progress=D("75"))

    assert exc.value.message_dict == {"period": [LOCKED]}


@pytest.mark.django_db
def test_update_progress_report_outsider_refused(outsider, report):
    with pytest.raises(PermissionDenied):
        services.update_progress_report(report, by=outsider, progress=D("75"))

    report.refresh_from_db()
    assert report.progress == D("50")


@pytest.mark.django_db
def test_update_progress_report_planner_refused(planner, report):
    with pytest.raises(PermissionDenied):
        services.update_progress_report(report, by=planner, progress=D("75"))


# --- Workflow ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_full_workflow_records_history(responsible, planner, action, period):
    report = services.create_progress_report(action, period, by=responsible, progress=D("40"))
    factories.attach_evidence(report)
    services.update_progress_report(report, by=responsible, narrative="Primera versión")
    services.submit_progress_report(report, by=responsible)
    services.return_progress_report(report, by=planner, comment="  Falta el acta ")
    services.update_progress_report(report, by=responsible, progress=D("45"))
    services.submit_progress_report(report, by=responsible)
    services.approve_progress_report(report, by=planner, comment="Conforme")

    report.refresh_from_db()
    assert (report.status, report.progress) == ("approved", D("45"))
    assert (report.submitted_by, report.reviewed_by) == (responsible, planner)
    assert report.review_comment == "Conforme"
    assert list(report.history.order_by("history_id").values_list("status", flat=True)) == [
        "draft",
        "draft",
        "submitted",
        "returned",
        "returned",
        "submitted",
        "approved",
    ]
    assert report.history.first().history_user == planner


@pytest.mark.django_db
def test_submit_progress_report_sets_submitter(responsible, report):
    factories.attach_evidence(report)
    services.submit_progress_report(report, by=responsible)

    report.refresh_from_db()
    assert (report.status, report.submitted_by) == ("submitted", responsible)
    assert report.submitted_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "label"), [("submitted", "Enviado"), ("approved", "Aprobado")])
def test_submit_progress_report_illegal_transition_refused(responsible, report, status, label):
    in_state(report, status, by=responsible)

    with pytest.raises(ValidationError) as exc:
        services.submit_progress_report(report, by=responsible)

    assert exc.value.messages == [f"No se puede pasar de «{label}» a «Enviado»."]
    report.refresh_from_db()
    assert report.status == status


@pytest.mark.django_db
def test_submit_progress_report_outsider_refused(outsider, report):
    with pytest.raises(PermissionDenied):
        services.submit_progress_report(report, by=outsider)

    report.refresh_from_db()
    assert report.status == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["planner", "director", "auditor"])
def test_submit_progress_report_non_reporter_refused(request, report, persona):
    with pytest.raises(PermissionDenied):
        services.submit_progress_report(report, by=request.getfixturevalue(persona))


@pytest.mark.django_db
def test_approve_progress_report_by_planner(planner, responsible, report):
    in_state(report, "submitted", by=responsible)

    services.approve_progress_report(report, by=planner, comment=" Bien ")

    report.refresh_from_db()
    assert (report.status, report.reviewed_by, report.review_comment) == (
        "approved",
        planner,
        "Bien",
    )
    assert report.reviewed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "label"), [("draft", "Borrador"), ("approved", "Aprobado"), ("returned", "Devuelto")]
)
def test_approve_progress_report_illegal_transition_refused(
    planner, responsible, report, status, label
):
    in_state(report, status, by=responsible)

    with pytest.raises(ValidationError) as exc:
        services.approve_progress_report(report, by=planner)

    assert exc.value.messages == [f"No se puede pasar de «{label}» a «Aprobado»."]
    report.refresh_from_db()
    assert report.status == status


@pytest.mark.django_db
def test_approve_own_submitted_report_refused(admin_user, action, period):
    report = services.create_progress_report(action, period, by=admin_user, progress=D("10"))
    factories.attach_evidence(report)
    services.submit_progress_report(report, by=admin_user)

    with pytest.raises(PermissionDenied) as exc:
        services.approve_progress_report(report, by=admin_user)

    assert str(exc.value) == "No puede aprobar un reporte que usted mismo envió."
    report.refresh_from_db()
    assert report.status == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_approve_progress_report_non_reviewer_refused(request, responsible, report, persona):
    in_state(report, "submitted", by=responsible)

    with pytest.raises(PermissionDenied) as exc:
        services.approve_progress_report(report, by=request.getfixturevalue(persona))

    assert str(exc.value) == "Solo Planeación revisa reportes."
    report.refresh_from_db()
    assert report.status == "submitted"


@pytest.mark.django_db
def test_return_progress_report_by_planner(planner, responsible, report):
    in_state(report, "submitted", by=responsible)

    services.return_progress_report(report, by=planner, comment="Adjunte el acta")

    report.refresh_from_db()
    assert (report.status, report.reviewed_by, report.review_comment) == (
        "returned",
        planner,
        "Adjunte el acta",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("comment", ["", "   ", None])
def test_return_progress_report_without_comment_refused(planner, responsible, report, comment):
    in_state(report, "submitted", by=responsible)

    with pytest.raises(ValidationError) as exc:
        services.return_progress_report(report, by=planner, comment=comment)

    assert exc.value.message_dict == {
        "review_comment": ["Explique al responsable por qué se devuelve el reporte."]
    }
    report.refresh_from_db()
    assert report.status == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "label"), [("draft", "Borrador"), ("approved", "Aprobado"), ("returned", "Devuelto")]
)
def test_return_progress_report_illegal_transition_refused(
    planner, responsible, report, status, label
):
    in_state(report, status, by=responsible)

    with pytest.raises(ValidationError) as exc:
        services.return_progress_report(report, by=planner, comment="Revisar")

    assert exc.value.messages == [f"No se puede pasar de «{label}» a «Devuelto»."]
    report.refresh_from_db()
    assert report.status == status


@pytest.mark.django_db
def test_return_progress_report_by_responsible_refused(responsible, report):
    in_state(report, "submitted", by=responsible)

    with pytest.raises(PermissionDenied):
        services.return_progress_report(report, by=responsible, comment="Me lo devuelvo")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "status", "persona"),
    [
        ("submit", "draft", "responsible"),
        ("approve", "submitted", "planner"),
        ("return", "submitted", "planner"),
    ],
)
def test_workflow_in_locked_period_refused(
    request, responsible, report, period, service, status, persona
):
    in_state(report, status, by=responsible)
    lock(period)
    kwargs = {"comment": "Revisar"} if service == "return" else {}

    with pytest.raises(ValidationError) as exc:
        getattr(services, f"{service}_progress_report")(
            report, by=request.getfixturevalue(persona), **kwargs
        )

    assert exc.value.message_dict == {"period": [LOCKED]}
    report.refresh_from_db()
    assert report.status == status


# --- Evidence ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_add_progress_evidence_stores_file(responsible, report, media_root):
    evidence = services.add_progress_evidence(report, by=responsible, file=pdf())

    evidence.refresh_from_db()
    assert (evidence.original_name, evidence.size, evidence.uploaded_by) == (
        "acta.pdf",
        24,
        responsible,
    )
    assert (media_root / evidence.file.name).read_bytes() == b"%PDF-1.4 acta de reunion"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("virus.exe", b"MZ"),
            "Tipo de archivo no permitido (.exe). Use: .csv, .doc, .docx, .jpeg, .jpg, .ods, "
            ".odt, .pdf, .png, .txt, .xls, .xlsx, .zip.",
        ),
        (SimpleUploadedFile("vacio.pdf", b""), "El archivo está vacío."),
    ],
)
def test_add_progress_evidence_bad_file_refused(responsible, report, media_root, upload, message):
    with pytest.raises(ValidationError) as exc:
        services.add_progress_evidence(report, by=responsible, file=upload)

    assert exc.value.message_dict == {"file": [message]}
    assert ProgressEvidence.objects.count() == 0
    assert list(media_root.rglob("*.*")) == []


@pytest.mark.django_db
def test_add_progress_evidence_too_big_refused(settings, responsible, report):
    settings.EVIDENCE_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as exc:
        services.add_progress_evidence(report, by=responsible, file=pdf(content=b"x" * 1025))

    assert set(exc.value.message_dict) == {"file"}
    assert ProgressEvidence.objects.count() == 0


@pytest.mark.django_db
def test_add_progress_evidence_to_submitted_report_refused(responsible, report, media_root):
    in_state(report, "submitted", by=responsible)

    with pytest.raises(ValidationError):
        services.add_progress_evidence(report, by=responsible, file=pdf())

    assert ProgressEvidence.objects.count() == 0
    assert list(media_root.rglob("*.pdf")) == []


@pytest.mark.django_db
def test_add_progress_evidence_locked_period_refused(responsible, report, period):
    lock(period)

    with pytest.raises(ValidationError) as exc:
        services.add_progress_evidence(report, by=responsible, file=pdf())

    assert exc.value.message_dict == {"period": [LOCKED]}
    assert ProgressEvidence.objects.count() == 0


@pytest.mark.django_db
def test_add_progress_evidence_outsider_refused(outsider, report):
    with pytest.raises(PermissionDenied):
        services.add_progress_evidence(report, by=outsider, file=pdf())

    assert ProgressEvidence.objects.count() == 0


@pytest.mark.django_db
def test_remove_progress_evidence_deletes_row_and_file_on_commit(
    responsible, report, media_root, django_capture_on_commit_callbacks
):
    evidence = services.add_progress_evidence(report, by=responsible, file=pdf())
    path = media_root / evidence.file.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.remove_progress_evidence(evidence, by=responsible)

    assert len(callbacks) == 1
    assert ProgressEvidence.objects.count() == 0
    assert not path.exists()


@pytest.mark.django_db
def test_remove_progress_evidence_of_submitted_report_refused(responsible, report, media_root):
    evidence = services.add_progress_evidence(report, by=responsible, file=pdf())
    in_state(report, "submitted", by=responsible)

    with pytest.raises(ValidationError):
        services.remove_progress_evidence(evidence, by=responsible)

    assert ProgressEvidence.objects.count() == 1
    assert (media_root / evidence.file.name).exists()


@pytest.mark.django_db
def test_remove_progress_evidence_locked_period_refused(responsible, report, period):
    evidence = services.add_progress_evidence(report, by=responsible, file=pdf())
    lock(period)

    with pytest.raises(ValidationError) as exc:
        services.remove_progress_evidence(evidence, by=responsible)

    assert exc.value.message_dict == {"period": [LOCKED]}
    assert ProgressEvidence.objects.count() == 1


@pytest.mark.django_db
def test_remove_progress_evidence_outsider_refused(responsible, outsider, report):
    evidence = services.add_progress_evidence(report, by=responsible, file=pdf())

    with pytest.raises(PermissionDenied):
        services.remove_progress_evidence(evidence, by=outsider)

    assert ProgressEvidence.objects.count() == 1


# --- Control interno never edits figures -------------------------------------------------

MANAGEMENT_WRITES = {
    "create_allocation": lambda w, by: services.create_allocation(
        w["action"], by=by, source=w["source"], year=2026, rubro="R9", appropriation=D("1")
    ),
    "update_allocation": lambda w, by: services.update_allocation(
        w["allocation"], by=by, appropriation=D("2")
    ),
    "delete_allocation": lambda w, by: services.delete_allocation(w["allocation"], by=by),
    "record_execution": lambda w, by: services.record_execution(
        w["allocation"],
        by=by,
        stage="cdp",
        amount=D("1"),
        date=date(2026, 5, 1),
        document_number="X",
    ),
    "delete_execution": lambda w, by: services.delete_execution(w["execution"], by=by),
    "record_modification": lambda w, by: services.record_modification(
        w["allocation"],
        by=by,
        kind="addition",
        amount=D("1"),
        date=date(2026, 5, 1),
        act_number="X",
        reason="X",
    ),
    "delete_modification": lambda w, by: services.delete_modification(w["modification"], by=by),
    "create_progress_report": lambda w, by: services.create_progress_report(
        w["action"], w["other_period"], by=by, progress=D("1")
    ),
    "update_progress_report": lambda w, by: services.update_progress_report(
        w["report"], by=by, progress=D("1")
    ),
    "submit_progress_report": lambda w, by: services.submit_progress_report(w["report"], by=by),
    "approve_progress_report": lambda w, by: services.approve_progress_report(
        w["submitted"], by=by
    ),
    "return_progress_report": lambda w, by: services.return_progress_report(
        w["submitted"], by=by, comment="X"
    ),
    "reopen_progress_report": lambda w, by: services.reopen_progress_report(
        w["submitted"], by=by, reason="X"
    ),
    "add_progress_evidence": lambda w, by: services.add_progress_evidence(
        w["report"], by=by, file=pdf()
    ),
    "remove_progress_evidence": lambda w, by: services.remove_progress_evidence(
        w["evidence"], by=by
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("write", sorted(MANAGEMENT_WRITES))
def test_auditor_refused_on_every_management_write(
    auditor, responsible, plan, action, report, write
):
    allocation = factories.AllocationFactory(action=action, source=factories.FundingSourceFactory())
    world = {
        "action": action,
        "source": allocation.source,
        "allocation": allocation,
        "execution": factories.ExecutionFactory(allocation=allocation),
        "modification": factories.ModificationFactory(allocation=allocation),
        "report": report,
        "submitted": in_state(
            factories.ProgressReportFactory(
                action=factories.ActionFactory(goal=action.goal, code="A2", weight=D("0")),
                period=report.period,
            ),
            "submitted",
            by=responsible,
        ),
        "other_period": factories.PeriodFactory(
            plan=plan, label="T2 2026", start_date=date(2026, 4, 1), end_date=date(2026, 6, 30)
        ),
        "evidence": services.add_progress_evidence(report, by=responsible, file=pdf()),
    }
    before = {
        model.__name__: list(model.history.values_list("history_id", flat=True))
        for model in (BudgetAllocation, BudgetExecution, BudgetModification, ProgressReport)
    }

    with pytest.raises(PermissionDenied):
        MANAGEMENT_WRITES[write](world, auditor)

    after = {
        model.__name__: list(model.history.values_list("history_id", flat=True))
        for model in (BudgetAllocation, BudgetExecution, BudgetModification, ProgressReport)
    }
    assert after == before
    assert ProgressEvidence.objects.count() == 1


def test_every_public_management_write_is_in_the_auditor_matrix():
    public = {
        name
        for name in dir(services)
        if callable(getattr(services, name))
        and not name.startswith("_")
        and getattr(services, name).__module__ == services.__name__
    }
    assert public == set(MANAGEMENT_WRITES)
