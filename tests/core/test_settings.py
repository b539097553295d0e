import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mipg.core import env

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_reads_true_false_and_default(monkeypatch):
    monkeypatch.setenv("MIPG_FLAG", "Yes")
    assert env.env_bool("MIPG_FLAG") is True
    monkeypatch.setenv("MIPG_FLAG", "off")
    assert env.env_bool("MIPG_FLAG", True) is False
    monkeypatch.setenv("MIPG_FLAG", "")
    assert env.env_bool("MIPG_FLAG", True) is True


def test_env_bool_rejects_junk_with_variable_name(monkeypatch):
    monkeypatch.setenv("MIPG_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="MIPG_FLAG='maybe'"):
        env.env_bool("MIPG_FLAG")


def test_env_int_rejects_junk_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("MIPG_N", "12x")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env.env_int("MIPG_N", 1)
    monkeypatch.setenv("MIPG_N", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int("MIPG_N", 1, minimum=0)
    monkeypatch.setenv("MIPG_N", "7")
    assert env.env_int("MIPG_N", 1, minimum=0) == 7


def test_env_list_and_url(monkeypatch):
    monkeypatch.setenv("MIPG_HOSTS", " a.gov.co, ,b.gov.co ")
    assert env.env_list("MIPG_HOSTS") == ["a.gov.co", "b.gov.co"]
    monkeypatch.setenv("MIPG_DB", "mysql://x")
    with pytest.raises(ImproperlyConfigured, match="schemes"):
        env.env_url("MIPG_DB", schemes={"postgres"})


DEFAULTS_SHOWN = (
    "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
    " settings.LANGUAGE_CODE, settings.TIME_ZONE"
)
UNSET = {"DATABASE_URL", "DEBUG", "DB_CONN_MAX_AGE", "CELERY_QUEUE_TIMEOUT", "CELERY_QUEUE_RETRIES"}


def _settings_in_subprocess(shown=DEFAULTS_SHOWN, **overrides):
    """Load the settings in a fresh interpreter with `overrides` in the environment and
    print the `shown` expression (comma-separated settings)."""
    environment = {k: v for k, v in os.environ.items() if k not in UNSET}
    environment.update(overrides)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({shown})",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_defaults_to_sqlite_inline_celery_and_colombian_locale():
    result = _settings_in_subprocess(CELERY_BROKER_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "es-co",
        "America/Bogota",
    ]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "sometimes", "DEBUG='sometimes' is not a boolean"),
        ("DATABASE_URL", "mysql://db/x", "DATABASE_URL='mysql://db/x' must be a URL"),
        ("DB_CONN_MAX_AGE", "forever", "DB_CONN_MAX_AGE='forever' is not an integer"),
        ("DB_CONN_MAX_AGE", "-5", "DB_CONN_MAX_AGE=-5 must be at least 0"),
        ("CELERY_QUEUE_TIMEOUT", "0", "CELERY_QUEUE_TIMEOUT=0 must be at least 1"),
        ("CELERY_QUEUE_RETRIES", "many", "CELERY_QUEUE_RETRIES='many' is not an integer"),
        ("SECRET_KEY", "short", "SECRET_KEY must be at least 32 characters"),
    ],
)
def test_settings_reject_junk_values_with_a_clear_error(variable, value, message):
    result = _settings_in_subprocess(**{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_settings_require_secret_key_for_public_hosts():
    result = _settings_in_subprocess(ALLOWED_HOSTS="mipg.example.gov.co", SECRET_KEY="")
    assert "SECRET_KEY must be set" in result.stderr


CONNECTIONS_SHOWN = (
    "settings.DATABASES['default']['CONN_MAX_AGE'],"
    " settings.DATABASES['default']['CONN_HEALTH_CHECKS']"
)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, ["60", "True"]),
        ({"DEBUG": "true"}, ["0", "True"]),
        ({"DB_CONN_MAX_AGE": "300"}, ["300", "True"]),
        ({"DEBUG": "true", "DB_CONN_MAX_AGE": "15"}, ["15", "True"]),
        ({"DB_CONN_MAX_AGE": "0"}, ["0", "True"]),
    ],
)
def test_settings_reuse_database_connections_in_production_and_check_them(environment, expected):
    result = _settings_in_subprocess(CONNECTIONS_SHOWN, **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected


QUEUE_SHOWN = (
    "settings.CELERY_BROKER_CONNECTION_TIMEOUT,"
    " settings.CELERY_REDIS_SOCKET_CONNECT_TIMEOUT,"
    " settings.CELERY_BROKER_TRANSPORT_OPTIONS['socket_connect_timeout'],"
    " settings.CELERY_BROKER_TRANSPORT_OPTIONS['max_retries'],"
    " settings.CELERY_TASK_PUBLISH_RETRY_POLICY['max_retries'],"
    " settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS['retry_policy']['max_retries']"
)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, ["2", "2", "2", "1", "1", "1"]),
        (
            {"CELERY_QUEUE_TIMEOUT": "5", "CELERY_QUEUE_RETRIES": "0"},
            ["5", "5", "5", "0", "0", "0"],
        ),
    ],
)
def test_settings_bound_the_time_spent_queueing_a_task(environment, expected):
    result = _settings_in_subprocess(QUEUE_SHOWN, **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected
