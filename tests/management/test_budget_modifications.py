"""Budget modifications (adición, reducción, crédito, contracrédito) and the apropiación
definitiva, and reservas presupuestales / cuentas por pagar (MIPG.md §4, financial
progress). Expected values are computed by hand in the comments."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from management import services
from management.models import BudgetExecution, BudgetModification, FundingSource
from management.selectors.budget import (
    action_budget_lines,
    allocation_rows,
    allocation_totals,
    plan_financial_progress,
)
from tests.builders import BUDGET_CHAIN
from tests.factories import (
    AllocationFactory,
    ModificationFactory,
)
from tests.pages import body

D = Decimal
date = datetime.date
MAY_4 = datetime.date(2026, 5, 4)
JUNE_1 = datetime.date(2026, 6, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocation(action):
    return AllocationFactory(
        action=action,
        source=FundingSource.objects.get(code="RP"),
        rubro="2.3.2.02.001",
        appropriation=D("1000000"),
    )


def modify(allocation, by, kind, amount, day=MAY_4, act="Decreto 045 de 2026"):
    return services.record_modification(
        allocation,
        by=by,
        kind=kind,
        amount=D(amount),
        date=day,
        act_number=act,
        reason="Recursos del balance",
    )


def execute(allocation, by, stage, amount, day=JUNE_1, number="DOC"):
    return services.record_execution(
        allocation, by=by, stage=stage, amount=D(amount), date=day, document_number=number
    )


def with_every_kind(allocation, planner):
    """Inicial 1 000 000 + adición 300 000 − reducción 100 000 + crédito 50 000 −
    contracrédito 150 000 = definitiva 1 100 000; CDP 550 000, compromiso 440 000,
    obligación 220 000, pago 110 000."""
    modify(allocation, planner, "addition", "300000")
    modify(allocation, planner, "reduction", "100000")
    modify(allocation, planner, "credit", "50000")
    modify(allocation, planner, "counter_credit", "150000")
    execute(allocation, planner, "cdp", "550000")
    execute(allocation, planner, "commitment", "440000")
    execute(allocation, planner, "obligation", "220000")
    execute(allocation, planner, "payment", "110000")


# --- Apropiación definitiva and percentages ---------------------------------------------


def test_definitive_appropriation_adds_and_subtracts_each_kind(planner, allocation):
    with_every_kind(allocation, planner)

    totals = allocation_totals(allocation)

    assert totals.initial == totals.appropriation == D("1000000")
    assert totals.modifications == D("100000")  # 300 − 100 + 50 − 150 thousand
    assert totals.definitive == D("1100000")
    assert totals.available == D("550000")  # 1 100 000 − 550 000
    # Percentages of the definitiva, not of the inicial (which would read 55/44/22/11).
    assert (totals.cdp_pct, totals.commitment_pct, totals.obligation_pct, totals.payment_pct) == (
        50,
        40,
        20,
        10,
    )


def test_action_budget_lines_list_and_rollup_use_the_definitive(planner, action, allocation):
    with_every_kind(allocation, planner)
    # A second allocation of the action without modifications: 900 000, CDP 0.
    AllocationFactory(action=action, rubro="R2", appropriation=D("900000"))

    lines, total = action_budget_lines(action)
    row = allocation_rows().get(pk=allocation.pk)
    node = plan_financial_progress(action.goal.objective.plan).actions[action.pk]

    assert lines[0].definitive == D("1100000")
    assert (total.appropriation, total.modifications, total.definitive) == (
        D("1900000"),
        D("100000"),
        D("2000000"),
    )
    assert total.commitment_pct == 22  # 440 000 ÷ 2 000 000
    assert (row.modifications, row.definitive, row.available) == (
        D("100000"),
        D("1100000"),
        D("550000"),
    )
    assert (node.appropriation, node.definitive, node.payment_pct) == (
        D("1900000"),
        D("2000000"),
        D("5.5"),  # 110 000 ÷ 2 000 000
    )


def test_modification_history_and_trace(planner, allocation):
    modification = modify(allocation, planner, "addition", "1000")

    assert modification.history.get().history_user == planner
    assert modification.created_by == planner
    assert str(modification) == "Adición Decreto 045 de 2026"
    assert BudgetModification.trace_route.roles["action"] == ("allocation__action",)
    assert BudgetModification.trace_route.roles["allocation"] == ("allocation",)


# --- Invariants ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["reduction", "counter_credit"])
def test_decrease_below_cdp_refused(planner, allocation, kind):
    execute(allocation, planner, "cdp", "800000")

    with pytest.raises(ValidationError) as exc:
        modify(allocation, planner, kind, "200000.01")  # definitiva 799 999,99 < CDP

    assert exc.value.message_dict == {
        "amount": [
            "El acumulado de «CDP» ($ 800.000) superaría al de «Apropiación definitiva» "
            f"($ 799.999,99); {BUDGET_CHAIN}"
        ]
    }
    assert not BudgetModification.objects.exists()
    modify(allocation, planner, kind, "200000")  # definitiva 800 000 = CDP: allowed
    assert allocation_totals(allocation).available == 0


def test_cdp_up_to_the_definitive_only(planner, allocation):
    modify(allocation, planner, "addition", "500000")

    execute(allocation, planner, "cdp", "1500000")  # = definitiva 1 500 000
    with pytest.raises(ValidationError) as exc:
        execute(allocation, planner, "cdp", "1")

    assert BUDGET_CHAIN in exc.value.message_dict["amount"][0]


def test_deleting_a_modification_rechecks_the_chain(planner, allocation):
    addition = modify(allocation, planner, "addition", "500000")
    cdp = execute(allocation, planner, "cdp", "1200000")

    with pytest.raises(ValidationError) as exc:
        services.delete_modification(addition, by=planner)  # definitiva 1 000 000 < CDP

    assert exc.value.messages == [
        "No se puede eliminar la modificación «Adición Decreto 045 de 2026». El acumulado "
        "de «CDP» ($ 1.200.000) superaría al de «Apropiación definitiva» ($ 1.000.000); "
        + BUDGET_CHAIN
    ]
    assert BudgetModification.objects.filter(pk=addition.pk).exists()
    services.delete_execution(cdp, by=planner)
    services.delete_modification(addition, by=planner)
    assert not BudgetModification.objects.exists()
    assert BudgetModification.history.first().history_type == "-"


def test_lowering_the_initial_appropriation_counts_the_modifications(planner, allocation):
    modify(allocation, planner, "addition", "500000")
    execute(allocation, planner, "cdp", "1400000")

    with pytest.raises(ValidationError) as exc:
        services.update_allocation(allocation, by=planner, appropriation=D("800000"))

    assert exc.value.message_dict == {
        "appropriation": [
            "La apropiación definitiva ($ 1.300.000 = inicial $ 800.000 más modificaciones "
            "$ 500.000) no puede quedar por debajo del CDP acumulado ($ 1.400.000)."
        ]
    }
    services.update_allocation(allocation, by=planner, appropriation=D("900000"))
    assert allocation_totals(allocation).definitive == D("1400000")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"amount": D("0")},
            {
                "amount": [
                    "El valor debe ser mayor que cero; el tipo de modificación indica si suma "
                    "o resta."
                ]
            },
        ),
        (
            {"date": date(2027, 1, 2)},
            {"date": ["La fecha debe estar dentro de la vigencia 2026."]},
        ),
        ({"act_number": "  "}, {"act_number": ["Este campo no puede estar en blanco."]}),
        ({"reason": ""}, {"reason": ["Este campo no puede estar en blanco."]}),
        ({"kind": "gift"}, {"kind": ["Valor 'gift' no es una opción válida."]}),
    ],
)
def test_bad_modification_refused_with_field_errors(planner, allocation, fields, errors):
    values = {
        "kind": "addition",
        "amount": D("1000"),
        "date": date(2026, 5, 4),
        "act_number": "Decreto 1",
        "reason": "Motivo",
        **fields,
    }

    with pytest.raises(ValidationError) as exc:
        services.record_modification(allocation, by=planner, **values)

    assert exc.value.message_dict == errors
    assert not BudgetModification.objects.exists()


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_only_planeacion_records_and_deletes_modifications(request, allocation, persona):
    user = request.getfixturevalue(persona)
    existing = ModificationFactory(allocation=allocation)

    with pytest.raises(PermissionDenied):
        modify(allocation, user, "addition", "1000")
    with pytest.raises(PermissionDenied):
        services.delete_modification(existing, by=user)

    assert list(BudgetModification.objects.all()) == [existing]


def test_allocation_with_modifications_cannot_be_deleted(planner, allocation):
    ModificationFactory(allocation=allocation)

    with pytest.raises(ValidationError) as exc:
        services.delete_allocation(allocation, by=planner)

    assert exc.value.messages == [
        f"No se puede eliminar la asignación «{allocation}»: tiene 1 modificaciones presupuestales."
    ]


# --- Reservas presupuestales and cuentas por pagar ----------------------------------------


def test_obligation_and_payment_of_year_n_recorded_in_n_plus_1(planner, allocation):
    execute(allocation, planner, "cdp", "600000", day=date(2026, 10, 1))
    execute(allocation, planner, "commitment", "600000", day=date(2026, 11, 1))
    execute(allocation, planner, "obligation", "200000", day=date(2026, 12, 10))
    # At 31 Dec 2026: reserva 400 000 (committed, not obligated), cuenta por pagar 200 000.
    reserve = execute(allocation, planner, "obligation", "400000", day=date(2027, 2, 1))
    payment = execute(allocation, planner, "payment", "600000", day=date(2027, 3, 1))

    totals = allocation_totals(allocation)
    assert (totals.obligation, totals.payment, totals.payment_pct) == (
        D("600000"),
        D("600000"),
        60,
    )
    assert reserve.carry_over_label == "reserva presupuestal"
    assert payment.carry_over_label == "reserva o cuenta por pagar"
    assert BudgetExecution.objects.get(stage="cdp").carry_over_label == ""
    # The year's financial progress keeps them with the 2026 allocation.
    node = plan_financial_progress(allocation.action.goal.objective.plan, year=2026).plan
    assert node.payment == D("600000")


@pytest.mark.parametrize("stage", ["cdp", "commitment"])
def test_cdp_and_commitment_stay_within_the_vigencia(planner, allocation, stage):
    if stage == "commitment":
        execute(allocation, planner, "cdp", "1000")

    with pytest.raises(ValidationError) as exc:
        execute(allocation, planner, stage, "100", day=date(2027, 1, 15))

    assert exc.value.message_dict == {"date": ["La fecha debe estar dentro de la vigencia 2026."]}


@pytest.mark.parametrize("day", [date(2025, 12, 31), date(2028, 1, 3)])
def test_obligation_outside_vigencia_and_next_year_refused(planner, allocation, day):
    execute(allocation, planner, "cdp", "1000")
    execute(allocation, planner, "commitment", "1000")

    with pytest.raises(ValidationError) as exc:
        execute(allocation, planner, "obligation", "100", day=day)

    assert exc.value.message_dict == {
        "date": [
            "La fecha debe estar dentro de la vigencia 2026 o, para reservas presupuestales "
            "y cuentas por pagar, en 2027."
        ]
    }


def test_editing_an_allocation_keeps_its_reservas(planner, allocation):
    execute(allocation, planner, "cdp", "1000")
    execute(allocation, planner, "commitment", "1000")
    execute(allocation, planner, "obligation", "1000", day=date(2027, 1, 20))

    services.update_allocation(allocation, by=planner, rubro="2.3.2.02.009")

    allocation.refresh_from_db()
    assert allocation.rubro == "2.3.2.02.009"


# --- Pages --------------------------------------------------------------------------------


def budget_url(allocation):
    return reverse("management:action-budget", args=[allocation.action_id])


def test_action_budget_page_shows_modifications_definitive_and_reservas(
    client, planner, allocation
):
    with_every_kind(allocation, planner)
    execute(allocation, planner, "obligation", "100000", day=date(2027, 1, 20), number="OB-27")
    client.force_login(planner)

    page = body(client.get(budget_url(allocation)))

    assert "$ 1.100.000" in page  # apropiación definitiva
    assert "$ 100.000" in page  # modificaciones (neto)
    assert "40,00 %" in page  # compromiso 440 000 ÷ definitiva 1 100 000
    assert "Decreto 045 de 2026" in page and "Recursos del balance" in page
    assert "$ -150.000" in page  # the contracrédito subtracts
    assert "reserva presupuestal" in page
    assert reverse("management:modification-create", args=[allocation.pk]) in page


def test_modification_form_records_and_shows_errors_beside_the_field(client, planner, allocation):
    client.force_login(planner)
    url = reverse("management:modification-create", args=[allocation.pk])
    execute(allocation, planner, "cdp", "900000")
    form = {
        "kind": "reduction",
        "amount": "200.000",
        "date": "2026-05-04",
        "act_number": "Decreto 7",
        "reason": "Recorte",
    }

    refused = body(client.post(url, form))
    assert "superaría al de «Apropiación definitiva» ($ 800.000)" in refused
    assert not BudgetModification.objects.exists()

    response = client.post(url, {**form, "amount": "100.000"})
    assert response.url == budget_url(allocation) + f"#asignacion-{allocation.pk}"
    modification = BudgetModification.objects.get()
    assert (modification.kind, modification.amount, modification.created_by) == (
        "reduction",
        D("100000"),
        planner,
    )


def test_modification_delete_asks_for_confirmation(client, planner, allocation):
    modification = ModificationFactory(allocation=allocation, act_number="Acuerdo 3")
    client.force_login(planner)
    url = reverse("management:modification-delete", args=[modification.pk])

    page = body(client.get(url))
    assert "¿Eliminar la modificación «Adición Acuerdo 3» por $ 200.000" in page
    assert BudgetModification.objects.exists()

    client.post(url)
    assert not BudgetModification.objects.exists()


def test_modification_pages_refused_to_responsible(client, responsible, allocation):
    modification = ModificationFactory(allocation=allocation)
    client.force_login(responsible)

    create = client.get(reverse("management:modification-create", args=[allocation.pk]))
    delete = client.post(reverse("management:modification-delete", args=[modification.pk]))

    assert (create.status_code, delete.status_code) == (403, 403)
    assert BudgetModification.objects.count() == 1


def test_budget_export_has_modifications_and_definitive(client, planner, allocation):
    with_every_kind(allocation, planner)
    client.force_login(planner)

    response = client.get(reverse("management:allocation-export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))[:2]
    values = dict(zip(header, row, strict=True))

    assert D(values["Apropiación inicial"]) == D("1000000")
    assert D(values["Modificaciones"]) == D("100000")
    assert D(values["Apropiación definitiva"]) == D("1100000")
    assert D(values["Saldo disponible"]) == D("550000")  # 1 100 000 − 550 000
    assert D(values["Compromiso (%)"]) == 40  # 440 000 ÷ 1 100 000


# --- API ----------------------------------------------------------------------------------


def test_api_records_modifications_and_shows_the_definitive(client_for, planner, allocation):
    client = client_for(planner)
    url = "/api/v1/budget-modifications/"
    execute(allocation, planner, "cdp", "1000000")
    payload = {
        "allocation": allocation.pk,
        "kind": "counter_credit",
        "amount": "1.00",
        "date": "2026-05-04",
        "act_number": "Resolución 12",
        "reason": "Traslado a otro rubro",
    }

    refused = client.post(url, payload)
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["amount"]
    created = client.post(url, {**payload, "kind": "addition", "amount": "250000.00"})
    assert created.status_code == 201
    assert created.json()["act_number"] == "Resolución 12"

    shown = client.get(f"/api/v1/budget-allocations/{allocation.pk}/").json()
    assert (shown["appropriation"], shown["modifications"], shown["definitive"]) == (
        "1000000.00",
        "250000.00",
        "1250000.00",
    )
    listed = client.get(url, {"allocation": allocation.pk}).json()
    assert [m["kind"] for m in listed["results"]] == ["addition"]
    execute(allocation, planner, "cdp", "100000")  # CDP 1 100 000 > inicial 1 000 000
    blocked = client.delete(f"{url}{created.json()['id']}/")
    assert blocked.status_code == 400
    assert BudgetModification.objects.filter(pk=created.json()["id"]).exists()
