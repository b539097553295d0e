"""Budget allocations and execution (management.services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from management import services
from management.models import BudgetAllocation, BudgetExecution, FundingSource
from management.services import record_execution, update_allocation
from tests.builders import BUDGET_CHAIN
from tests.factories import (
    ActionFactory,
    AllocationFactory,
    ExecutionFactory,
    FundingSourceFactory,
)

D = Decimal
date = datetime.date
MARCH_1 = datetime.date(2026, 3, 1)


@pytest.fixture
def source(db):
    return FundingSource.objects.get(code="RP")


@pytest.fixture
def allocation(action, source):
    return AllocationFactory(
        action=action, source=source, rubro="2.3.2.02.001", appropriation=D("1000000")
    )


def record(allocation, by, stage, amount, day=MARCH_1, number="DOC"):
    return services.record_execution(
        allocation, by=by, stage=stage, amount=D(amount), date=day, document_number=number
    )


def seed(allocation, **amounts):
    """Executions straight into the table (no service), e.g. seed(a, cdp=800000)."""
    for stage, amount in amounts.items():
        ExecutionFactory(allocation=allocation, stage=stage, amount=D(amount))


# --- Allocations -------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_allocation_saves_with_history(planner, action, source):
    allocation = services.create_allocation(
        action,
        by=planner,
        source=source,
        year=2026,
        rubro=" 2.3.2.02.001 ",
        appropriation=D("1200000"),
        bpin="2026000000123",
    )

    allocation.refresh_from_db()
    assert (allocation.action_id, allocation.source_id, allocation.year) == (
        action.pk,
        source.pk,
        2026,
    )
    assert (allocation.rubro, allocation.appropriation, allocation.bpin) == (
        "2.3.2.02.001",
        D("1200000"),
        "2026000000123",
    )
    assert allocation.history.get().history_user == planner


@pytest.mark.django_db
def test_create_allocation_duplicate_is_field_error(planner, allocation, source):
    with pytest.raises(ValidationError) as exc:
        services.create_allocation(
            allocation.action,
            by=planner,
            source=source,
            year=2026,
            rubro="2.3.2.02.001",
            appropriation=D("5"),
        )

    assert exc.value.message_dict == {
        "rubro": [
            "Esta actividad ya tiene una asignación del rubro «2.3.2.02.001» con la fuente "
            "«Recursos propios» en la vigencia 2026."
        ]
    }
    assert BudgetAllocation.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"appropriation": D("-1")},
            {"appropriation": ["La apropiación no puede ser negativa."]},
        ),
        (
            {"year": 2027},
            {"year": ["La vigencia debe estar entre 2026 y 2026 (años del plan)."]},
        ),
    ],
)
def test_create_allocation_bad_values_refused(planner, action, source, overrides, errors):
    kwargs = {"source": source, "year": 2026, "rubro": "R1", "appropriation": D("10")}
    kwargs.update(overrides)

    with pytest.raises(ValidationError) as exc:
        services.create_allocation(action, by=planner, **kwargs)

    assert exc.value.message_dict == errors
    assert BudgetAllocation.objects.count() == 0


@pytest.mark.django_db
def test_create_allocation_inactive_source_refused(planner, action):
    old = FundingSourceFactory(code="OLD", name="Fuente vieja", active=False)

    with pytest.raises(ValidationError) as exc:
        services.create_allocation(
            action, by=planner, source=old, year=2026, rubro="R1", appropriation=D("10")
        )

    assert exc.value.message_dict == {"source": ["La fuente «Fuente vieja» está inactiva."]}


@pytest.mark.django_db
def test_create_allocation_archived_action_refused(planner, source, unit):
    action = ActionFactory(goal__unit=unit, archived=True)

    with pytest.raises(ValidationError) as exc:
        services.create_allocation(
            action, by=planner, source=source, year=2026, rubro="R1", appropriation=D("10")
        )

    assert "está archivada" in exc.value.messages[0]
    assert BudgetAllocation.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_create_allocation_without_permission_refused(request, action, source, persona):
    with pytest.raises(PermissionDenied):
        services.create_allocation(
            action,
            by=request.getfixturevalue(persona),
            source=source,
            year=2026,
            rubro="R1",
            appropriation=D("10"),
        )

    assert BudgetAllocation.objects.count() == 0


@pytest.mark.django_db
def test_update_allocation_appropriation_down_to_cdp_accepted(planner, allocation):
    seed(allocation, cdp="800000")

    services.update_allocation(allocation, by=planner, appropriation=D("800000"), bpin=" 123 ")

    allocation.refresh_from_db()
    assert (allocation.appropriation, allocation.bpin) == (D("800000"), "123")
    assert allocation.history.count() == 2


@pytest.mark.django_db
def test_update_allocation_appropriation_below_cdp_refused(planner, allocation):
    seed(allocation, cdp="800000")
    ExecutionFactory(allocation=allocation, stage="cdp", amount=D("-100000"))  # release

    with pytest.raises(ValidationError) as exc:
        services.update_allocation(allocation, by=planner, appropriation=D("500000"))

    assert exc.value.message_dict == {
        "appropriation": [
            "La apropiación ($ 500.000) no puede quedar por debajo del CDP acumulado ($ 700.000)."
        ]
    }
    allocation.refresh_from_db()
    assert allocation.appropriation == D("1000000")
    assert allocation.history.count() == 1


@pytest.mark.django_db
def test_update_allocation_year_with_executions_refused(planner, plan, allocation):
    plan.end_year = 2027
    plan.save()
    seed(allocation, cdp="100")

    with pytest.raises(ValidationError) as exc:
        services.update_allocation(allocation, by=planner, year=2027)

    assert exc.value.message_dict == {
        "year": ["1 registros de ejecución quedarían fuera de la vigencia 2027."]
    }


@pytest.mark.django_db
def test_update_allocation_unknown_field_is_programming_error(planner, allocation):
    with pytest.raises(TypeError):
        services.update_allocation(allocation, by=planner, action=ActionFactory())


@pytest.mark.django_db
def test_delete_allocation_without_executions(planner, allocation):
    services.delete_allocation(allocation, by=planner)

    assert BudgetAllocation.objects.count() == 0
    assert BudgetAllocation.history.first().history_type == "-"


@pytest.mark.django_db
def test_delete_allocation_with_executions_refused(planner, allocation):
    seed(allocation, cdp="100", commitment="100")

    with pytest.raises(ValidationError) as exc:
        services.delete_allocation(allocation, by=planner)

    assert exc.value.messages == [
        f"No se puede eliminar la asignación «{allocation}»: tiene 2 registros de ejecución."
    ]
    assert BudgetExecution.objects.count() == 2


# --- Execution ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_record_execution_full_chain_up_to_appropriation(planner, allocation):
    for stage in ["cdp", "commitment", "obligation", "payment"]:
        record(allocation, planner, stage, "1000000", number=stage.upper())

    entries = BudgetExecution.objects.order_by("pk")
    assert list(entries.values_list("stage", "amount", "document_number")) == [
        ("cdp", D("1000000"), "CDP"),
        ("commitment", D("1000000"), "COMMITMENT"),
        ("obligation", D("1000000"), "OBLIGATION"),
        ("payment", D("1000000"), "PAYMENT"),
    ]
    assert {e.created_by for e in entries} == {planner}
    assert entries.first().history.get().history_user == planner


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("existing", "stage", "amount", "message"),
    [
        (
            {},
            "cdp",
            "1200000",
            "El acumulado de «CDP» ($ 1.200.000) superaría al de «Apropiación definitiva» "
            "($ 1.000.000)",
        ),
        (
            {"cdp": "500000"},
            "commitment",
            "500000.01",
            "El acumulado de «Compromiso / RP» ($ 500.000,01) superaría al de «CDP» ($ 500.000)",
        ),
        (
            {"cdp": "500000", "commitment": "400000"},
            "obligation",
            "450000",
            "El acumulado de «Obligación» ($ 450.000) superaría al de «Compromiso / RP» "
            "($ 400.000)",
        ),
        (
            {"cdp": "500000", "commitment": "400000", "obligation": "300000", "payment": "250000"},
            "payment",
            "60000",
            "El acumulado de «Pago» ($ 310.000) superaría al de «Obligación» ($ 300.000)",
        ),
    ],
)
def test_record_execution_exceeding_previous_stage_refused(
    planner, allocation, existing, stage, amount, message
):
    seed(allocation, **existing)

    with pytest.raises(ValidationError) as exc:
        record(allocation, planner, stage, amount)

    assert exc.value.message_dict == {"amount": [f"{message}; {BUDGET_CHAIN}"]}
    assert BudgetExecution.objects.count() == len(existing)


@pytest.mark.django_db
def test_record_execution_cdp_release_below_commitment_refused(planner, allocation):
    seed(allocation, cdp="800000", commitment="600000")

    with pytest.raises(ValidationError) as exc:
        record(allocation, planner, "cdp", "-300000")

    assert exc.value.message_dict == {
        "amount": [
            "El acumulado de «Compromiso / RP» ($ 600.000) superaría al de «CDP» ($ 500.000); "
            + BUDGET_CHAIN
        ]
    }
    assert BudgetExecution.objects.count() == 2


@pytest.mark.django_db
def test_record_execution_obligation_release_below_payment_refused(planner, allocation):
    seed(allocation, cdp="900000", commitment="900000", obligation="900000", payment="700000")

    with pytest.raises(ValidationError) as exc:
        record(allocation, planner, "obligation", "-250000")

    assert exc.value.message_dict == {
        "amount": [
            "El acumulado de «Pago» ($ 700.000) superaría al de «Obligación» ($ 650.000); "
            + BUDGET_CHAIN
        ]
    }


@pytest.mark.django_db
def test_record_execution_release_within_margin_accepted(planner, allocation):
    seed(allocation, cdp="800000", commitment="600000")

    record(allocation, planner, "cdp", "-200000")

    totals = {
        stage: sum(
            BudgetExecution.objects.filter(stage=stage).values_list("amount", flat=True), D(0)
        )
        for stage in ["cdp", "commitment"]
    }
    assert totals == {"cdp": D("600000"), "commitment": D("600000")}


@pytest.mark.django_db
def test_record_execution_release_beyond_recorded_refused(planner, allocation):
    seed(allocation, cdp="500000", commitment="500000", obligation="500000", payment="100000")

    with pytest.raises(ValidationError) as exc:
        record(allocation, planner, "payment", "-150000")

    assert exc.value.message_dict == {
        "amount": [
            "El acumulado de «Pago» quedaría en -$ 50.000; una liberación no puede superar lo "
            "registrado."
        ]
    }


@pytest.mark.django_db
def test_record_execution_zero_amount_refused(planner, allocation):
    with pytest.raises(ValidationError) as exc:
        record(allocation, planner, "cdp", "0")

    assert exc.value.message_dict == {
        "amount": [
            "El valor no puede ser cero; use un valor negativo para registrar una liberación."
        ]
    }
    assert BudgetExecution.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(2025, 12, 31), date(2027, 1, 1)])
def test_record_execution_date_outside_allocation_year_refused(planner, allocation, day):
    with pytest.raises(ValidationError) as exc:
        record(allocation, planner, "cdp", "100", day=day)

    assert exc.value.message_dict == {"date": ["La fecha debe estar dentro de la vigencia 2026."]}
    assert BudgetExecution.objects.count() == 0


@pytest.mark.django_db
def test_record_execution_unknown_stage_and_blank_document_refused(planner, allocation):
    with pytest.raises(ValidationError) as exc:
        services.record_execution(
            allocation,
            by=planner,
            stage="anticipo",
            amount=D("100"),
            date=date(2026, 3, 1),
            document_number="  ",
        )

    assert set(exc.value.message_dict) == {"stage", "document_number"}
    assert BudgetExecution.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_record_execution_without_permission_refused(request, allocation, persona):
    with pytest.raises(PermissionDenied):
        record(allocation, request.getfixturevalue(persona), "cdp", "100")

    assert BudgetExecution.objects.count() == 0


@pytest.mark.django_db
def test_delete_execution_keeping_chain_accepted(planner, allocation):
    seed(allocation, cdp="800000", commitment="300000")
    release = ExecutionFactory(allocation=allocation, stage="cdp", amount=D("-100000"))

    services.delete_execution(release, by=planner)

    assert list(BudgetExecution.objects.values_list("amount", flat=True).order_by("pk")) == [
        D("800000"),
        D("300000"),
    ]
    assert BudgetExecution.history.first().history_type == "-"


@pytest.mark.django_db
def test_delete_execution_breaking_chain_refused(planner, allocation):
    cdp = ExecutionFactory(
        allocation=allocation, stage="cdp", amount=D("800000"), document_number="CDP-7"
    )
    seed(allocation, commitment="300000")

    with pytest.raises(ValidationError) as exc:
        services.delete_execution(cdp, by=planner)

    assert exc.value.messages == [
        "No se puede eliminar el registro «CDP-7». El acumulado de «Compromiso / RP» "
        "($ 300.000) superaría al de «CDP» ($ 0); " + BUDGET_CHAIN
    ]
    assert BudgetExecution.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["responsible", "auditor"])
def test_delete_execution_without_permission_refused(request, allocation, persona):
    entry = ExecutionFactory(allocation=allocation)

    with pytest.raises(PermissionDenied):
        services.delete_execution(entry, by=request.getfixturevalue(persona))

    assert BudgetExecution.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("1200000"), "$ 1.200.000"),
        (D("1500.5"), "$ 1.500,50"),
        (D("0"), "$ 0"),
        (D("-50000"), "-$ 50.000"),
        (D("999"), "$ 999"),
        (D("1234567890.99"), "$ 1.234.567.890,99"),
    ],
)
def test_money_format_is_colombian(value, text):
    assert services._money(value) == text


@pytest.mark.django_db
def test_record_execution_locks_allocation_row(planner, count_queries, allocation):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks; its IMMEDIATE transactions serialise writers")

    with count_queries() as q:
        record(allocation, planner, "cdp", "100")

    # The plan first (a closed plan refuses budget writes), then the allocation: the same
    # order as every other write under a plan, so two writers cannot deadlock.
    locked = [query["sql"] for query in q.captured_queries if "FOR UPDATE" in query["sql"]]
    assert len(locked) == 2
    assert 'FROM "planning_strategicplan"' in locked[0]
    assert 'FROM "management_budgetallocation"' in locked[1]


def test_update_allocation_year_zero_is_a_field_error_not_a_crash(planner):

    allocation = AllocationFactory()
    record_execution(
        allocation,
        by=planner,
        stage="cdp",
        amount=Decimal("10"),
        date=datetime.date(2026, 3, 1),
        document_number="CDP-1",
    )
    with pytest.raises(ValidationError) as excinfo:
        update_allocation(allocation, by=planner, year=0)
    assert "year" in excinfo.value.message_dict
