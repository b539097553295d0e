"""The history page: who changed what and when, with the change reason; and the history
rows the imports copy in the database (create_with_history, copy_history) and their
bulk updates (update_rows)."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from evaluation import services as evaluation_services
from mipg.core.history import copy_history, create_with_history, update_rows
from planning import services
from planning.models import Action, Objective
from tests import factories

pytestmark = pytest.mark.django_db


def history(obj):
    return reverse("history", args=[f"{obj._meta.app_label}.{obj._meta.model_name}", obj.pk])


def changes(entry):
    return {change.label: (change.old_text, change.new_text) for change in entry.changes}


def test_history_shows_who_changed_what_field_by_field(client, planner, auditor):
    plan = factories.PlanFactory()
    objective = services.create_objective(
        plan,
        by=planner,
        code="O1",
        name="Antes",
        weight=D("50"),
        policies=[factories.policy("P03")],
    )
    services.update_objective(
        objective, by=planner, name="Después", weight=D("60"), policies=[factories.policy("P13")]
    )
    client.force_login(auditor)
    response = client.get(history(objective))
    entries = response.context["entries"]
    # simple-history keeps one record per save and one per many-to-many change.
    diffs = [changes(entry) for entry in entries]
    assert [entry.kind_label for entry in entries] == ["Modificación"] * 4 + ["Creación"]
    assert all(entry.record.history_user == planner for entry in entries)
    assert diffs[0] == {
        "Políticas MIPG": ("—", "P13 Seguimiento y Evaluación del Desempeño Institucional")
    }
    assert diffs[1] == {"Políticas MIPG": ("P03 Planeación Institucional", "—")}
    assert diffs[2] == {"Nombre": ("Antes", "Después"), "Ponderación": ("50,00", "60,00")}
    assert diffs[4]["Código"] == ("—", "O1")
    assert diffs[4]["Plan"] == ("—", str(plan))
    body = response.content.decode()
    assert "<del>Antes</del>" in body and "<ins>Después</ins>" in body
    assert str(planner) in body


def test_history_names_related_objects(client, planner):
    first, second = factories.UnitFactory(name="Oficina A"), factories.UnitFactory(name="Oficina B")
    goal = factories.GoalFactory(unit=first)
    services.update_goal(goal, by=planner, unit=second)
    client.force_login(planner)
    [update, _creation] = client.get(history(goal)).context["entries"]
    assert changes(update)["Dependencia responsable"] == ("Oficina A", "Oficina B")


def test_history_shows_the_change_reason(client, planner):
    indicator = factories.IndicatorFactory(baseline_value=D("10"))
    evaluation_services.update_indicator(
        indicator, by=planner, baseline_value=D("12"), reason="Corrección del DANE"
    )
    client.force_login(planner)
    body = client.get(history(indicator)).content.decode()
    assert "Motivo:" in body and "Corrección del DANE" in body


def test_history_of_deleted_item_is_still_available(client, planner):
    goal = factories.GoalFactory(code="M7")
    pk = goal.pk
    services.delete_goal(goal, by=planner)
    client.force_login(planner)
    response = client.get(reverse("history", args=["planning.goal", pk]))
    assert response.context["entries"][0].kind_label == "Eliminación"
    assert "Este elemento fue eliminado" in response.content.decode()


def test_history_is_paginated_and_diffs_across_pages(client, planner):
    plan = factories.PlanFactory()
    objective = services.create_objective(plan, by=planner, code="O1", name="v0", weight=D(0))
    for version in range(1, 31):
        services.update_objective(objective, by=planner, name=f"v{version}")
    client.force_login(planner)
    first = client.get(history(objective)).context
    assert len(first["entries"]) == 25
    assert changes(first["entries"][-1])["Nombre"] == ("v5", "v6")  # its previous is on page 2
    second = client.get(history(objective), {"page": 2}).context
    assert [e.kind_label for e in second["entries"]][-1] == "Creación"
    assert changes(second["entries"][0])["Nombre"] == ("v4", "v5")


def test_history_query_count_is_constant(client, planner, count_queries):
    """The count depends on which related models the shown changes name (here: the plan and
    the policies), never on the number of records."""
    plan = factories.PlanFactory()
    few_changes = services.create_objective(plan, by=planner, code="O1", name="a", weight=D(0))
    many_changes = services.create_objective(plan, by=planner, code="O2", name="a", weight=D(0))
    services.update_objective(few_changes, by=planner, policies=[factories.policy("P03")])
    for version in range(40):
        services.update_objective(
            many_changes,
            by=planner,
            name=f"v{version}",
            policies=[factories.policy("P03" if version % 2 else "P13")],
        )
    client.force_login(planner)
    pages = client.get(history(many_changes)).context["page"].paginator.num_pages
    with count_queries() as few:
        few_entries = client.get(history(few_changes)).context["entries"]
    with count_queries() as many:
        last_page = client.get(history(many_changes), {"page": pages}).context
    assert len(few_entries) < last_page["page"].paginator.count
    assert last_page["entries"][-1].kind_label == "Creación"
    assert few.count == many.count


def test_history_needs_the_view_permission(client, unit):
    client.force_login(factories.UserFactory())  # no role
    assert client.get(reverse("history", args=["mipg.unit", unit.pk])).status_code == 403


def test_history_of_unknown_things_is_404(client, planner, unit):
    client.force_login(planner)
    assert client.get(reverse("history", args=["mipg.unit", 999])).status_code == 404
    assert client.get(reverse("history", args=["mipg.policy", 1])).status_code == 404  # no history
    assert client.get(reverse("history", args=["nada.nada", 1])).status_code == 404


def test_history_needs_login(client, unit):
    response = client.get(reverse("history", args=["mipg.unit", unit.pk]))
    assert response["Location"].startswith(reverse("login"))


def _history_rows(objects):
    """The history rows of ``objects`` as simple_history reads them back, without what
    differs between two writes (ids, dates) or between the objects (code, name)."""
    skipped = {"id", "history_id", "history_date", "code", "name"}
    model = type(objects[0])
    rows = model.history.filter(id__in=[o.pk for o in objects]).order_by("id", "history_id")
    return [
        {f.attname: getattr(row, f.attname) for f in row._meta.fields if f.attname not in skipped}
        for row in rows
    ]


def test_create_with_history_writes_the_rows_of_simple_history(planner):
    plan = factories.PlanFactory()
    reason = "Importación de plan.xlsx"

    def build(weight):
        return factories.ObjectiveFactory.build(plan=plan, weight=weight, position=1)

    copied = create_with_history(
        [build(D("10")), build(D("20"))], Objective, by=planner, reason=reason
    )
    built = bulk_create_with_history(
        [build(D("10")), build(D("20"))],
        Objective,
        default_user=planner,
        default_change_reason=reason,
    )
    assert _history_rows(copied) == _history_rows(built)
    assert [r["history_type"] for r in _history_rows(copied)] == ["+", "+"]
    assert {r["history_user_id"] for r in _history_rows(copied)} == {planner.pk}
    assert {r["history_change_reason"] for r in _history_rows(copied)} == {reason}


def test_copy_history_copies_the_row_as_it_is_now(planner):
    objective = factories.ObjectiveFactory(weight=D("10"))
    Objective.objects.filter(pk=objective.pk).update(weight=D("30"))
    written = copy_history(Objective, [objective.pk], by=planner, reason="r", kind="~")
    record = Objective.history.model.objects.get(id=objective.pk, history_type="~")
    assert written == {objective.pk: record.history_id}
    assert (record.history_type, record.weight, record.history_user_id) == (
        "~",
        D("30"),
        planner.pk,
    )
    assert record.history_change_reason == "r"


def _action_values(actions):
    fields = ("name", "unit_id", "responsible_id", "start_date", "weight", "quantity_target")
    return [tuple(getattr(a, name) for name in fields) for a in actions]


@pytest.mark.parametrize(
    "name", ['coma, "comillas" {llaves} \\ NULL', "", "ñandú — 100 %"], ids=["raro", "vacío", "ñ"]
)
def test_update_rows_saves_what_bulk_update_saves(planner, name):
    """update_rows (one UPDATE … FROM unnest on PostgreSQL) and bulk_update leave the same
    rows: text with array-literal characters, None, dates, decimals and foreign keys."""
    goal = factories.GoalFactory()
    made = [factories.ActionFactory(goal=goal, responsible=planner) for _ in range(6)]
    names = ["name", "unit", "responsible_id", "start_date", "weight"]
    names += ["quantity_target", "quantity_unit"]
    results, statements = [], []
    for actions, write in (
        (made[:3], lambda objs: update_rows(objs, Action, names)),
        (made[3:], lambda objs: Action.objects.bulk_update(objs, names)),
    ):
        for number, action in enumerate(actions):
            action.name = f"{name}{number}"
            action.unit = None if number == 1 else goal.unit
            action.responsible_id = None if number == 2 else planner.pk
            action.start_date = datetime.date(2026, 3, number + 1)
            action.weight = D("12.34") * number
            action.quantity_target = None if number else D("4")
            action.quantity_unit = "" if number else "talleres"
        with CaptureQueriesContext(connection) as queries:
            write(actions)
        statements.append([query["sql"] for query in queries.captured_queries])
        results.append(
            _action_values(Action.objects.filter(pk__in=[a.pk for a in actions]).order_by("pk"))
        )
    assert results[0] == results[1]
    assert results[0][0][0] == f"{name}0"
    if connection.vendor == "postgresql":  # the fast path, not bulk_update's CASE
        assert len(statements[0]) == 1 and "unnest(" in statements[0][0]
