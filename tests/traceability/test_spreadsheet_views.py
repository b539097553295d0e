"""The spreadsheet pages of a plan: export and template downloads, and the import's
upload → preview → confirm, or its problems and error workbook."""

import io
import os
import time
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning.models import Action, ActionSchedule, Objective
from tests import factories
from tests.builders import quarters_2026
from tests.traceability.test_spreadsheet import action_row, filled, goal_row, objective_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def plan(db):
    return factories.PlanFactory(name="Plan de Acción 2026")


@pytest.fixture(autouse=True)
def _media(media_root, unit):
    return media_root


def upload(file, name="plan.xlsx"):
    return SimpleUploadedFile(name, file.read(), content_type=XLSX)


def good_file(plan):
    rows = [
        {
            **objective_row(**{"Ponderación objetivo": 100}),
            **goal_row(**{"Ponderación meta": 100, "Dependencia de la meta": "SPL"}),
            **action_row("A1", 60),
        },
        action_row("A2", 40),
    ]
    return filled(plan, rows)


def body(response):
    return b"".join(response.streaming_content)


def test_plan_page_shows_export_to_internal_roles_and_import_to_planeacion(
    client, plan, planner, director
):
    client.force_login(director)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("planning:plan-export", args=[plan.pk]) in page
    assert reverse("planning:plan-import", args=[plan.pk]) not in page
    client.force_login(planner)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("planning:plan-import", args=[plan.pk]) in page


@pytest.mark.parametrize("name", ["plan-export", "plan-template"])
def test_downloads_are_workbooks_for_every_internal_role(client, plan, responsible, name):
    quarters_2026(plan)
    factories.ActionFactory(goal__objective__plan=plan, code="A9")
    client.force_login(responsible)
    response = client.get(reverse(f"planning:{name}", args=[plan.pk]))
    assert response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(body(response)))["Plan de Acción"]
    assert sheet["A1"].value == "Código objetivo"
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert codes == ([] if name == "plan-template" else [Action.objects.get().goal.objective.code])


def test_export_runs_the_same_queries_for_one_or_three_actions(
    client, plan, director, count_queries, unit
):
    quarters_2026(plan)
    client.force_login(director)
    goal = factories.GoalFactory(objective__plan=plan, unit=unit)
    counts = []
    for total in (1, 3):
        while Action.objects.count() < total:
            action = factories.ActionFactory(goal=goal, weight=Decimal("10"))
            factories.AllocationFactory(action=action)
            factories.IndicatorFactory(goal=goal)
        with count_queries() as queries:
            body(client.get(reverse("planning:plan-export", args=[plan.pk])))
        counts.append(queries.count)
    assert counts[0] == counts[1]


def test_upload_preview_then_confirm(client, plan, planner):
    quarters_2026(plan)
    client.force_login(planner)
    url = reverse("planning:plan-import", args=[plan.pk])
    response = client.post(url, {"file": upload(good_file(plan))})
    page = response.content.decode()
    assert "Vista previa de «plan.xlsx» (2 filas)" in page
    assert "Actividad A1: crea" in page
    assert Objective.objects.count() == 0  # nothing saved yet
    token = response.context["token"]
    summary = {line["label"]: line["created"] for line in response.context["summary"]}
    assert (summary["Objetivos"], summary["Metas"], summary["Actividades"]) == (1, 1, 2)
    response = client.post(
        reverse("planning:plan-import-confirm", args=[plan.pk]), {"token": token}
    )
    assert response.url == plan.get_absolute_url()
    assert sorted(Action.objects.values_list("code", "weight")) == [
        ("A1", Decimal("60.00")),
        ("A2", Decimal("40.00")),
    ]
    # The token is spent: its file is gone.
    again = client.post(reverse("planning:plan-import-confirm", args=[plan.pk]), {"token": token})
    assert again.url == url


def test_upload_with_problems_shows_them_and_the_error_workbook(client, plan, planner):
    client.force_login(planner)
    rows = [
        {
            **objective_row(**{"Ponderación objetivo": "cien"}),
            **goal_row(**{"Dependencia de la meta": "SPL"}),
            **action_row("A1", 100),
        }
    ]
    response = client.post(
        reverse("planning:plan-import", args=[plan.pk]), {"file": upload(filled(plan, rows))}
    )
    assert response.status_code == 422
    assert response.context["problems"] == [
        {"row": 2, "text": "«Ponderación objetivo»: «cien» no es un número."}
    ]
    assert Objective.objects.count() == 0
    errors = client.get(response.context["errors_url"])
    sheet = openpyxl.load_workbook(io.BytesIO(body(errors)))["Plan de Acción"]
    header = [cell.value for cell in sheet[1]]
    assert (
        sheet.cell(row=2, column=len(header)).value
        == "«Ponderación objetivo»: «cien» no es un número."
    )


def test_upload_refuses_a_file_that_is_not_xlsx(client, plan, planner):
    client.force_login(planner)
    file = SimpleUploadedFile("plan.csv", b"a,b", content_type="text/csv")
    response = client.post(reverse("planning:plan-import", args=[plan.pk]), {"file": file})
    assert response.context["form"].errors == {
        "file": ["El archivo debe ser un libro de Excel (.xlsx)."]
    }


@pytest.mark.parametrize("persona", ["responsible", "director"])
def test_import_pages_refuse_other_roles(client, plan, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse("planning:plan-import", args=[plan.pk]), {"file": upload(good_file(plan))}
    )
    assert response.status_code == 403
    assert Objective.objects.count() == 0


def test_a_token_of_another_user_is_refused(client, plan, planner, admin_user):
    client.force_login(planner)
    response = client.post(
        reverse("planning:plan-import", args=[plan.pk]), {"file": upload(good_file(plan))}
    )
    client.force_login(admin_user)
    confirm = client.post(
        reverse("planning:plan-import-confirm", args=[plan.pk]),
        {"token": response.context["token"]},
    )
    assert confirm.url == reverse("planning:plan-import", args=[plan.pk])
    assert Objective.objects.count() == 0


def test_follow_up_workbook_at_a_period(client, plan, director, unit):
    t1, t2, _t3, _t4 = quarters_2026(plan)
    action = factories.ActionFactory(goal__objective__plan=plan, goal__unit=unit, code="A1")
    ActionSchedule.objects.create(action=action, period=t2, planned=Decimal("40"))
    factories.ProgressReportFactory(
        action=action, period=t2, progress=Decimal("30"), status="approved"
    )
    indicator = factories.IndicatorFactory(goal=action.goal, code="IND-1")
    for period, target, executed in ((t1, "20", "20"), (t2, "30", "10")):
        factories.TargetFactory(indicator=indicator, period=period, value=Decimal(target))
        factories.MeasurementFactory(
            indicator=indicator, period=period, value=Decimal(executed), status="approved"
        )
    allocation = factories.AllocationFactory(
        action=action, rubro="2.3.1", appropriation=Decimal("1000000")
    )
    factories.ExecutionFactory(allocation=allocation, amount=Decimal("400000"))
    factories.ExecutionFactory(allocation=allocation, stage="commitment", amount=Decimal("250000"))
    client.force_login(director)
    response = client.get(reverse("planning:plan-follow-up", args=[plan.pk]) + f"?periodo={t2.pk}")
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    physical, indicators, budget = (list(sheet.values) for sheet in workbook.worksheets)
    assert physical[1][2:] == ("A1", action.name, unit.name, 40, 30, 75)
    # Flujo to T2: (20 + 10) / (20 + 30) = 60 %, amarillo (the entity's red is below 60).
    assert indicators[1] == ("IND-1", indicator.name, 50, 30, 60, "Amarillo")
    assert budget[1][:4] == ("A1", "2.3.1", allocation.source.name, 2026)
    assert budget[1][4:] == (1000000, 0, 1000000, 400000, 250000, 0, 0, 25)


def test_stored_files_of_expired_tokens_are_removed(client, plan, planner, media_root):
    stale = media_root / "imports" / "viejo.xlsx"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    client.force_login(planner)
    client.post(reverse("planning:plan-import", args=[plan.pk]), {"file": upload(good_file(plan))})
    assert not stale.exists()
    assert len(list((media_root / "imports").iterdir())) == 1  # the previewed file
