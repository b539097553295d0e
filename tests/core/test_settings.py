import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

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


DEFAULTS = (
    "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
    " settings.LANGUAGE_CODE, settings.TIME_ZONE)"
)


UNSET = {"DATABASE_URL", "DEBUG", "DB_CONN_MAX_AGE", "CELERY_QUEUE_TIMEOUT", "CELERY_QUEUE_RETRIES"}


def _settings_in_subprocess(printing=DEFAULTS, **overrides):
    """Load the settings in a fresh interpreter with `overrides` in the environment and run
    `printing` (a statement that prints settings)."""
    environment = {k: v for k, v in os.environ.items() if k not in UNSET}
    environment.update(overrides)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {printing}",
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


# --- Secrets -------------------------------------------------------------------------------

STRONG_KEY = get_random_secret_key()


def _env_example():
    """The variables of .env.example, the documented production configuration."""
    lines = (ROOT / ".env.example").read_text("utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return dict(pairs)


def test_env_example_secret_key_is_the_refused_placeholder():
    assert _env_example()["SECRET_KEY"] == env.PLACEHOLDER_SECRET_KEY


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (env.PLACEHOLDER_SECRET_KEY, "SECRET_KEY is a placeholder"),
        ("django-insecure-" + STRONG_KEY, "SECRET_KEY is a placeholder"),
        (STRONG_KEY[:49], "at least 50 characters long with at least 5 different"),
        ("abcd" * 13, "at least 50 characters long with at least 5 different"),
        ("x" * 31, "at least 32 characters"),
    ],
    ids=["placeholder", "django-insecure", "49-characters", "4-distinct", "31-characters"],
)
def test_check_secret_key_refuses_weak_keys_when_debug_is_off(key, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        env.check_secret_key(key, debug=False)


def test_check_secret_key_accepts_a_strong_key_and_weak_ones_only_in_debug():
    assert env.check_secret_key(STRONG_KEY, debug=False) is None
    assert env.check_secret_key("abcde" * 10, debug=False) is None  # 50 long, 5 distinct
    assert env.check_secret_key(env.PLACEHOLDER_SECRET_KEY, debug=True) is None
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        env.check_secret_key("x" * 31, debug=True)


def test_settings_refuse_the_placeholder_key_at_start_up_when_debug_is_off():
    refused = _settings_in_subprocess(SECRET_KEY=env.PLACEHOLDER_SECRET_KEY)
    in_debug = _settings_in_subprocess(SECRET_KEY=env.PLACEHOLDER_SECRET_KEY, DEBUG="true")
    assert (refused.returncode, in_debug.returncode) == (1, 0)
    assert "ImproperlyConfigured: SECRET_KEY is a placeholder" in refused.stderr


# --- HTTPS, headers, proxy and lockout settings ------------------------------------------


def test_production_env_of_env_example_passes_the_deployment_check():
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environment.update(_env_example(), SECRET_KEY=STRONG_KEY)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    ), result.stderr


def test_settings_read_https_proxy_and_lockout_variables():
    result = _settings_in_subprocess(
        "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS,"
        " settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE,"
        " settings.MIPG_CLIENT_IP_HEADER, settings.MIPG_PROXY_COUNT,"
        " settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME, sep='|')",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="3600",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        MIPG_CLIENT_IP_HEADER="X-Real-IP",
        MIPG_PROXY_COUNT="2",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="30",
    )
    assert result.stdout.strip().split("|") == [
        "True",
        "3600",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
        "True",
        "HTTP_X_REAL_IP",
        "2",
        "3",
        "0:30:00",
    ], result.stderr


def test_settings_defaults_keep_http_and_trust_no_proxy_header():
    result = _settings_in_subprocess(
        "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS,"
        " settings.SECURE_PROXY_SSL_HEADER, settings.MIPG_CLIENT_IP_HEADER,"
        " settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME, sep='|')"
    )
    assert result.stdout.strip().split("|") == ["False", "0", "None", "None", "5", "0:15:00"]


def test_cookies_are_secure_unless_debug_or_said_otherwise():
    printing = "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    results = [
        _settings_in_subprocess(printing, **env_vars).stdout.split()
        for env_vars in ({}, {"DEBUG": "true"}, {"SECURE_COOKIES": "false"})
    ]
    assert results == [["True", "True"], ["False", "False"], ["False", "False"]]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("MIPG_CLIENT_IP_HEADER", "X Forwarded;For", "is not an HTTP header name"),
        ("SECURE_PROXY_SSL_HEADER", "Proto: https", "is not an HTTP header name"),
        ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT=0 must be at least 1"),
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS='a year' is not an integer"),
    ],
)
def test_settings_reject_junk_security_values(variable, value, message):
    result = _settings_in_subprocess(**{variable: value})
    assert (result.returncode, message in result.stderr) == (1, True), result.stderr


def test_meta_header_name_accepts_both_spellings():
    assert [
        env.meta_header_name("H", "X-Forwarded-For"),
        env.meta_header_name("H", "HTTP_X_REAL_IP"),
    ] == ["HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP"]


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
    result = _settings_in_subprocess(f"print({CONNECTIONS_SHOWN})", **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"DATABASE_URL": "postgres://u@db:5432/mipg"}, "-c jit=off"),
        ({"DATABASE_URL": "postgres://u@db:5432/mipg", "DB_JIT": "true"}, "None"),
        ({"DATABASE_URL": "sqlite:///x.sqlite3", "DB_JIT": "false"}, "None"),
    ],
)
def test_settings_turn_postgresql_jit_off_unless_asked(environment, expected):
    shown = "settings.DATABASES['default'].get('OPTIONS', {}).get('options')"
    result = _settings_in_subprocess(f"print({shown})", **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


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
    result = _settings_in_subprocess(f"print({QUEUE_SHOWN})", **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected
