"""mipg.core.queueing.enqueue with the broker down: the request answers in a few seconds,
the user's write is kept and the page shows a warning; /healthz reports the broker down."""

import time

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.db import transaction
from django.test import RequestFactory, override_settings

from mipg.celery import app
from mipg.core.models import Unit
from mipg.core.queueing import QUEUE_DOWN_MESSAGE, enqueue
from mipg.traceability.tasks import integrity_report_task
from planning.models import StrategicPlan

# Nothing listens on port 1 of the loopback: every connection is refused.
CLOSED = "redis://127.0.0.1:1/0"


def _forget_celery_connections():
    """Celery keeps its connection pool and result store per process; drop them so that
    the next task is sent with the settings in force."""
    app._after_fork()
    app._backend_cache = None
    vars(app._local).pop("backend", None)


@pytest.fixture
def broker_down():
    with override_settings(
        CELERY_BROKER_URL=CLOSED, CELERY_RESULT_BACKEND=CLOSED, CELERY_TASK_ALWAYS_EAGER=False
    ):
        _forget_celery_connections()
        yield
    _forget_celery_connections()


def _page_request():
    request = RequestFactory().post("/planeacion/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.django_db
def test_enqueue_with_the_broker_down_keeps_the_write_and_warns_within_5_seconds(
    broker_down, django_capture_on_commit_callbacks
):
    request = _page_request()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        unit = Unit.objects.create(code="QDN", name="Dependencia de la cola caída")
        enqueue(integrity_report_task, unit.pk, request=request)
    elapsed = time.monotonic() - started

    assert len(callbacks) == 1
    assert elapsed < 5
    assert Unit.objects.filter(code="QDN").values_list("name", flat=True).get() == (
        "Dependencia de la cola caída"
    )
    assert [str(m) for m in get_messages(request)] == [str(QUEUE_DOWN_MESSAGE)]


@pytest.mark.django_db
def test_enqueue_with_the_broker_down_outside_a_page_only_logs(
    broker_down, caplog, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(integrity_report_task, 42)
    assert time.monotonic() - started < 5
    logged = [
        (r.levelname, r.getMessage()) for r in caplog.records if r.name == "mipg.core.queueing"
    ]
    assert len(logged) == 1
    assert logged[0][0] == "ERROR"
    assert logged[0][1].startswith("Could not queue mipg.integrity_report_task(42,): ")


@pytest.mark.django_db
def test_healthz_reports_the_broker_down_that_enqueue_ran_into(
    broker_down, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(integrity_report_task, 42)
    body = client.get("/healthz").json()
    assert (body["broker"].startswith("error"), body["status"]) == (True, "error")


@pytest.mark.django_db
def test_enqueue_runs_the_task_inline_without_a_broker(
    settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    request = _page_request()
    unit = Unit.objects.create(code="QOK", name="Dependencia")
    # No plan with this id: the inline task raises, which proves it ran and that only
    # queue outages are turned into a message.
    with (
        pytest.raises(StrategicPlan.DoesNotExist),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue(integrity_report_task, unit.pk + 10_000, request=request)
    assert list(get_messages(request)) == []
