"""The staff pages of reports: create (queued, generated inline here), the status page
that refreshes itself while the job runs, failure and retry, publish and withdraw with
confirmation, the broker down, and query counts at two sizes."""

import time

import pytest
from django.urls import reverse

from accountability.models import AccountabilityReport
from accountability.services import create_report, generate_report, publish_report
from mipg.core.queueing import QUEUE_DOWN_MESSAGE
from tests.builders import dashboard_example, messages_of
from tests.core.test_queueing import broker_down  # noqa: F401 (fixture)

Status = AccountabilityReport.Status


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


@pytest.fixture(autouse=True)
def _inline_tasks(settings):
    """The pages' tasks run inline here, also when a broker is configured (the real
    worker is tested in test_generation.py)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _post_new(client, example, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("accountability:report-create"),
            {
                "plan": example["plan"].pk,
                "kind": "accountability",
                "title": "Rendición 2026-I",
                "first_period": example["t1"].pk,
                "last_period": example["t2"].pk,
            },
        )


def test_planeacion_creates_a_report_and_sees_it_generated(
    client, planner, example, django_capture_on_commit_callbacks
):
    client.force_login(planner)
    response = _post_new(client, example, django_capture_on_commit_callbacks)
    report = AccountabilityReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.status == Status.READY
    assert [p.label for p in report.periods.order_by("start_date")] == ["T1", "T2"]
    page = client.get(report.get_absolute_url()).content.decode()
    assert "<strong>Listo</strong>" in page
    assert 'http-equiv="refresh"' not in page
    assert "informe.html" in page and report.sha256 in page
    html = client.get(reverse("accountability:report-file", args=[report.pk, "informe.html"]))
    assert "Al corte, el plan lleva un avance de 44,00 %" in b"".join(html).decode()


def test_create_refuses_a_period_of_another_plan_beside_the_field(client, planner, example):
    other = dashboard_example()
    client.force_login(planner)
    response = client.post(
        reverse("accountability:report-create"),
        {
            "plan": example["plan"].pk,
            "kind": "management",
            "title": "Informe de gestión",
            "first_period": example["t1"].pk,
            "last_period": other["t2"].pk,
        },
    )
    assert response.context["form"].errors == {
        "last_period": ["Elija un periodo del plan elegido."]
    }
    assert AccountabilityReport.objects.count() == 0


def test_a_running_report_refreshes_itself_and_offers_a_refresh_link(client, planner, example):
    report = create_report(
        plan=example["plan"], periods=[example["t1"]], kind="accountability", title="T1", by=planner
    )
    AccountabilityReport.objects.filter(pk=report.pk).update(
        status=Status.GENERATING, steps_done=2, steps_total=5
    )
    client.force_login(planner)
    page = client.get(report.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Generando el informe: 2 de 5 pasos hechos." in page
    assert f'<a href="{report.get_absolute_url()}">Actualizar ahora</a>' in page
    assert "<script>" not in page


def test_a_failed_report_shows_its_error_and_a_retry_that_generates_it(
    client, planner, example, django_capture_on_commit_callbacks
):
    report = create_report(
        plan=example["plan"], periods=[example["t1"]], kind="accountability", title="T1", by=planner
    )
    AccountabilityReport.objects.filter(pk=report.pk).update(
        status=Status.FAILED, error="RuntimeError: sin memoria"
    )
    client.force_login(planner)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "RuntimeError: sin memoria" in page
    assert "Reintentar" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accountability:report-retry", args=[report.pk]))
    report.refresh_from_db()
    assert (report.status, report.error) == (Status.READY, "")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_the_report_is_kept_queued_with_a_message(
    client,
    planner,
    media_root,
    broker_down,  # noqa: F811
):
    # Committed data: the queueing runs after the request's real commit, as in production.
    example = dashboard_example()
    client.force_login(planner)
    started = time.monotonic()
    response = client.post(
        reverse("accountability:report-create"),
        {
            "plan": example["plan"].pk,
            "kind": "accountability",
            "title": "Rendición 2026-I",
            "first_period": example["t1"].pk,
            "last_period": example["t2"].pk,
        },
    )
    assert time.monotonic() - started < 5
    report = AccountabilityReport.objects.get()
    assert report.status == Status.QUEUED
    assert messages_of(client.get(response.url)) == [str(QUEUE_DOWN_MESSAGE)]


def test_publish_and_withdraw_through_their_confirmations(client, planner, example):
    report = create_report(
        plan=example["plan"], periods=[example["t1"]], kind="accountability", title="T1", by=planner
    )
    generate_report(report.pk)
    client.force_login(planner)
    url = reverse("accountability:report-publish", args=[report.pk])
    assert "Una vez publicado, el contenido" in client.get(url).content.decode()
    client.post(url)
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED
    withdraw = reverse("accountability:report-withdraw", args=[report.pk])
    response = client.post(withdraw, {"reason": ""})
    assert response.context["form"].errors == {"reason": ["Este campo es requerido."]}
    client.post(withdraw, {"reason": "Error en la fuente de T1"})
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Motivo: Error en la fuente de T1" in page
    assert "informe.html" in page


def test_only_planeacion_or_administrador_publish(client, director, planner, example):
    report = create_report(
        plan=example["plan"], periods=[example["t1"]], kind="accountability", title="T1", by=planner
    )
    generate_report(report.pk)
    client.force_login(director)
    response = client.post(reverse("accountability:report-publish", args=[report.pk]))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Status.READY


def _reports(example, planner, n):
    for i in range(n):
        report = create_report(
            plan=example["plan"],
            periods=[example["t1"], example["t2"]],
            kind="accountability",
            title=f"Informe {i}",
            by=planner,
        )
        publish_report(generate_report(report.pk), by=planner)
    return report


@pytest.mark.parametrize("size", [1, 3])
def test_report_pages_queries_do_not_grow(client, planner, example, count_queries, size):
    report = _reports(example, planner, size)
    client.force_login(planner)
    client.get(reverse("accountability:report-list"))  # warm the session and caches
    with count_queries() as listing:
        response = client.get(reverse("accountability:report-list"))
    assert len(response.context["page"].object_list) == size
    with count_queries() as detail:
        client.get(report.get_absolute_url())
    # The same for 1 and 3 reports: the list is one page query (plan joined, cut-off and
    # file count annotated) plus its count; the detail prefetches periods and files.
    assert (listing.count, detail.count) == (LIST_QUERIES, DETAIL_QUERIES)


LIST_QUERIES = 7
DETAIL_QUERIES = 8
