import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_inline_broker(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "inline", "status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_unreachable(client, settings):
    # Port 9 (discard) is closed on the loopback: the connection is refused at once.
    from mipg.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    previous = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    body = response.json()
    assert response.status_code == 503
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")
    assert body["status"] == "error"
