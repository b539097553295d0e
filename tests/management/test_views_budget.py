"""Budget of an action: totals by stage, allocation and execution forms, the cumulative
invariant shown beside the amount, confirmations and permissions per role."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from management.models import BudgetAllocation, BudgetExecution, FundingSource
from tests.factories import ActionFactory, AllocationFactory, ExecutionFactory
from tests.pages import assert_edit_pages_open, assert_edit_pages_refused, body

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(unit):
    return ActionFactory(code="A-7", name="Dotar las sedes", goal__unit=unit)


@pytest.fixture
def allocation(action):
    return AllocationFactory(action=action, rubro="2.3.2.02", appropriation=Decimal("1000000"))


def budget_url(action):
    return reverse("management:action-budget", args=[action.pk])


def test_action_budget_shows_totals_by_stage_running_totals_and_anchors(
    client, planner, allocation
):
    ExecutionFactory(allocation=allocation, stage="cdp", amount=Decimal("600000"))
    ExecutionFactory(allocation=allocation, stage="commitment", amount=Decimal("500000"))
    ExecutionFactory(
        allocation=allocation,
        stage="commitment",
        amount=Decimal("-100000"),
        document_number="LIB-1",
        date=datetime.date(2026, 4, 1),
    )
    ExecutionFactory(allocation=allocation, stage="payment", amount=Decimal("250000"))
    client.force_login(planner)

    page = body(client.get(budget_url(allocation.action)))

    assert f'id="asignacion-{allocation.pk}"' in page
    assert "$ 1.000.000" in page  # apropiación
    assert "$ 600.000" in page  # CDP
    assert "$ 400.000" in page  # compromiso after the release (500 000 − 100 000)
    assert "$ 250.000" in page  # pago
    assert "40,00 %" in page  # compromiso ÷ apropiación
    assert "LIB-1" in page and "(liberación)" in page


def test_action_budget_of_an_action_without_allocations_says_so(client, auditor, action):
    client.force_login(auditor)
    page = body(client.get(budget_url(action)))
    assert "aún no tiene asignaciones" in page
    assert "Nueva asignación" not in page  # read-only for Control Interno


def post_new_allocation(client, user, action, form):
    """POST `form` to the new-allocation page of `action` as `user`."""
    client.force_login(user)
    return client.post(reverse("management:allocation-create", args=[action.pk]), form)


def test_allocation_create_saves_and_redirects_to_its_anchor(client, planner, action):
    source = FundingSource.objects.get(code="SGP")
    response = post_new_allocation(
        client,
        planner,
        action,
        {
            "source": source.pk,
            "year": "2026",
            "rubro": "2.3.1",
            "bpin": "",
            "appropriation": "1.200.000,50",
        },
    )
    allocation = BudgetAllocation.objects.get(action=action)
    assert response["Location"] == f"{budget_url(action)}#asignacion-{allocation.pk}"
    assert allocation.appropriation == Decimal("1200000.50")
    assert allocation.source == source


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        # bad input: Spanish field errors
        (
            {"source": "", "year": "2026", "rubro": "", "appropriation": "mucho"},
            ["Este campo es requerido.", "Ingrese un número."],
        ),
        # outside the plan's years: the service's error, beside the year
        (
            {"source": "RP", "year": "2030", "rubro": "2.3.1", "appropriation": "1000"},
            ['id="error_1_id_year"', "La vigencia debe estar entre 2026 y 2026"],
        ),
    ],
    ids=["bad_input_shows_spanish_errors", "outside_plan_years_shows_service_error_beside_year"],
)
def test_allocation_create_refused_shows_errors_and_saves_nothing(
    client, planner, action, form, errors
):
    if form["source"]:
        form = form | {"source": FundingSource.objects.get(code=form["source"]).pk}
    page = body(post_new_allocation(client, planner, action, form))
    for error in errors:
        assert error in page
    assert not BudgetAllocation.objects.exists()


def test_allocation_edit_below_cdp_shows_money_error_and_keeps_the_value(
    client, planner, allocation
):
    ExecutionFactory(allocation=allocation, stage="cdp", amount=Decimal("600000"))
    client.force_login(planner)
    url = reverse("management:allocation-edit", args=[allocation.pk])
    assert 'value="1.000.000"' in body(client.get(url))

    response = client.post(
        url,
        {
            "source": allocation.source_id,
            "year": "2026",
            "rubro": allocation.rubro,
            "appropriation": "500000",
        },
    )
    page = body(response)
    assert 'id="error_1_id_appropriation"' in page
    assert "no puede quedar por debajo del CDP acumulado ($ 600.000)" in page
    allocation.refresh_from_db()
    assert allocation.appropriation == Decimal("1000000")


def test_allocation_edit_saves_through_the_service(client, planner, allocation):
    client.force_login(planner)
    client.post(
        reverse("management:allocation-edit", args=[allocation.pk]),
        {
            "source": allocation.source_id,
            "year": "2026",
            "rubro": "2.9.9",
            "bpin": "2026000123",
            "appropriation": "2000000",
        },
    )
    allocation.refresh_from_db()
    assert (allocation.rubro, allocation.bpin) == ("2.9.9", "2026000123")
    assert allocation.appropriation == Decimal("2000000")
    assert allocation.history.first().history_user == planner


def test_allocation_delete_asks_for_confirmation_then_deletes(client, planner, allocation):
    client.force_login(planner)
    url = reverse("management:allocation-delete", args=[allocation.pk])
    page = body(client.get(url))
    assert "¿Eliminar la asignación" in page
    assert BudgetAllocation.objects.filter(pk=allocation.pk).exists()

    response = client.post(url)
    assert response["Location"] == budget_url(allocation.action)
    assert not BudgetAllocation.objects.filter(pk=allocation.pk).exists()


def test_allocation_delete_with_executions_is_refused_with_a_message(client, planner, allocation):
    ExecutionFactory(allocation=allocation)
    client.force_login(planner)
    page = body(client.post(reverse("management:allocation-delete", args=[allocation.pk])))
    assert "tiene 1 registros de ejecución" in page
    assert BudgetAllocation.objects.filter(pk=allocation.pk).exists()


def execution_data(**overrides):
    return {
        "stage": "cdp",
        "amount": "300000",
        "date": "2026-03-15",
        "document_number": "CDP-15",
        "description": "Compra de equipos",
        **overrides,
    }


def test_execution_create_records_the_entry(client, planner, allocation):
    client.force_login(planner)
    response = client.post(
        reverse("management:execution-create", args=[allocation.pk]), execution_data()
    )
    entry = BudgetExecution.objects.get(allocation=allocation)
    assert response["Location"] == f"{budget_url(allocation.action)}#asignacion-{allocation.pk}"
    assert (entry.stage, entry.amount, entry.created_by) == ("cdp", Decimal("300000"), planner)


def test_execution_breaking_the_invariant_shows_the_error_beside_the_amount(
    client, planner, allocation
):
    ExecutionFactory(allocation=allocation, stage="cdp", amount=Decimal("300000"))
    client.force_login(planner)
    response = client.post(
        reverse("management:execution-create", args=[allocation.pk]),
        execution_data(stage="commitment", amount="450.000"),
    )
    page = body(response)
    assert 'id="error_1_id_amount"' in page
    assert "El acumulado de «Compromiso / RP» ($ 450.000) superaría al de «CDP» ($ 300.000)" in page
    assert BudgetExecution.objects.filter(allocation=allocation).count() == 1


def test_execution_with_bad_input_shows_spanish_errors_and_saves_nothing(
    client, planner, allocation
):
    client.force_login(planner)
    page = body(
        client.post(
            reverse("management:execution-create", args=[allocation.pk]),
            execution_data(stage="otra", amount="", date="31/02/2026", document_number=""),
        )
    )
    assert "Escoja una opción válida." in page
    assert "Ingrese una fecha válida." in page
    assert page.count("Este campo es requerido.") == 2
    assert not BudgetExecution.objects.exists()


def test_execution_outside_the_year_shows_the_error_beside_the_date(client, planner, allocation):
    client.force_login(planner)
    page = body(
        client.post(
            reverse("management:execution-create", args=[allocation.pk]),
            execution_data(date="2025-12-31"),
        )
    )
    assert 'id="error_1_id_date"' in page
    assert "La fecha debe estar dentro de la vigencia 2026." in page
    assert not BudgetExecution.objects.exists()


def test_execution_delete_confirms_and_refuses_breaking_the_invariant(client, planner, allocation):
    cdp = ExecutionFactory(allocation=allocation, stage="cdp", amount=Decimal("300000"))
    commitment = ExecutionFactory(
        allocation=allocation, stage="commitment", amount=Decimal("200000")
    )
    client.force_login(planner)
    url = reverse("management:execution-delete", args=[cdp.pk])
    assert "¿Eliminar el registro" in body(client.get(url))

    page = body(client.post(url))
    assert "No se puede eliminar el registro" in page
    assert BudgetExecution.objects.filter(pk=cdp.pk).exists()

    response = client.post(reverse("management:execution-delete", args=[commitment.pk]))
    assert response["Location"].endswith(f"#asignacion-{allocation.pk}")
    assert list(BudgetExecution.objects.all()) == [cdp]


@pytest.fixture
def edit_pages(action, allocation):
    entry = ExecutionFactory(allocation=allocation)
    return [
        (reverse("management:allocation-create", args=[action.pk]), {"rubro": "X"}),
        (reverse("management:allocation-edit", args=[allocation.pk]), {"rubro": "X"}),
        (reverse("management:allocation-delete", args=[allocation.pk]), {}),
        (reverse("management:execution-create", args=[allocation.pk]), execution_data()),
        (reverse("management:execution-delete", args=[entry.pk]), {}),
    ]


def budget_snapshot():
    return (
        list(BudgetAllocation.objects.values_list("pk", "rubro", "appropriation")),
        list(BudgetExecution.objects.values_list("pk", "amount")),
    )


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_budget_edit_pages_are_forbidden_to_non_planners(client, edit_pages, persona, request):
    assert_edit_pages_refused(client, request.getfixturevalue(persona), edit_pages, budget_snapshot)


@pytest.mark.parametrize("persona", ["planner", "admin_user"])
def test_budget_edit_pages_open_for_planning_and_admin(client, edit_pages, persona, request):
    assert_edit_pages_open(client, request.getfixturevalue(persona), edit_pages)


@pytest.mark.parametrize("persona", ["responsible", "outsider", "director", "auditor"])
def test_action_budget_is_readable_by_every_internal_role(client, allocation, persona, request):
    client.force_login(request.getfixturevalue(persona))
    page = body(client.get(budget_url(allocation.action)))
    assert allocation.rubro in page
    assert "Registrar ejecución" not in page


def test_action_budget_sends_anonymous_users_to_login(client, action):
    response = client.get(budget_url(action))
    assert response["Location"].startswith("/cuenta/login/")


def test_allocation_create_for_an_archived_action_shows_the_service_message(
    client, planner, action
):
    action.archived = True
    action.save()
    client.force_login(planner)
    page = body(
        client.post(
            reverse("management:allocation-create", args=[action.pk]),
            {
                "source": FundingSource.objects.get(code="RP").pk,
                "year": "2026",
                "rubro": "2.3.1",
                "appropriation": "1000",
            },
        )
    )
    assert "está archivada; no admite nuevas asignaciones" in page
    assert not BudgetAllocation.objects.exists()
