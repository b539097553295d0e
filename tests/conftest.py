"""Shared fixtures: personas per role (in the style of healthchecks' hc/test.py), API clients,
the API scenario and a query-count helper that prints the SQL when the count is wrong."""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from mipg.celery import app
from mipg.core import roles
from tests.builders import Scenario, open_plan, quarters_2026
from tests.factories import UnitFactory, UserFactory

# Under pytest-xdist (`make test`, CI) each test process has its own test database and its
# own Celery queue, so that one process's worker never runs another's tasks against the
# wrong database. Alone, the suite uses Celery's default queue.
CELERY_QUEUE = f"pytest-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
app.conf.task_default_queue = CELERY_QUEUE


@pytest.fixture(autouse=True)
def _restore_language():
    """LocaleMiddleware leaves the last request's language active in this thread; without
    this, a test that asks for English would turn the next tests' messages English."""
    previous = translation.get_language()
    yield
    translation.activate(previous)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The portal's page cache (and API throttling) must not carry one test's pages into
    the next: the database is rolled back, the cache is not."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories hash a password per user; the default hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files (evidence) go to a temporary folder of the test."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def unit(db):
    return UnitFactory(code="SPL", name="Secretaría de Planeación")


@pytest.fixture
def other_unit(db):
    return UnitFactory(code="SGO", name="Secretaría de Gobierno")


@pytest.fixture
def quarters(plan):
    """The four quarters of 2026 of the `plan` fixture of the module or directory."""
    return quarters_2026(plan)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def planner(db):
    return UserFactory(username="planeacion", roles=[roles.PLANEACION])


@pytest.fixture
def responsible(db, unit):
    """A Responsable of `unit` (first line of defence)."""
    return UserFactory(username="responsable", roles=[roles.RESPONSABLE], member_of=[unit])


@pytest.fixture
def outsider(db, other_unit):
    """A Responsable of another unit."""
    return UserFactory(username="otro", roles=[roles.RESPONSABLE], member_of=[other_unit])


@pytest.fixture
def director(db):
    return UserFactory(username="directivo", roles=[roles.DIRECTIVO])


@pytest.fixture
def auditor(db):
    return UserFactory(username="control", roles=[roles.CONTROL_INTERNO])


@pytest.fixture
def data(unit):
    """An approved plan with a period open today, an action and an indicator of `unit`
    (tests.builders.open_plan) for the reporting-workflow tests."""
    return open_plan(unit)


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    """Anonymous throttling is tested on its own (tests/api/test_errors.py); elsewhere it would make
    the suite depend on the order of the tests."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None},
    }


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def client_for(db):
    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def scenario(unit):
    return Scenario(unit)


class _QueryCounter:
    def __call__(self, expected=None):
        return _Counting(expected)


class _Counting(CaptureQueriesContext):
    def __init__(self, expected):
        super().__init__(connection)
        self.expected = expected

    @property
    def count(self):
        return len(self.captured_queries)

    def __exit__(self, exc_type, exc, tb):
        super().__exit__(exc_type, exc, tb)
        if exc_type is None and self.expected is not None and self.count != self.expected:
            sql = "\n".join(
                f"{i}. {q['sql']}" for i, q in enumerate(self.captured_queries, start=1)
            )
            pytest.fail(f"Expected {self.expected} queries, ran {self.count}:\n{sql}")


@pytest.fixture
def count_queries(db):
    """`with count_queries() as q: ...; q.count` or `with count_queries(3): ...`."""
    return _QueryCounter()


@pytest.fixture(scope="session")
def celery_worker_env(django_db_setup, django_db_blocker):
    """The environment of a real Celery worker process: the configured broker (Redis in CI)
    and the test database, so tests using it need `transactional_db` (data committed,
    visible to another process). Skips in inline mode (no broker, SQLite); fails instead
    when REQUIRE_CELERY_WORKER is set, so CI never skips it silently."""

    required = os.environ.get("REQUIRE_CELERY_WORKER") == "1"
    db = settings.DATABASES["default"]
    reason = None
    if not settings.CELERY_BROKER_URL:
        reason = "no CELERY_BROKER_URL: Celery runs inline"
    elif db["ENGINE"] != "django.db.backends.postgresql":
        reason = "a worker process needs a shared database (PostgreSQL)"
    if reason:
        if required:
            pytest.fail(f"REQUIRE_CELERY_WORKER is set but {reason}")
        pytest.skip(reason)

    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return {**os.environ, "DATABASE_URL": f"postgres://{auth}@{host}/{name}"}


@pytest.fixture(scope="session")
def celery_worker_process(celery_worker_env):
    """A real Celery worker process consuming this test process's queue (CELERY_QUEUE) from
    the configured broker (see celery_worker_env)."""
    env = celery_worker_env
    celery = [sys.executable, "-m", "celery", "-A", "mipg"]
    name = f"pytest-{os.getpid()}@{socket.gethostname()}"
    subprocess.run(
        [*celery, "purge", "-f", "-Q", CELERY_QUEUE], env=env, check=True, capture_output=True
    )
    worker = subprocess.Popen(
        [
            *celery,
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            CELERY_QUEUE,
            "-n",
            name,
        ],
        env=env,
    )

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"Celery worker exited with code {worker.returncode}")
        replies = app.control.ping(destination=[name], timeout=1)
        if replies:
            break
    else:
        worker.terminate()
        pytest.fail("Celery worker did not answer a ping within 60 s")
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
