"""Large Plan de Acción files imported by a Celery task (eager here) with their progress on
an ImportJob: the confirm step queues it, the job's page shows rows read / total and then
the result, or the problems and the error workbook (mipg.traceability.spreadsheet.jobs)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from mipg.core.models import ImportJob
from mipg.traceability.spreadsheet import jobs, reading, uploads
from mipg.traceability.tasks import import_plan_task
from planning.models import Action, Objective
from tests import factories
from tests.builders import quarters_2026
from tests.traceability.test_spreadsheet import action_row, filled, goal_row, objective_row
from tests.traceability.test_spreadsheet_views import body, good_file, upload


@pytest.fixture
def plan(db):
    plan = factories.PlanFactory(name="Plan de Acción 2026")
    quarters_2026(plan)
    return plan


@pytest.fixture(autouse=True)
def _media(media_root, unit):
    return media_root


@pytest.fixture(autouse=True)
def _inline_tasks(settings):
    """The import task runs inline here, also when a broker is configured (CI's
    PostgreSQL run): these tests read the job's steps in this process."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def steps(monkeypatch):
    """Every (status, done, total) the job goes through, read after each write."""
    seen = []
    write = jobs._set

    def spy(job, **fields):
        write(job, **fields)
        job = ImportJob.objects.get(pk=job.pk)
        seen.append((job.status, job.done, job.total))

    monkeypatch.setattr(jobs, "_set", spy)
    monkeypatch.setattr(reading, "PROGRESS_EVERY", 1)
    return seen


def test_a_file_over_the_setting_is_queued_and_shows_progress_then_the_result(
    client, plan, planner, settings, steps, django_capture_on_commit_callbacks
):
    settings.IMPORT_QUEUE_ROWS = 1
    client.force_login(planner)
    preview = client.post(
        reverse("planning:plan-import", args=[plan.pk]), {"file": upload(good_file(plan))}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("planning:plan-import-confirm", args=[plan.pk]),
            {"token": preview.context["token"]},
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("planning:plan-import-job", args=[plan.pk, job.pk])
    assert steps == [
        ("reading", 0, 2),
        ("reading", 1, 2),
        ("reading", 2, 2),
        ("saving", 2, 2),
        ("done", 2, 2),
    ]
    assert sorted(Action.objects.values_list("code", flat=True)) == ["A1", "A2"]
    page = client.get(response.url)
    assert page.context["job"].status == "done"
    summary = {line["label"]: line["created"] for line in page.context["summary"]}
    assert (summary["Objetivos"], summary["Metas"], summary["Actividades"]) == (1, 1, 2)
    assert 'http-equiv="refresh"' not in page.content.decode()  # finished: no refresh
    assert not uploads.default_storage.exists(job.stored_name)


def test_a_file_under_the_setting_is_imported_in_the_request(client, plan, planner, settings):
    settings.IMPORT_QUEUE_ROWS = 2
    client.force_login(planner)
    preview = client.post(
        reverse("planning:plan-import", args=[plan.pk]), {"file": upload(good_file(plan))}
    )
    response = client.post(
        reverse("planning:plan-import-confirm", args=[plan.pk]),
        {"token": preview.context["token"]},
    )
    assert response.url == plan.get_absolute_url()
    assert not ImportJob.objects.exists()
    assert Action.objects.count() == 2


def test_a_running_job_page_refreshes_itself_and_shows_rows_read(client, plan, planner):
    job = ImportJob.objects.create(
        user=planner, plan_id=plan.pk, filename="grande.xlsx", status="reading", done=1500
    )
    job.total = 20000
    job.save()
    client.force_login(planner)
    page = client.get(reverse("planning:plan-import-job", args=[plan.pk, job.pk]))
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "1.500 de 20.000 filas leídas." in html
    assert 'id="actualizar-importacion"' in html  # works without the refresh too
    assert page.context["percent"] == 8


def test_a_job_page_of_another_user_is_not_found(client, plan, planner, admin_user):
    job = ImportJob.objects.create(user=admin_user, plan_id=plan.pk, filename="x.xlsx")
    client.force_login(planner)
    response = client.get(reverse("planning:plan-import-job", args=[plan.pk, job.pk]))
    assert response.status_code == 404
    assert "grande" not in response.content.decode() and response.context.get("job") is None


def test_a_failing_file_saves_nothing_and_the_task_makes_the_error_workbook(
    client, plan, planner, steps
):
    rows = [
        {
            **objective_row(**{"Ponderación objetivo": 100}),
            **goal_row(**{"Ponderación meta": 100, "Dependencia de la meta": "SPL"}),
            **action_row("A1", 60),
        },
        action_row("A2", 60),  # the siblings would sum 120
    ]
    token = uploads.store(filled(plan, rows), plan=plan, user=planner, filename="malo.xlsx")
    data = uploads.load(token, plan=plan, user=planner)
    job = jobs.queue_import(plan, {**data, "rows": 2}, by=planner)
    assert import_plan_task.delay(job.pk).get() == "failed"
    job.refresh_from_db()
    assert steps[-1] == ("failed", 2, 2)
    assert Objective.objects.count() == 0
    assert job.result["problems"] == [
        {
            "row": 3,
            "text": "«Ponderación actividad»: Las demás actividades de la meta ya suman 60 %; "
            "quedan 40 % disponibles y se pidieron 60 %.",
        }
    ]
    client.force_login(planner)
    page = client.get(reverse("planning:plan-import-job", args=[plan.pk, job.pk]))
    assert page.context["problem_count"] == 1
    errors = client.get(page.context["errors_url"])
    sheet = openpyxl.load_workbook(io.BytesIO(body(errors)))["Plan de Acción"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=3, column=len(header)).value == job.result["problems"][0]["text"]


def test_job_page_runs_the_same_queries_for_one_or_three_problems(
    client, plan, planner, count_queries
):
    client.force_login(planner)
    counts = []
    for count in (1, 3):
        problems = [{"row": n, "text": f"Problema {n}"} for n in range(2, count + 2)]
        job = ImportJob.objects.create(
            user=planner,
            plan_id=plan.pk,
            filename="x.xlsx",
            status="failed",
            result={"problems": problems, "problem_count": count},
        )
        url = reverse("planning:plan-import-job", args=[plan.pk, job.pk])
        with count_queries() as queries:
            page = client.get(url)
        assert [p["row"] for p in page.context["problems"]] == list(range(2, count + 2))
        counts.append(queries.count)
    assert counts[0] == counts[1]


def test_a_second_confirm_of_a_queued_file_shows_the_same_job(
    client, plan, planner, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_QUEUE_ROWS = 1
    client.force_login(planner)
    preview = client.post(
        reverse("planning:plan-import", args=[plan.pk]), {"file": upload(good_file(plan))}
    )
    confirm = reverse("planning:plan-import-confirm", args=[plan.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post(confirm, {"token": preview.context["token"]})
        second = client.post(confirm, {"token": preview.context["token"]})
    assert first.url == second.url
    assert len(queued) == 1 and ImportJob.objects.get().status == "queued"
