"""The import's bulk path (planning.services.bulk, evaluation.services.imports,
management.services.imports) against the single-item services of the UI: the same file
gives the same objects and the same history rows, and takes a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from evaluation import services as evaluation_services
from evaluation.models import Indicator, IndicatorTarget
from evaluation.services import imports as evaluation_imports
from management import services as management_services
from management.models import BudgetAllocation, BudgetExecution, BudgetModification, FundingSource
from management.services import imports as management_imports
from mipg.core.models import InstitutionalPlan, ReviewStatus
from mipg.traceability.spreadsheet import parsing
from mipg.traceability.spreadsheet.importer import import_plan
from planning import services as planning_services
from planning.models import (
    Action,
    ActionSchedule,
    Goal,
    Objective,
    PlanVersion,
    ReportingPeriod,
    StrategicPlan,
)
from tests import factories
from tests.builders import quarters_2026
from tests.traceability.test_spreadsheet import action_row, filled, goal_row, objective_row

REASON = "Importación de plan.xlsx"
# Per model: the foreign keys to items of the plan, shown by a natural key.
NATURAL = {
    "plan": None,
    "objective": "code",
    "goal": "code",
    "action": "code",
    "indicator": "code",
    "period": "label",
}
SKIPPED = {"id", "history_id", "history_date", "plan_id"}
M2M_COLUMNS = {"policies": "policy_id", "institutional_plans": "institutionalplan_id"}
MODELS = (Objective, Goal, Action, ActionSchedule, Indicator, IndicatorTarget, BudgetAllocation)


def _values(obj, model):
    """The fields of ``obj`` (a row or a history row of ``model``), plan-specific foreign
    keys by their natural key."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.attname in SKIPPED:
            continue
        value = getattr(obj, field.attname)
        name = field.attname.removesuffix("_id")
        if name in NATURAL and field.attname.endswith("_id"):
            related = model._meta.get_field(name).related_model
            value = related.objects.filter(pk=value).values_list(NATURAL[name], flat=True).first()
        values[field.attname] = value
    return values


def snapshot(plan):
    """{model: sorted rows} and {model: sorted history rows} of everything under ``plan``."""
    lookups = {
        Objective: {"plan": plan},
        Goal: {"objective__plan": plan},
        Action: {"goal__objective__plan": plan},
        ActionSchedule: {"action__goal__objective__plan": plan},
        Indicator: {"plan": plan},
        IndicatorTarget: {"indicator__plan": plan},
        BudgetAllocation: {"action__goal__objective__plan": plan},
    }
    rows, history = {}, {}
    for model in MODELS:
        objects = list(model.objects.filter(**lookups[model]))
        rows[model.__name__] = sorted((_values(o, model) for o in objects), key=repr)
        records = model.history.filter(id__in=[o.pk for o in objects]).order_by("history_id")
        by_object = {}
        for record in records:
            entry = _values(record, model)
            for name in ("policies", "institutional_plans"):
                if hasattr(record, name):
                    entry[name] = sorted(
                        getattr(
                            row, f"{'policy' if name == 'policies' else 'institutionalplan'}_id"
                        )
                        for row in getattr(record, name).all()
                    )
            by_object.setdefault(record.id, []).append(entry)
        history[model.__name__] = sorted(by_object.values(), key=repr)
    return rows, history


def file_rows():
    return [
        {
            **objective_row(**{"Ponderación objetivo": 100, "Política MIPG": "P03"}),
            **goal_row(**{"Ponderación meta": 100, "Dependencia de la meta": "SPL"}),
            **action_row(
                "A1",
                60,
                **{
                    "Cantidad": 4,
                    "Unidad de la cantidad": "talleres",
                    "Planes del Decreto 612": "PAA",
                    "Programación 2026-T1": "10%",
                    "Programación 2026-T2": "40%",
                    "Programación 2026-T3": "70%",
                    "Programación 2026-T4": "100%",
                },
            ),
            "Código indicador": "IND-1",
            "Indicador": "Talleres hechos",
            "Fórmula": "Talleres hechos / 4",
            "Unidad": "%",
            "Tipo de indicador": "Eficacia",
            "Nivel": "Producto",
            "Tipo de acumulación": "Acumulado",
            "Sentido": "Creciente",
            "Frecuencia": "Trimestral",
            "Línea base": 0,
            "Dependencia del indicador": "SPL",
            "Meta del indicador 2026-T1": 25,
            "Meta del indicador 2026-T2": 50,
            "Presupuesto (apropiación inicial)": "1.234.567",
            "Vigencia": 2026,
            "Rubro": "2.3.1",
            "Fuente": "RP",
            "BPIN": "2026000123",
        },
        action_row("A2", 40),
    ]


def by_services(plan, periods, unit, user):
    """What file_rows() asks, written with the single-item services one by one."""
    kwargs = {"by": user, "reason": REASON}
    objective = planning_services.create_objective(
        plan,
        code="O1",
        name="Fortalecer la planeación",
        weight=Decimal("100"),
        policies=[factories.policy("P03")],
        **kwargs,
    )
    goal = planning_services.create_goal(
        objective, code="M1", name="Meta M1", weight=Decimal("100"), unit=unit, **kwargs
    )
    dates = {"start_date": datetime.date(2026, 2, 1), "end_date": datetime.date(2026, 11, 30)}
    first = planning_services.create_action(
        goal,
        code="A1",
        name="Actividad A1",
        weight=Decimal("60"),
        quantity_target=Decimal("4"),
        quantity_unit="talleres",
        institutional_plans=[InstitutionalPlan.objects.get(code="PAA")],
        **dates,
        **kwargs,
    )
    planning_services.create_action(
        goal, code="A2", name="Actividad A2", weight=Decimal("40"), **dates, **kwargs
    )
    planned = dict(zip(periods, (Decimal(v) for v in ("10", "40", "70", "100")), strict=True))
    planning_services.set_action_schedule(first, planned=planned, **kwargs)
    indicator = evaluation_services.create_indicator(
        code="IND-1",
        name="Talleres hechos",
        formula="Talleres hechos / 4",
        measurement_unit="%",
        type=Indicator.Type.EFFICACY,
        level=Indicator.Level.PRODUCT,
        accumulation=Indicator.Accumulation.CUMULATIVE,
        polarity=Indicator.Polarity.INCREASING,
        frequency=Indicator.Frequency.QUARTERLY,
        baseline_value=Decimal("0"),
        unit=unit,
        goal=goal,
        objective=None,
        **kwargs,
    )
    evaluation_services.set_targets(
        indicator, values={periods[0].pk: Decimal("25"), periods[1].pk: Decimal("50")}, **kwargs
    )
    management_services.create_allocation(
        first,
        source=FundingSource.objects.get(code="RP"),
        year=2026,
        rubro="2.3.1",
        appropriation=Decimal("1234567"),
        bpin="2026000123",
        **kwargs,
    )


@pytest.mark.django_db
def test_bulk_import_writes_the_same_objects_and_history_as_the_services(unit, planner):
    imported = factories.PlanFactory(name="Importado")
    periods = quarters_2026(imported)
    outcome = import_plan(
        imported, filled(imported, file_rows()), by=planner, filename="plan.xlsx", commit=True
    )
    assert outcome.problems == []
    by_hand = factories.PlanFactory(name="A mano")
    by_services(by_hand, quarters_2026(by_hand), unit, planner)
    assert periods  # the imported plan's quarters, labelled as the other plan's
    rows, history = snapshot(imported)
    assert (rows, history) == snapshot(by_hand)
    # The history rows carry the import as their reason.
    assert {r["history_change_reason"] for rs in history["Action"] for r in rs} == {REASON}
    assert [len(history[model.__name__]) for model in MODELS] == [1, 1, 2, 4, 1, 2, 1]
    assert [r["history_type"] for r in history["Objective"][0]] == ["+", "~"]
    assert history["Objective"][0][-1]["policies"] == [factories.policy("P03").pk]


def test_first_import_runs_the_same_queries_for_one_or_three_actions(
    db, unit, responsible, planner, count_queries
):
    """Every item created in bulk: the queries do not grow with the rows."""
    counts = []
    for total in (1, 3):
        plan = factories.PlanFactory(name=f"Plan {total}")
        quarters_2026(plan)
        rows = [{**objective_row(**{"Ponderación objetivo": 100}), **goal_row()}]
        rows += [
            {
                **action_row(
                    f"A{number}",
                    10,
                    **{
                        "Responsable": responsible.username,
                        "Planes del Decreto 612": "PAA",
                        "Programación 2026-T4": "100%",
                        "Programación 2026-T1": "0%",
                        "Programación 2026-T2": "0%",
                        "Programación 2026-T3": "50%",
                    },
                ),
                "Rubro": f"2.3.{number}",
                "Fuente": "RP",
                "Vigencia": 2026,
                "Presupuesto (apropiación inicial)": 1000,
            }
            for number in range(1, total + 1)
        ]
        source = filled(plan, rows)
        by = type(planner).objects.get(pk=planner.pk)  # permissions not cached yet, both times
        with count_queries() as queries:
            outcome = import_plan(plan, source, by=by, filename="p.xlsx", commit=True)
        assert outcome.problems == []
        assert dict(outcome.counts["allocation"]) == {"created": total}
        assert dict(outcome.counts["schedule"]) == {"created": total}
        counts.append(queries.count)
    assert counts[0] == counts[1]


def test_a_weight_under_one_percent_reads_with_its_two_decimals():
    """0,50 % is written as 0.005 in a "0.00%" cell; read back, × 100 gave 0.500, which a
    two-decimal field refused as three decimals (the 20,000-action benchmark plan)."""
    weight = parsing.percentage(0.005, "0.00%")
    assert weight == Decimal("0.5") and weight.as_tuple().exponent == -1
    assert parsing.percentage("12,50 %") == Decimal("12.5")
    assert parsing.percentage(30) == Decimal("30")


def _allocations_with_records(plan):
    """Allocations of ``plan`` (2026–2027) with CDP, obligations and modifications recorded
    against them, for the changes of CHANGES (same index)."""
    action = factories.ActionFactory(goal__objective__plan=plan, code="A1")
    made = [
        factories.AllocationFactory(action=action, rubro=f"2.3.{number}") for number in range(8)
    ]
    factories.ExecutionFactory(allocation=made[0], amount=Decimal("100000"))
    factories.ModificationFactory(
        allocation=made[0], kind=BudgetModification.Kind.REDUCTION, amount=Decimal("50000")
    )
    # 1: definitivo 50.000 + 200.000 = 250.000 < CDP 300.000.
    factories.ExecutionFactory(allocation=made[1], amount=Decimal("300000"))
    factories.ModificationFactory(allocation=made[1], amount=Decimal("200000"))
    # 2: 10 < CDP 100.000, no modifications.
    factories.ExecutionFactory(allocation=made[2], amount=Decimal("100000"))
    # 3: to 2027, a CDP of 2026 would be outside; 4: a modification of 2026 would be.
    factories.ExecutionFactory(allocation=made[3])
    factories.ModificationFactory(allocation=made[4])
    # 5: an obligation of 2027 (a reserva of 2026) is not outside its vigencia 2026.
    factories.ExecutionFactory(
        allocation=made[5],
        stage=BudgetExecution.Stage.OBLIGATION,
        amount=Decimal("1000"),
        date=datetime.date(2027, 2, 1),
    )
    return made


CHANGES = [
    {"appropriation": Decimal("900000"), "bpin": " 2026000123 "},
    {"appropriation": Decimal("50000")},
    {"appropriation": Decimal("10")},
    {"year": 2027},
    {"year": 2027},
    {"rubro": " 2.3.9 "},
    {"rubro": "2.3.7"},  # 7's: a duplicate
    {"rubro": "2.3.5", "appropriation": Decimal("5")},  # 5's: free since 5 moved
]


def _allocation_snapshot(plan):
    objects = list(BudgetAllocation.objects.filter(action__goal__objective__plan=plan))
    rows = sorted((_values(o, BudgetAllocation) for o in objects), key=repr)
    records = BudgetAllocation.history.filter(id__in=[o.pk for o in objects])
    history = sorted(
        (_values(r, BudgetAllocation) for r in records.order_by("history_id")), key=repr
    )
    return rows, history


@pytest.mark.django_db
def test_bulk_allocation_changes_match_update_allocation(planner):
    """The same changes through import_allocations and one by one through
    update_allocation: the same rows, "~" history rows and refusals (messages by field)."""
    plans = [factories.PlanFactory(name=name, end_year=2027) for name in ("Bulk", "Uno a uno")]
    bulk, single = (_allocations_with_records(plan) for plan in plans)
    result = management_imports.import_allocations(
        plans[0],
        [(a, dict(f)) for a, f in zip(bulk, CHANGES, strict=True)],
        by=planner,
        reason=REASON,
    )
    bulk_errors = {index: exc.message_dict for index, exc in result.errors.items()}
    single_errors = {}
    for index, (allocation, fields) in enumerate(zip(single, CHANGES, strict=True)):
        try:
            with transaction.atomic():
                management_services.update_allocation(
                    allocation, by=planner, reason=REASON, **fields
                )
        except ValidationError as exc:
            single_errors[index] = exc.message_dict
    assert bulk_errors == single_errors
    assert sorted(bulk_errors) == [1, 2, 3, 4, 6]
    assert bulk_errors[1] == {
        "appropriation": [
            "La apropiación definitiva ($ 250.000 = inicial $ 50.000 más modificaciones "
            "$ 200.000) no puede quedar por debajo del CDP acumulado ($ 300.000)."
        ]
    }
    assert bulk_errors[2] == {
        "appropriation": [
            "La apropiación ($ 10) no puede quedar por debajo del CDP acumulado ($ 100.000)."
        ]
    }
    assert bulk_errors[3] == {
        "year": ["1 registros de ejecución quedarían fuera de la vigencia 2027."]
    }
    assert bulk_errors[4] == {
        "year": ["1 modificaciones presupuestales quedarían fuera de la vigencia 2027."]
    }
    assert [result.saved[i] is not None for i in range(8)] == [
        True,
        False,
        False,
        False,
        False,
        True,
        False,
        True,
    ]
    bulk_rows, bulk_history = _allocation_snapshot(plans[0])
    assert (bulk_rows, bulk_history) == _allocation_snapshot(plans[1])
    changed = [r for r in bulk_history if r["history_type"] == "~"]
    assert len(changed) == 3
    assert {(r["history_change_reason"], r["history_user_id"]) for r in changed} == {
        (REASON, planner.pk)
    }
    assert {(r["rubro"], r["year"], r["bpin"]) for r in bulk_rows} >= {
        ("2.3.9", 2026, ""),
        ("2.3.0", 2026, "2026000123"),
    }


def assert_same_queries_for_one_and_three(planner, count_queries, prepare):
    """``prepare(plan, total)`` builds ``total`` items in a new plan and returns the bulk
    write of them (a function of the user): it runs without errors and with the same
    queries for 1 and for 3 items."""
    counts = []
    for total in (1, 3):
        write = prepare(factories.PlanFactory(name=f"Plan {total}"), total)
        by = type(planner).objects.get(pk=planner.pk)
        with count_queries() as queries:
            result = write(by)
        assert result.errors == {}
        counts.append(queries.count)
    assert counts[0] == counts[1]


def test_allocation_changes_run_the_same_queries_for_one_or_three(db, planner, count_queries):
    def prepare(plan, total):
        action = factories.ActionFactory(goal__objective__plan=plan, code="A1")
        made = [factories.AllocationFactory(action=action) for _ in range(total)]
        for allocation in made:
            factories.ExecutionFactory(allocation=allocation)
            factories.ModificationFactory(allocation=allocation)
        writes = [(a, {"appropriation": Decimal("500000")}) for a in made]
        return lambda by: management_imports.import_allocations(plan, writes, by=by, reason=REASON)

    assert_same_queries_for_one_and_three(planner, count_queries, prepare)


def _indicators_with_records(plan, unit):
    """Indicators of ``plan`` for INDICATOR_CHANGES (same index), codes IND-0 … IND-9, two
    goals of one objective; IND-1 has an approved measurement."""
    objective = factories.ObjectiveFactory(plan=plan, code="O1")
    goals = [factories.GoalFactory(objective=objective, code=f"M{n}", unit=unit) for n in (1, 2)]
    made = [
        factories.IndicatorFactory(goal=goals[0], code=f"IND-{number}", name=f"Indicador {number}")
        for number in range(10)
    ]
    period = factories.PeriodFactory(plan=plan, label="2026-T1")
    factories.MeasurementFactory(indicator=made[1], period=period, status=ReviewStatus.APPROVED)
    return made, goals


INDICATOR_CHANGES = [
    {"name": "Indicador renombrado"},
    {"baseline_value": Decimal("5")},  # approved measurement, no reason: refused
    {"baseline_value": Decimal("7"), "baseline_date": datetime.date(2025, 12, 31)},
    {"semaforo_red_below": Decimal("90"), "semaforo_green_from": Decimal("80")},
    {"code": "IND-0"},  # taken
    {"archived": True},
    {"name": "Indicador 6"},  # as it is: nothing to save
    {"goal": "second"},
    {"name": ""},
    {"code": "IND-90", "name": "Código nuevo"},
]


def _indicator_snapshot(plan):
    objects = list(Indicator.objects.filter(plan=plan))
    rows = sorted((_values(o, Indicator) for o in objects), key=repr)
    records = Indicator.history.filter(id__in=[o.pk for o in objects]).order_by("history_id")
    history = sorted((_values(r, Indicator) for r in records), key=repr)
    return rows, history


def _indicator_writes(made, goals):
    return [
        (item, {**fields, "goal": goals[1]} if fields.get("goal") == "second" else dict(fields))
        for item, fields in zip(made, INDICATOR_CHANGES, strict=True)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", REASON])
def test_bulk_indicator_changes_match_update_indicator(planner, unit, reason):
    """The same changes through import_indicators and one by one through update_indicator:
    the same rows, "~" history rows, refusals (messages by field) and versioned changes."""
    plans = [factories.PlanFactory(name=name) for name in ("Bulk", "Uno a uno")]
    (bulk, bulk_goals), (single, single_goals) = (_indicators_with_records(p, unit) for p in plans)
    result = evaluation_imports.import_indicators(
        plans[0], _indicator_writes(bulk, bulk_goals), by=planner, reason=reason
    )
    bulk_errors = {index: exc.message_dict for index, exc in result.errors.items()}
    single_errors = {}
    for index, (indicator, fields) in enumerate(_indicator_writes(single, single_goals)):
        try:
            with transaction.atomic():
                evaluation_services.update_indicator(indicator, by=planner, reason=reason, **fields)
        except ValidationError as exc:
            single_errors[index] = exc.message_dict
    assert bulk_errors == single_errors
    assert sorted(bulk_errors) == ([1, 3, 4, 8] if not reason else [3, 4, 8])
    assert bulk_errors[4] == {
        "code": ["Ya existe un indicador con el código «IND-0» en este plan."]
    }
    assert [result.saved[i] is not None for i in range(10)] == [
        index not in bulk_errors for index in range(10)
    ]
    assert _indicator_snapshot(plans[0]) == _indicator_snapshot(plans[1])
    changed = [r for r in _indicator_snapshot(plans[0])[1] if r["history_type"] == "~"]
    assert len(changed) == 5 + (1 if reason else 0)
    assert {(r["history_change_reason"], r["history_user_id"]) for r in changed} == {
        (reason or None, planner.pk)
    }
    # The caller's instances show the rows as saved; the refused ones are left as given.
    assert bulk[9].code == "IND-90" and bulk[7].goal_id == bulk_goals[1].pk
    assert result.changes == [
        *(
            [{"item": "IND-1 Indicador 1", "what": "baseline_value", "old": "", "new": "5"}]
            if reason
            else []
        ),
        {"item": "IND-2 Indicador 2", "what": "baseline_value", "old": "", "new": "7"},
        {"item": "IND-2 Indicador 2", "what": "baseline_date", "old": "", "new": "31/12/2025"},
        {"item": "IND-5 Indicador 5", "what": "archived", "old": "", "new": ""},
    ]


@pytest.mark.django_db
def test_import_into_an_approved_plan_versions_indicator_changes_once(planner, unit):
    """On an approved plan the indicators' baseline and archiving changes go into the
    import's one plan version (update_indicator alone makes one version per indicator)."""
    plan = factories.PlanFactory(name="Aprobado")
    made, _goals = _indicators_with_records(plan, unit)
    plan.status = StrategicPlan.Status.APPROVED
    plan.save()
    writes = [(made[2], {"baseline_value": Decimal("7")}), (made[5], {"archived": True})]
    result = evaluation_imports.import_indicators(plan, writes, by=planner, reason=REASON)
    assert result.errors == {}
    assert not PlanVersion.objects.filter(plan=plan).exists()
    assert [c["what"] for c in result.changes] == ["baseline_value", "archived"]


def test_indicator_changes_run_the_same_queries_for_one_or_three(db, planner, count_queries):
    def prepare(plan, total):
        goal = factories.GoalFactory(objective__plan=plan)
        made = [factories.IndicatorFactory(goal=goal) for _ in range(total)]
        writes = [(i, {"name": f"{i.name} (v2)", "baseline_value": Decimal("1")}) for i in made]
        return lambda by: evaluation_imports.import_indicators(plan, writes, by=by, reason="")

    assert_same_queries_for_one_and_three(planner, count_queries, prepare)


def _targets_with_records(plan, unit):
    """Indicators of ``plan`` for TARGET_CHANGES (same index), each with targets of 10 in
    T1 (locked) and T2 and T3 (open); T2 of the fourth has an approved measurement."""
    goal = factories.GoalFactory(objective__plan=plan, unit=unit, code="M1")
    periods = quarters_2026(plan)
    periods[0].locked = True
    periods[0].save()
    made = [
        factories.IndicatorFactory(goal=goal, code=f"IND-{number}", name=f"Indicador {number}")
        for number in range(9)
    ]
    for indicator in made:
        for period in periods[:3]:
            factories.TargetFactory(indicator=indicator, period=period, value=Decimal("10"))
    factories.MeasurementFactory(indicator=made[3], period=periods[1], status=ReviewStatus.APPROVED)
    other = factories.PeriodFactory(label="De otro plan")
    return made, periods, other


def _target_writes(made, periods, other):
    t1, t2, t3, t4 = periods
    changes = [
        {t2: Decimal("20")},
        {t1: Decimal("20")},  # locked
        {t1: Decimal("10"), t2: Decimal("15")},  # locked but as it is: accepted
        {t2: Decimal("30")},  # approved measurement: needs a reason
        {t3: None},  # deleted
        {t4: Decimal("40")},  # created
        {t2: "mucho"},
        {other: Decimal("5")},
        {t3: Decimal("12"), t1: Decimal("11")},  # one refused: nothing saved
    ]
    return {
        indicator: {period.pk: value for period, value in values.items()}
        for indicator, values in zip(made, changes, strict=True)
    }


def _target_snapshot(plan):
    objects = list(IndicatorTarget.objects.filter(indicator__plan=plan))
    rows = sorted((_values(o, IndicatorTarget) for o in objects), key=repr)
    ids = IndicatorTarget.history.filter(indicator__plan=plan).values_list("id", flat=True)
    records = IndicatorTarget.history.filter(id__in=list(ids)).order_by("history_id")
    history = sorted((_values(r, IndicatorTarget) for r in records), key=repr)
    return rows, history


def _by_label(saved):
    """{period label: target value or None} of a set_targets result; None stays None."""
    if saved is None:
        return None
    labels = dict(ReportingPeriod.objects.filter(pk__in=list(saved)).values_list("pk", "label"))
    return {labels[pk]: target and target.value for pk, target in saved.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", REASON])
def test_bulk_target_changes_match_set_targets(planner, unit, reason):
    """The same targets through import_targets and one indicator at a time through
    set_targets: the same rows, history rows, refusals and versioned changes."""
    plans = [factories.PlanFactory(name=name) for name in ("Bulk", "Uno a uno")]
    bulk, single = (_targets_with_records(plan, unit) for plan in plans)
    result = evaluation_imports.import_targets(
        plans[0], _target_writes(*bulk), by=planner, reason=reason
    )
    bulk_errors = {index: exc.message_dict for index, exc in result.errors.items()}
    single_errors, single_saved = {}, []
    for index, (indicator, values) in enumerate(_target_writes(*single).items()):
        try:
            with transaction.atomic():
                saved = evaluation_services.set_targets(
                    indicator, by=planner, values=values, reason=reason
                )
                single_saved.append(saved)
        except ValidationError as exc:
            single_errors[index] = exc.message_dict
            single_saved.append(None)
    assert bulk_errors == single_errors
    assert sorted(bulk_errors) == ([1, 3, 6, 7, 8] if not reason else [1, 6, 7, 8])
    assert bulk_errors[1] == {
        "period": ["El periodo «2026-T1» está cerrado y no admite cambios de meta."]
    }
    assert [_by_label(saved) for saved in result.saved] == [
        _by_label(saved) for saved in single_saved
    ]
    assert _target_snapshot(plans[0]) == _target_snapshot(plans[1])
    assert [(c["item"], c["old"], c["new"]) for c in result.changes] == [
        ("IND-0 Indicador 0 — 2026-T2", "10", "20"),
        ("IND-2 Indicador 2 — 2026-T2", "10", "15"),
        *([("IND-3 Indicador 3 — 2026-T2", "10", "30")] if reason else []),
        ("IND-4 Indicador 4 — 2026-T3", "10", ""),
        ("IND-5 Indicador 5 — 2026-T4", "", "40"),
    ]


def test_target_changes_run_the_same_queries_for_one_or_three(db, planner, count_queries):
    def prepare(plan, total):
        goal = factories.GoalFactory(objective__plan=plan)
        periods = quarters_2026(plan)
        made = [factories.IndicatorFactory(goal=goal) for _ in range(total)]
        for indicator in made:
            factories.TargetFactory(indicator=indicator, period=periods[0])
        values = {i: {periods[0].pk: Decimal("20"), periods[1].pk: Decimal("5")} for i in made}
        return lambda by: evaluation_imports.import_targets(plan, values, by=by, reason="")

    assert_same_queries_for_one_and_three(planner, count_queries, prepare)
