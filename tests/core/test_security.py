"""Login lockout (django-axes), the client IP behind a proxy and the security headers
(mipg/core/security.py and the security settings)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.request import Request

from mipg.core.api.throttling import AnonRateThrottle
from mipg.core.security import client_ip

PASSWORD = "clave-segura-123"  # tests.factories.UserFactory's password
LOCKED = "Acceso bloqueado temporalmente"


def _log_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _fail(client, username, times, **extra):
    return [_log_in(client, username, "clave-equivocada", **extra) for _ in range(times)]


def _retry_text(when):
    local = timezone.localtime(when)
    return f"a partir de las {date_format(local, 'H:i')} del {date_format(local, 'd/m/Y')}"


@pytest.fixture
def planner_login(planner):
    return planner.username


def test_login_four_failures_then_the_right_password_logs_in(client, planner_login):
    failures = _fail(client, planner_login, 4)
    response = _log_in(client, planner_login, PASSWORD)
    assert [r.status_code for r in failures] == [200] * 4
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_login_fifth_failure_locks_out_and_the_right_password_is_refused(client, planner_login):
    failures = _fail(client, planner_login, 5)
    before = timezone.now()
    response = _log_in(client, planner_login, PASSWORD)
    after = timezone.now()
    body = response.content.decode()
    assert [r.status_code for r in failures] == [200, 200, 200, 200, 429]
    assert (response.status_code, LOCKED in body) == (429, True)
    assert "(en 15 minutos)" in body
    # Retry 15 minutes (AXES_COOLOFF_MINUTES) after this refused attempt.
    expected = {
        _retry_text(before + timedelta(minutes=15)),
        _retry_text(after + timedelta(minutes=15)),
    }
    assert any(text in body for text in expected), body
    assert "_auth_user_id" not in client.session


def test_login_lockout_page_in_english(client, planner_login):
    _fail(client, planner_login, 5)
    response = _log_in(client, planner_login, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert (response.status_code, "Access temporarily blocked" in body) == (429, True)
    assert "(in 15 minutes)" in body


def test_login_lockout_does_not_touch_other_users_nor_other_ips(client, planner_login, auditor):
    _fail(client, planner_login, 5)
    other_user = _log_in(client, auditor.username, PASSWORD)
    client.logout()
    other_ip = _log_in(client, planner_login, PASSWORD, REMOTE_ADDR="198.51.100.20")
    assert (other_user.status_code, other_user["Location"]) == (302, reverse("home"))
    assert (other_ip.status_code, other_ip["Location"]) == (302, reverse("home"))


def test_login_failure_limit_and_cool_off_come_from_settings(client, planner_login, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    failures = _fail(client, planner_login, 2)
    response = _log_in(client, planner_login, PASSWORD)
    assert [r.status_code for r in failures] == [200, 429]
    assert (response.status_code, "(en 1 minuto)" in response.content.decode()) == (429, True)


def test_login_lockout_ends_after_the_cool_off(client, planner_login):
    _fail(client, planner_login, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _log_in(client, planner_login, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_axes_reset_username_command_unlocks(client, planner_login):
    _fail(client, planner_login, 5)
    call_command("axes_reset_username", planner_login)
    response = _log_in(client, planner_login, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_admin_unlocks_by_deleting_the_access_attempt(client, planner_login, admin_user):
    _fail(client, planner_login, 5)
    attempt = AccessAttempt.objects.get(username=planner_login)
    admin_client = type(client)()
    admin_client.force_login(admin_user)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    deleted = admin_client.post(url, {"post": "yes"})
    response = _log_in(client, planner_login, PASSWORD)
    assert (deleted.status_code, AccessAttempt.objects.count()) == (302, 0)
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_admin_login_goes_through_the_lockout(client, admin_user):
    url = reverse("admin:login")
    data = {"username": admin_user.username, "password": "clave-equivocada"}
    statuses = [client.post(url, data).status_code for _ in range(5)]
    data["password"] = PASSWORD
    response = client.post(url, data)
    assert statuses == [200, 200, 200, 200, 429]
    assert (response.status_code, LOCKED in response.content.decode()) == (429, True)


# --- Client IP behind a proxy ------------------------------------------------------------


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **meta)


def test_client_ip_without_header_setting_is_the_peer_and_ignores_forwarded_headers(settings):
    settings.MIPG_CLIENT_IP_HEADER = None
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.7")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        # The client sent a forged first entry; the proxy appended the real address.
        ("1.2.3.4, 203.0.113.7", 1, "203.0.113.7"),
        # Two proxies: the client is the second address from the right.
        ("1.2.3.4, 203.0.113.7, 192.0.2.50", 2, "203.0.113.7"),
        ("2001:db8::7", 1, "2001:db8::7"),
        # Missing, too short or junk: the peer address.
        ("", 1, "10.0.0.1"),
        ("203.0.113.7", 2, "10.0.0.1"),
        ("not-an-ip", 1, "10.0.0.1"),
    ],
)
def test_client_ip_from_the_proxy_header(settings, forwarded, proxies, expected):
    settings.MIPG_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.MIPG_PROXY_COUNT = proxies
    assert client_ip(_request(HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_login_lockout_behind_a_proxy_is_per_client_address(client, planner_login, settings):
    settings.MIPG_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    _fail(client, planner_login, 5, HTTP_X_REAL_IP="203.0.113.7")
    locked = _log_in(client, planner_login, PASSWORD, HTTP_X_REAL_IP="203.0.113.7")
    other_client = _log_in(client, planner_login, PASSWORD, HTTP_X_REAL_IP="198.51.100.9")
    assert (locked.status_code, other_client.status_code) == (429, 302)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


# --- Headers -----------------------------------------------------------------------------


def test_security_headers_on_every_page(client, db):
    response = client.get(reverse("login"))
    csp = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert csp == {
        "default-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert response["Permissions-Policy"] == (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    )
    assert (response["X-Frame-Options"], response["Referrer-Policy"]) == ("DENY", "same-origin")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_and_csrf_cookies_are_secure_when_debug_is_off(client, planner_login):
    response = _log_in(client, planner_login, PASSWORD)
    cookies = response.cookies
    assert (cookies["sessionid"]["secure"], cookies["csrftoken"]["secure"]) == (True, True)


def test_api_throttle_tells_anonymous_clients_apart_by_client_ip(settings):
    request = Request(_request(HTTP_X_FORWARDED_FOR="203.0.113.7"))
    settings.MIPG_CLIENT_IP_HEADER = None
    peer = AnonRateThrottle().get_ident(request)
    settings.MIPG_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert (peer, AnonRateThrottle().get_ident(request)) == ("10.0.0.1", "203.0.113.7")


def test_ssl_redirect_spares_the_health_probe(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    login = client.get(reverse("login"))
    probe = client.get(reverse("healthz"))
    assert (login.status_code, login["Location"]) == (301, "https://testserver/cuenta/login/")
    assert probe.status_code == 200
