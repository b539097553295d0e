import os

import pytest
import redis


@pytest.mark.django_db
def test_healthz_reports_database_and_inline_broker(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "inline", "status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_unreachable(client, settings):
    # Port 9 (discard) is closed on the loopback: the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")
    assert body["status"] == "error"


@pytest.mark.django_db
def test_healthz_reports_a_reachable_redis_broker(client, settings):

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no local Redis on 127.0.0.1:6379")
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    assert client.get("/healthz").json() == {"database": "ok", "broker": "ok", "status": "ok"}
