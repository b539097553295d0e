from decimal import Decimal

import pytest

from mipg.traceability.tasks import integrity_report_task
from tests.factories import ActionFactory, GoalFactory, ObjectiveFactory, PlanFactory


def _plan_with_two_findings():
    # One objective (weight 100) with one goal (weight 100) and one action of weight 60:
    # the action's siblings sum 60 ≠ 100 and it has no budget; no indicators, no periods.
    plan = PlanFactory()
    goal = GoalFactory(objective=ObjectiveFactory(plan=plan))
    ActionFactory(goal=goal, weight=Decimal("60"))
    return plan


EXPECTED = {
    "weights_not_100": 1,
    "action_without_budget": 1,
    "objective_without_indicators": 1,
    "plan_without_periods": 1,
}


@pytest.mark.django_db
def test_integrity_report_task_counts_findings_by_kind():
    plan = _plan_with_two_findings()
    assert integrity_report_task.apply(args=[plan.pk]).get() == EXPECTED


@pytest.mark.celery_worker
# serialized_rollback like every other transactional test: a plain transactional test's
# flush runs post_migrate, which writes content types and permissions again, and the next
# serialized test then collides with them while restoring its reference data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_integrity_report_task_runs_on_a_real_worker(celery_worker_process):
    plan = _plan_with_two_findings()
    result = integrity_report_task.delay(plan.pk)
    assert result.get(timeout=60) == EXPECTED
