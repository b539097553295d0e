"""manage.py export_plan and import_plan."""

import pytest
from django.core.management import CommandError, call_command

from planning.models import Action
from tests import factories
from tests.builders import quarters_2026


@pytest.fixture
def plan(db):
    return factories.PlanFactory(name="Plan de Acción 2026")


def test_export_then_import_into_another_plan(tmp_path, plan, planner, unit, capsys):
    quarters_2026(plan)
    factories.ActionFactory(goal__objective__plan=plan, goal__unit=unit, code="A1", name="Talleres")
    path = tmp_path / "plan.xlsx"
    call_command("export_plan", str(path), plan=plan.pk)
    other = factories.PlanFactory(name="Copia")
    quarters_2026(other)
    call_command("import_plan", str(path), plan=other.pk, user=planner.username, dry_run=True)
    assert not Action.objects.filter(goal__objective__plan=other).exists()
    call_command("import_plan", str(path), plan=other.pk, user=planner.username)
    assert list(Action.objects.filter(goal__objective__plan=other).values_list("code", "name")) == [
        ("A1", "Talleres")
    ]
    out = capsys.readouterr().out
    assert "action: 1 creados, 0 actualizados, 0 sin cambios" in out
    assert "1 filas: importado." in out


def test_import_with_problems_fails_and_writes_the_error_workbook(tmp_path, plan, planner, unit):
    factories.ActionFactory(
        goal__objective__plan=plan, goal__unit=unit, code="A1", start_date="2026-02-01"
    )
    path = tmp_path / "plan.xlsx"
    call_command("export_plan", str(path), plan=plan.pk)
    closed = factories.PlanFactory(name="Otro", start_year=2027, end_year=2027)
    with pytest.raises(CommandError, match="No se guardó nada: 2 problemas."):
        call_command(
            "import_plan",
            str(path),
            plan=closed.pk,
            user=planner.username,
            errors=str(tmp_path / "errores.xlsx"),
        )
    assert (tmp_path / "errores.xlsx").exists()
    assert not Action.objects.filter(goal__objective__plan=closed).exists()


def test_import_refuses_a_user_who_may_not_import(tmp_path, plan, responsible):
    path = tmp_path / "plan.xlsx"
    call_command("export_plan", str(path), plan=plan.pk)
    with pytest.raises(CommandError, match="Solo Planeación y Administrador importan planes."):
        call_command("import_plan", str(path), plan=plan.pk, user=responsible.username)
