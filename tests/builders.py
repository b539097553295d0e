"""Bulk builders for query-count tests: large, fully related plans built with bulk_create."""

import datetime
from decimal import Decimal

from evaluation.models import Indicator, IndicatorTarget
from management.models import BudgetAllocation, BudgetExecution, FundingSource, ProgressReport
from mipg.core.models import InstitutionalPlan, ReviewStatus
from planning.models import Action, Goal
from tests.factories import (
    ObjectiveFactory,
    PeriodFactory,
    PlanFactory,
    UnitFactory,
    UserFactory,
    policy,
)


def build_plan(n_actions, *, actions_per_goal=10, periods=2):
    """A plan with ``n_actions`` actions built with bulk_create, with data in every table
    the traceability layer and the roll-ups read: two objectives (one archived goal and
    one archived action among them), policies, Decreto 612 tags, indicators with targets,
    allocations with executions and approved progress reports."""
    plan = PlanFactory(name=f"Plan grande {n_actions}")
    user = UserFactory()
    unit = UnitFactory()
    source = FundingSource.objects.get(code="RP")
    plan_periods = [
        PeriodFactory(
            plan=plan,
            label=f"T{i}",
            start_date=datetime.date(2026, 3 * i - 2, 1),
            end_date=datetime.date(2026, 3 * i, 28),
        )
        for i in range(1, periods + 1)
    ]
    objectives = [
        ObjectiveFactory(plan=plan, code=f"O{i}", weight=Decimal("50"), policies=[policy("P03")])
        for i in (1, 2)
    ]
    n_goals = max(1, -(-n_actions // actions_per_goal))
    goals = Goal.objects.bulk_create(
        Goal(
            objective=objectives[i % 2],
            code=f"M{i}",
            name=f"Meta {i}",
            weight=Decimal("10"),
            unit=unit,
            position=i,
            archived=i == 1,
        )
        for i in range(n_goals)
    )
    actions = Action.objects.bulk_create(
        Action(
            goal=goals[i % n_goals],
            code=f"A{i}",
            name=f"Actividad {i}",
            unit=unit if i % 7 else None,
            start_date=datetime.date(2026, 2, 1),
            end_date=datetime.date(2026, 11, 30),
            weight=Decimal(i % 5),
            position=i,
            archived=i == 2,
        )
        for i in range(n_actions)
    )
    tags = list(InstitutionalPlan.objects.filter(code__in=["PETI", "PAV"]).order_by("code"))
    Action.institutional_plans.through.objects.bulk_create(
        Action.institutional_plans.through(action=a, institutionalplan=tags[i % 2])
        for i, a in enumerate(actions)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"IND-{i}",
            name=f"Indicador {i}",
            goal=goal,
            type=Indicator.Type.EFFICACY,
            level=Indicator.Level.PRODUCT,
            formula="E / P",
            measurement_unit="Número",
            accumulation=Indicator.Accumulation.FLOW,
            polarity=Indicator.Polarity.INCREASING,
            frequency=Indicator.Frequency.QUARTERLY,
            unit=unit,
        )
        for i, goal in enumerate(goals)
    )
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(indicator=indicator, period=plan_periods[0], value=Decimal("5"))
        for indicator in indicators
    )
    allocations = BudgetAllocation.objects.bulk_create(
        BudgetAllocation(
            action=a,
            source=source,
            year=2026,
            rubro=f"R{i}",
            appropriation=Decimal("1000") * (i % 3),
        )
        for i, a in enumerate(actions)
        if i % 4
    )
    BudgetExecution.objects.bulk_create(
        BudgetExecution(
            allocation=allocation,
            stage=stage,
            amount=amount,
            date=datetime.date(2026, 3, 1),
            document_number=f"D{i}-{stage}",
        )
        for i, allocation in enumerate(allocations)
        for stage, amount in [
            ("cdp", Decimal("900")),
            ("commitment", Decimal("800")),
            ("commitment", Decimal("-100")),
            ("payment", Decimal("300")),
        ]
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            action=a,
            period=period,
            progress=Decimal(10 * (i % 10)),
            status=ReviewStatus.APPROVED if i % 3 else ReviewStatus.SUBMITTED,
            created_by=user,
        )
        for i, a in enumerate(actions)
        for period in plan_periods
    )
    return plan
