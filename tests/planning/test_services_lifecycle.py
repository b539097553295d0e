"""Deleting and archiving tree items, reporting periods, control interno's ratings and the
role matrix of every planning write (planning.services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.models import Measurement
from management.models import ProgressReport
from planning import services
from planning.models import (
    Action,
    ActionRating,
    ActionSchedule,
    Goal,
    Objective,
    ReportingPeriod,
    StrategicPlan,
)
from tests import factories

D = Decimal
date = datetime.date


@pytest.fixture
def action(goal):
    return factories.ActionFactory(goal=goal, code="A1", weight=D("100"))


@pytest.fixture
def period(plan):
    return factories.PeriodFactory(
        plan=plan, label="T1 2026", start_date=date(2026, 1, 1), end_date=date(2026, 3, 31)
    )


def close(plan):
    StrategicPlan.objects.filter(pk=plan.pk).update(status="closed")


# --- Deleting ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_delete_action_without_approved_figures_deletes_it_and_drafts(planner, action, period):
    factories.ProgressReportFactory(action=action, period=period, status="submitted")
    action_id = action.pk

    services.delete_action(action, by=planner)

    assert Action.objects.count() == 0
    assert ProgressReport.objects.count() == 0
    deletion = Action.history.filter(id=action_id).first()
    assert (deletion.history_type, deletion.history_user) == ("-", planner)


@pytest.mark.django_db
def test_delete_action_with_approved_report_refused(planner, action, period):
    factories.ProgressReportFactory(action=action, period=period, status="approved")

    with pytest.raises(ValidationError) as exc:
        services.delete_action(action, by=planner)

    assert exc.value.messages == [
        f"No se puede eliminar «{action}» porque tiene cifras aprobadas (reportes de avance o "
        "mediciones). Archívelo en su lugar."
    ]
    assert Action.objects.count() == 1
    assert ProgressReport.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["goal", "objective"])
def test_delete_ancestor_of_approved_report_refused(planner, action, period, level):
    factories.ProgressReportFactory(action=action, period=period, status="approved")
    item = getattr(action.goal, level) if level == "objective" else action.goal

    with pytest.raises(ValidationError) as exc:
        getattr(services, f"delete_{level}")(item, by=planner)

    assert "Archívelo en su lugar" in exc.value.messages[0]
    assert (Objective.objects.count(), Goal.objects.count(), Action.objects.count()) == (1, 1, 1)


@pytest.mark.django_db
def test_delete_goal_with_approved_measurement_refused(planner, goal, period):
    factories.MeasurementFactory(
        indicator=factories.IndicatorFactory(goal=goal), period=period, status="approved"
    )

    with pytest.raises(ValidationError):
        services.delete_goal(goal, by=planner)

    assert Goal.objects.count() == 1
    assert Measurement.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("measured", ["objective", "goal"])
def test_delete_objective_with_approved_measurement_refused(
    planner, objective, goal, period, measured
):
    indicator = (
        factories.IndicatorFactory(goal=None, objective=objective, unit=goal.unit)
        if measured == "objective"
        else factories.IndicatorFactory(goal=goal)
    )
    factories.MeasurementFactory(indicator=indicator, period=period, status="approved")

    with pytest.raises(ValidationError):
        services.delete_objective(objective, by=planner)

    assert Objective.objects.count() == 1


@pytest.mark.django_db
def test_delete_objective_with_unapproved_figures_cascades(planner, objective, action, period):
    factories.ProgressReportFactory(action=action, period=period, status="returned")
    factories.MeasurementFactory(
        indicator=factories.IndicatorFactory(goal=action.goal), period=period
    )

    services.delete_objective(objective, by=planner)

    assert (Objective.objects.count(), Goal.objects.count(), Action.objects.count()) == (0, 0, 0)
    assert (ProgressReport.objects.count(), Measurement.objects.count()) == (0, 0)
    assert ReportingPeriod.objects.count() == 1


@pytest.mark.django_db
def test_delete_objective_ignores_figures_of_other_objectives(planner, plan, period):
    kept = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("50"))
    doomed = factories.ObjectiveFactory(plan=plan, code="O2", weight=D("50"))
    factories.ProgressReportFactory(
        action=factories.ActionFactory(goal__objective=kept), period=period, status="approved"
    )

    services.delete_objective(doomed, by=planner)

    assert list(Objective.objects.values_list("code", flat=True)) == ["O1"]


@pytest.mark.django_db
def test_delete_action_with_budget_execution_refused(planner, action):
    factories.ExecutionFactory(allocation__action=action)

    with pytest.raises(ValidationError) as exc:
        services.delete_action(action, by=planner)

    assert exc.value.messages == [
        f"No se puede eliminar «{action}» porque tiene ejecución presupuestal registrada. "
        "Archívelo en su lugar."
    ]
    assert Action.objects.count() == 1


@pytest.mark.django_db
def test_delete_action_in_closed_plan_refused(planner, plan, action):
    close(plan)

    with pytest.raises(ValidationError):
        services.delete_action(action, by=planner)

    assert Action.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_delete_objective_without_permission_refused(request, objective, persona):
    with pytest.raises(PermissionDenied):
        services.delete_objective(objective, by=request.getfixturevalue(persona))

    assert Objective.objects.count() == 1


# --- Archiving ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["objective", "goal", "action"])
def test_archive_and_unarchive_item(planner, action, level):
    item = {"objective": action.goal.objective, "goal": action.goal, "action": action}[level]

    getattr(services, f"archive_{level}")(item, by=planner)
    item.refresh_from_db()
    archived = item.archived
    getattr(services, f"unarchive_{level}")(item, by=planner)
    item.refresh_from_db()

    assert (archived, item.archived) == (True, False)
    assert list(item.history.values_list("archived", flat=True)) == [False, True, False]
    assert item.history.first().history_user == planner


@pytest.mark.django_db
def test_archive_already_archived_refused(planner, action):
    services.archive_action(action, by=planner)

    with pytest.raises(ValidationError) as exc:
        services.archive_action(action, by=planner)

    assert exc.value.messages == [f"«{action}» ya está archivado."]
    assert action.history.count() == 2


@pytest.mark.django_db
def test_unarchive_not_archived_refused(planner, action):
    with pytest.raises(ValidationError) as exc:
        services.unarchive_action(action, by=planner)

    assert exc.value.messages == [f"«{action}» no está archivado."]


@pytest.mark.django_db
def test_unarchive_over_sibling_weight_refused(planner, plan):
    old = factories.ObjectiveFactory(plan=plan, code="O1", weight=D("60"), archived=True)
    factories.ObjectiveFactory(plan=plan, code="O2", weight=D("60"))

    with pytest.raises(ValidationError) as exc:
        services.unarchive_objective(old, by=planner)

    assert exc.value.message_dict == {
        "weight": [
            "Los demás objetivos del plan ya suman 60 %; quedan 40 % disponibles y se "
            "pidieron 60 %."
        ]
    }
    old.refresh_from_db()
    assert old.archived is True


@pytest.mark.django_db
def test_archive_frees_weight_for_siblings(planner, objective):
    first = factories.GoalFactory(objective=objective, code="M1", weight=D("70"))

    services.archive_goal(first, by=planner)
    services.create_goal(objective, by=planner, code="M2", name="Nueva", weight=D("100"))

    assert list(objective.goals.filter(archived=False).values_list("code", flat=True)) == ["M2"]


@pytest.mark.django_db
def test_archive_action_with_departed_responsible_accepted(planner, goal, outsider):
    action = factories.ActionFactory(goal=goal, responsible=outsider)

    services.archive_action(action, by=planner)

    action.refresh_from_db()
    assert action.archived is True


@pytest.mark.django_db
def test_archive_in_closed_plan_refused(planner, plan, action):
    close(plan)

    with pytest.raises(ValidationError):
        services.archive_action(action, by=planner)

    action.refresh_from_db()
    assert action.archived is False


@pytest.mark.django_db
def test_archive_by_responsible_refused(responsible, action):
    with pytest.raises(PermissionDenied):
        services.archive_action(action, by=responsible)

    action.refresh_from_db()
    assert action.archived is False


# --- Reporting periods -------------------------------------------------------------------


@pytest.mark.django_db
def test_create_period_saves_with_history(planner, plan):
    period = services.create_period(
        plan,
        by=planner,
        label=" Semestre 1 ",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        due_date=date(2026, 7, 15),
    )

    period.refresh_from_db()
    assert (period.label, period.start_date, period.end_date, period.due_date) == (
        "Semestre 1",
        date(2026, 1, 1),
        date(2026, 6, 30),
        date(2026, 7, 15),
    )
    assert (period.locked, period.history.count()) == (False, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "errors"),
    [
        (
            {"start_date": date(2025, 12, 1), "end_date": date(2026, 1, 31)},
            {
                "start_date": [
                    "La fecha debe estar entre el 01/01/2026 y el 31/12/2026 (años del plan)."
                ]
            },
        ),
        (
            {"start_date": date(2026, 12, 1), "end_date": date(2027, 1, 31)},
            {
                "end_date": [
                    "La fecha debe estar entre el 01/01/2026 y el 31/12/2026 (años del plan)."
                ]
            },
        ),
        (
            {"start_date": date(2026, 5, 1), "end_date": date(2026, 4, 30)},
            {"end_date": ["La fecha de fin no puede ser anterior a la fecha de inicio."]},
        ),
        (
            {
                "start_date": date(2026, 4, 1),
                "end_date": date(2026, 6, 30),
                "due_date": date(2026, 6, 29),
            },
            {"due_date": ["La fecha límite de reporte no puede ser anterior al 30/06/2026."]},
        ),
    ],
)
def test_create_period_bad_dates_refused(planner, plan, dates, errors):
    with pytest.raises(ValidationError) as exc:
        services.create_period(plan, by=planner, label="P", **dates)

    assert exc.value.message_dict == errors
    assert ReportingPeriod.objects.count() == 0


@pytest.mark.django_db
def test_create_period_overlap_refused(planner, plan, period):
    with pytest.raises(ValidationError) as exc:
        services.create_period(
            plan,
            by=planner,
            label="Marzo",
            start_date=date(2026, 3, 31),
            end_date=date(2026, 4, 30),
        )

    assert exc.value.message_dict == {
        "start_date": ["El periodo se cruza con «T1 2026» (01/01/2026 – 31/03/2026)."]
    }
    assert ReportingPeriod.objects.count() == 1


@pytest.mark.django_db
def test_create_period_adjacent_and_other_plan_accepted(planner, plan, period):
    factories.PeriodFactory(start_date=date(2026, 4, 1), end_date=date(2026, 6, 30))  # another plan

    services.create_period(
        plan, by=planner, label="T2 2026", start_date=date(2026, 4, 1), end_date=date(2026, 6, 30)
    )

    assert list(plan.periods.values_list("label", flat=True)) == ["T1 2026", "T2 2026"]


@pytest.mark.django_db
def test_create_period_duplicate_label_refused(planner, plan, period):
    with pytest.raises(ValidationError) as exc:
        services.create_period(
            plan,
            by=planner,
            label="t1 2026",
            start_date=date(2026, 7, 1),
            end_date=date(2026, 9, 30),
        )

    assert exc.value.message_dict == {"label": ["Ya existe un periodo «t1 2026» en este plan."]}
    assert ReportingPeriod.objects.count() == 1


@pytest.mark.django_db
def test_create_period_in_closed_plan_refused(planner, plan):
    close(plan)

    with pytest.raises(ValidationError):
        services.create_period(
            plan, by=planner, label="T1", start_date=date(2026, 1, 1), end_date=date(2026, 3, 31)
        )

    assert ReportingPeriod.objects.count() == 0


@pytest.mark.django_db
def test_create_quarterly_periods_creates_four_quarters(planner, plan):
    periods = services.create_quarterly_periods(plan, by=planner, year=2026)

    assert [(p.label, p.start_date, p.end_date, p.due_date) for p in periods] == [
        ("T1 2026", date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 10)),
        ("T2 2026", date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 10)),
        ("T3 2026", date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 10)),
        ("T4 2026", date(2026, 10, 1), date(2026, 12, 31), date(2027, 1, 10)),
    ]
    assert plan.periods.count() == 4
    assert all(p.history.count() == 1 for p in periods)


@pytest.mark.django_db
def test_create_quarterly_periods_overlap_creates_nothing(planner, plan):
    factories.PeriodFactory(
        plan=plan, label="Agosto", start_date=date(2026, 8, 1), end_date=date(2026, 8, 31)
    )

    with pytest.raises(ValidationError) as exc:
        services.create_quarterly_periods(plan, by=planner, year=2026)

    assert exc.value.message_dict == {
        "year": ["T3 2026: El periodo se cruza con «Agosto» (01/08/2026 – 31/08/2026)."]
    }
    assert list(plan.periods.values_list("label", flat=True)) == ["Agosto"]


@pytest.mark.django_db
def test_create_quarterly_periods_twice_refused(planner, plan):
    services.create_quarterly_periods(plan, by=planner, year=2026)

    with pytest.raises(ValidationError) as exc:
        services.create_quarterly_periods(plan, by=planner, year=2026)

    messages = exc.value.message_dict["year"]
    assert len(messages) == 8  # each quarter: duplicate label and overlap
    assert messages[:2] == [
        "T1 2026: Ya existe un periodo «T1 2026» en este plan.",
        "T1 2026: El periodo se cruza con «T1 2026» (01/01/2026 – 31/03/2026).",
    ]
    assert plan.periods.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2025, 2027, "dos mil"])
def test_create_quarterly_periods_year_outside_plan_refused(planner, plan, year):
    with pytest.raises(ValidationError) as exc:
        services.create_quarterly_periods(plan, by=planner, year=year)

    assert set(exc.value.message_dict) == {"year"}
    assert plan.periods.count() == 0


@pytest.mark.django_db
def test_lock_and_unlock_period(planner, period):
    services.lock_period(period, by=planner)
    period.refresh_from_db()
    locked = period.locked
    services.unlock_period(period, by=planner, reason=" Falta un reporte ")
    period.refresh_from_db()

    assert (locked, period.locked) == (True, False)
    assert list(period.history.values_list("locked", flat=True)) == [False, True, False]
    assert period.history.first().history_change_reason == "Falta un reporte"


@pytest.mark.django_db
def test_unlock_without_a_reason_refused(planner, period):
    services.lock_period(period, by=planner)

    with pytest.raises(ValidationError) as exc:
        services.unlock_period(period, by=planner, reason="  ")

    assert exc.value.message_dict == {"reason": ["Indique por qué se vuelve a abrir el periodo."]}
    period.refresh_from_db()
    assert period.locked is True


@pytest.mark.django_db
def test_lock_locked_period_refused(planner, period):
    services.lock_period(period, by=planner)

    with pytest.raises(ValidationError) as exc:
        services.lock_period(period, by=planner)

    assert exc.value.messages == ["El periodo «T1 2026» ya está cerrado."]


@pytest.mark.django_db
def test_unlock_open_period_refused(planner, period):
    with pytest.raises(ValidationError) as exc:
        services.unlock_period(period, by=planner, reason="X")

    assert exc.value.messages == ["El periodo «T1 2026» ya está abierto."]


@pytest.mark.django_db
def test_lock_and_unlock_period_of_closed_plan_refused(planner, plan, period):
    close(plan)

    with pytest.raises(ValidationError):
        services.lock_period(period, by=planner)
    ReportingPeriod.objects.filter(pk=period.pk).update(locked=True)
    with pytest.raises(ValidationError):
        services.unlock_period(period, by=planner, reason="X")

    period.refresh_from_db()
    assert period.locked is True


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_lock_period_without_permission_refused(request, period, persona):
    with pytest.raises(PermissionDenied):
        services.lock_period(period, by=request.getfixturevalue(persona))

    period.refresh_from_db()
    assert period.locked is False


# --- Control interno ---------------------------------------------------------------------


@pytest.mark.django_db
def test_rate_action_creates_then_updates_same_semester(auditor, action):
    first = services.rate_action(
        action, by=auditor, year=2026, semester=1, rating="partial", comment="Faltan actas"
    )
    second = services.rate_action(
        action, by=auditor, year=2026, semester=1, rating="satisfactory", comment=" Completo "
    )

    rating = ActionRating.objects.get()
    assert first.pk == second.pk == rating.pk
    assert (rating.rating, rating.comment, rating.rated_by) == ("satisfactory", "Completo", auditor)
    assert list(rating.history.values_list("rating", flat=True)) == ["satisfactory", "partial"]


@pytest.mark.django_db
@pytest.mark.parametrize("rating", ["partial", "unsatisfactory"])
def test_rate_action_below_satisfactory_without_comment_refused(auditor, action, rating):
    with pytest.raises(ValidationError) as exc:
        services.rate_action(action, by=auditor, year=2026, semester=1, rating=rating, comment=" ")

    assert exc.value.message_dict == {
        "comment": ["Una calificación por debajo de «Satisfactorio» requiere un comentario."]
    }
    assert ActionRating.objects.count() == 0


@pytest.mark.django_db
def test_rate_action_satisfactory_needs_no_comment(auditor, action):
    services.rate_action(action, by=auditor, year=2026, semester=1, rating="satisfactory")

    assert ActionRating.objects.get().comment == ""


@pytest.mark.django_db
def test_rate_action_other_semester_creates_second_rating(auditor, action):
    services.rate_action(action, by=auditor, year=2026, semester=1, rating="partial", comment="A")
    services.rate_action(
        action, by=auditor, year=2026, semester="2", rating="unsatisfactory", comment="B"
    )

    assert list(action.ratings.values_list("semester", "rating")) == [
        (1, "partial"),
        (2, "unsatisfactory"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": 2026, "semester": 3, "rating": "partial"}, "semester"),
        ({"year": 2025, "semester": 1, "rating": "partial"}, "year"),
        ({"year": 2026, "semester": 1, "rating": "excelente"}, "rating"),
    ],
)
def test_rate_action_bad_input_refused(auditor, action, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.rate_action(action, by=auditor, comment="", **kwargs)

    assert set(exc.value.message_dict) == {field}
    assert ActionRating.objects.count() == 0


@pytest.mark.django_db
def test_rate_action_in_closed_plan_accepted(auditor, plan, action):
    close(plan)

    services.rate_action(
        action, by=auditor, year=2026, semester=2, rating="partial", comment="Falta el acta"
    )

    assert ActionRating.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["planner", "responsible", "director"])
def test_rate_action_by_non_auditor_refused(request, action, persona):
    with pytest.raises(PermissionDenied) as exc:
        services.rate_action(
            action,
            by=request.getfixturevalue(persona),
            year=2026,
            semester=1,
            rating="partial",
            comment="",
        )

    assert str(exc.value) == "Solo control interno califica actividades."
    assert ActionRating.objects.count() == 0


# --- Control interno never edits plans ---------------------------------------------------

PLANNING_WRITES = {
    "create_plan": lambda w, by: services.create_plan(
        by=by, name="P", start_year=2026, end_year=2026
    ),
    "update_plan": lambda w, by: services.update_plan(w["plan"], by=by, name="X"),
    "approve_plan": lambda w, by: services.approve_plan(w["plan"], by=by),
    "close_plan": lambda w, by: services.close_plan(w["plan"], by=by),
    "create_objective": lambda w, by: services.create_objective(
        w["plan"], by=by, code="O9", name="X", weight=0
    ),
    "update_objective": lambda w, by: services.update_objective(w["objective"], by=by, name="X"),
    "create_goal": lambda w, by: services.create_goal(
        w["objective"], by=by, code="M9", name="X", weight=0
    ),
    "update_goal": lambda w, by: services.update_goal(w["goal"], by=by, name="X"),
    "create_action": lambda w, by: services.create_action(
        w["goal"],
        by=by,
        code="A9",
        name="X",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 2, 1),
        weight=0,
    ),
    "update_action": lambda w, by: services.update_action(w["action"], by=by, name="X"),
    "reorder_children": lambda w, by: services.reorder_children(
        w["goal"], by=by, ordered_ids=[w["action"].pk]
    ),
    "delete_objective": lambda w, by: services.delete_objective(w["objective"], by=by),
    "delete_goal": lambda w, by: services.delete_goal(w["goal"], by=by),
    "delete_action": lambda w, by: services.delete_action(w["action"], by=by),
    "archive_objective": lambda w, by: services.archive_objective(w["objective"], by=by),
    "unarchive_objective": lambda w, by: services.unarchive_objective(w["objective"], by=by),
    "archive_goal": lambda w, by: services.archive_goal(w["goal"], by=by),
    "unarchive_goal": lambda w, by: services.unarchive_goal(w["goal"], by=by),
    "archive_action": lambda w, by: services.archive_action(w["action"], by=by),
    "unarchive_action": lambda w, by: services.unarchive_action(w["action"], by=by),
    "set_action_schedule": lambda w, by: services.set_action_schedule(
        w["action"], by=by, planned={w["period"]: 100}
    ),
    "clear_action_schedule": lambda w, by: services.clear_action_schedule(w["action"], by=by),
    "create_period": lambda w, by: services.create_period(
        w["plan"], by=by, label="X", start_date=date(2026, 4, 1), end_date=date(2026, 4, 30)
    ),
    "create_quarterly_periods": lambda w, by: services.create_quarterly_periods(
        w["plan"], by=by, year=2026
    ),
    "lock_period": lambda w, by: services.lock_period(w["period"], by=by),
    "unlock_period": lambda w, by: services.unlock_period(w["period"], by=by, reason="X"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("write", sorted(PLANNING_WRITES))
def test_auditor_refused_on_every_planning_write(auditor, plan, action, period, write):
    world = {
        "plan": plan,
        "objective": action.goal.objective,
        "goal": action.goal,
        "action": action,
        "period": period,
    }
    before = {
        model.__name__: list(model.history.values_list("history_id", flat=True))
        for model in (StrategicPlan, Objective, Goal, Action, ReportingPeriod, ActionSchedule)
    }

    with pytest.raises(PermissionDenied):
        PLANNING_WRITES[write](world, auditor)

    after = {
        model.__name__: list(model.history.values_list("history_id", flat=True))
        for model in (StrategicPlan, Objective, Goal, Action, ReportingPeriod, ActionSchedule)
    }
    assert after == before


def test_every_public_planning_write_is_in_the_auditor_matrix():
    public = {
        name
        for name in dir(services)
        if callable(getattr(services, name))
        and not name.startswith("_")
        and getattr(services, name).__module__.startswith(f"{services.__name__}.")
    }
    assert public - set(PLANNING_WRITES) == {"rate_action"}
