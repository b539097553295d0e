"""A closed plan refuses every budget write (MIPG.md §5)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from management import services
from management.models import BudgetAllocation, BudgetExecution, BudgetModification
from planning.models import StrategicPlan
from tests import factories
from tests.builders import closed_plan_message

pytestmark = pytest.mark.django_db

D = Decimal
CLOSED = closed_plan_message("Plan X")


@pytest.fixture
def allocation(unit):
    allocation = factories.AllocationFactory(
        action__goal__objective__plan__name="Plan X", action__goal__unit=unit
    )
    factories.ExecutionFactory(allocation=allocation, amount=D("100000"))
    factories.ModificationFactory(allocation=allocation)
    StrategicPlan.objects.update(status=StrategicPlan.Status.CLOSED)
    return allocation


WRITES = {
    "create_allocation": lambda a, by: services.create_allocation(
        a.action, by=by, source=a.source, year=2026, rubro="R9", appropriation=D("10")
    ),
    "update_allocation": lambda a, by: services.update_allocation(
        a, by=by, appropriation=D("2000000")
    ),
    "delete_allocation": lambda a, by: services.delete_allocation(a, by=by),
    "record_execution": lambda a, by: services.record_execution(
        a,
        by=by,
        stage="cdp",
        amount=D("5"),
        date=datetime.date(2026, 5, 1),
        document_number="CDP-9",
    ),
    "delete_execution": lambda a, by: services.delete_execution(a.executions.get(), by=by),
    "record_modification": lambda a, by: services.record_modification(
        a,
        by=by,
        kind="addition",
        amount=D("5"),
        date=datetime.date(2026, 5, 1),
        act_number="Decreto 9",
        reason="Balance",
    ),
    "delete_modification": lambda a, by: services.delete_modification(
        a.budget_modifications.get(), by=by
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_closed_plan_refuses_budget_write(planner, allocation, write):
    with pytest.raises(ValidationError) as exc:
        WRITES[write](allocation, planner)

    assert exc.value.messages == [CLOSED]
    assert list(BudgetAllocation.objects.values_list("appropriation", flat=True)) == [D("1000000")]
    assert BudgetExecution.objects.count() == 1
    assert BudgetModification.objects.count() == 1


def test_approved_plan_accepts_budget_write(planner, allocation):
    StrategicPlan.objects.update(status=StrategicPlan.Status.APPROVED)

    WRITES["record_execution"](allocation, planner)

    assert BudgetExecution.objects.count() == 2


def test_budget_pages_show_the_closed_plan_refusal(client, planner, allocation):
    client.force_login(planner)
    execution = allocation.executions.get()

    response = client.post(reverse("management:execution-delete", args=[execution.pk]))

    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert BudgetExecution.objects.count() == 1
