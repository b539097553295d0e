"""Personal API tokens: authentication, the token page, the admin and the command."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from mipg.core.api.tokens import create_api_token
from mipg.core.models import ApiToken
from planning.models import StrategicPlan
from tests.factories import PlanFactory, UserFactory


def _get_plans(key, keyword="Bearer"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client.get("/api/v1/plans/")


@pytest.fixture
def plans(db):
    return PlanFactory(name="Borrador interno"), PlanFactory(
        name="Plan publicado", status=StrategicPlan.Status.APPROVED
    )


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_token_authenticates_as_its_user(planner, plans, keyword):
    _token, key = create_api_token(planner, name="SIIF", by=planner)
    response = _get_plans(key, keyword)
    assert response.status_code == 200
    # An internal user sees the draft plan too.
    assert {p["name"] for p in response.json()["results"]} == {"Borrador interno", "Plan publicado"}


def test_token_is_stored_only_as_its_hash(planner):
    token, key = create_api_token(planner, name="SIIF", by=planner)
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert key not in stored


def test_revoked_token_is_rejected_with_401(planner, plans, client):
    token, key = create_api_token(planner, name="SIIF", by=planner)
    client.force_login(planner)
    client.post(f"/cuenta/tokens/{token.pk}/revocar/")
    response = _get_plans(key)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize("header", ["Bearer nope", "Token", "Token a b", "Bearer \u00e9\u00e9"])
def test_unknown_or_malformed_token_is_rejected_with_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = client.get("/api/v1/dimensions/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code", "errors"}


def test_token_of_inactive_user_is_rejected(planner, plans):
    _token, key = create_api_token(planner, name="SIIF", by=planner)
    planner.is_active = False
    planner.save()
    assert _get_plans(key).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(planner, plans):
    token, key = create_api_token(planner, name="SIIF", by=planner)
    _get_plans(key)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    _get_plans(key)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    _get_plans(key)
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)


def test_token_page_requires_login(client, db):
    response = client.get("/cuenta/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cuenta/login/")


def test_token_page_creates_a_token_and_shows_the_key_once(client, responsible):
    client.force_login(responsible)
    response = client.post("/cuenta/tokens/", {"name": "Tablero de la Gobernación"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=responsible)
    key = response.context["new_key"]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    body = response.content.decode()
    assert key in body and "Tablero de la Gobernación" in body
    again = client.get("/cuenta/tokens/").content.decode()
    assert key not in again
    assert f"{token.prefix}…" in again


def test_token_page_refuses_a_blank_name(client, responsible):
    client.force_login(responsible)
    response = client.post("/cuenta/tokens/", {"name": "   "})
    assert ApiToken.objects.count() == 0
    assert "is-invalid" in response.content.decode()


def test_token_page_lists_only_own_tokens(client, responsible, planner):
    create_api_token(planner, name="Ajeno", by=planner)
    create_api_token(responsible, name="Propio", by=responsible)
    client.force_login(responsible)
    body = client.get("/cuenta/tokens/").content.decode()
    assert "Propio" in body
    assert "Ajeno" not in body


def test_revoke_asks_for_confirmation_then_revokes(client, responsible):
    token, _key = create_api_token(responsible, name="SIIF", by=responsible)
    client.force_login(responsible)
    confirm = client.get(f"/cuenta/tokens/{token.pk}/revocar/")
    assert "¿Revocar el token «SIIF»?" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(f"/cuenta/tokens/{token.pk}/revocar/")
    assert response["Location"] == "/cuenta/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_another_users_token_is_404(client, responsible, planner):
    token, _key = create_api_token(planner, name="Ajeno", by=planner)
    client.force_login(responsible)
    assert client.post(f"/cuenta/tokens/{token.pk}/revocar/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_nobody_creates_tokens_for_someone_else_but_the_administrator(responsible, planner):

    with pytest.raises(PermissionDenied):
        create_api_token(planner, name="Intruso", by=responsible)
    administrador = UserFactory(roles=["Administrador"])
    token, _key = create_api_token(planner, name="Soporte", by=administrador)
    assert token.user == planner


def test_admin_adds_a_token_and_sees_its_key_once(client, admin_user, planner):
    client.force_login(admin_user)
    response = client.post(
        "/admin/mipg/apitoken/add/", {"user": planner.pk, "name": "Integración"}, follow=True
    )
    token = ApiToken.objects.get(user=planner)
    messages = [str(m) for m in response.context["messages"]]
    key = next(m for m in messages if "Clave del token" in m).split(": ")[1].split(" ")[0]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()


def test_admin_action_revokes_tokens(client, admin_user, planner):
    token, _key = create_api_token(planner, name="SIIF", by=planner)
    client.force_login(admin_user)
    client.post(
        "/admin/mipg/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_at <= timezone.now()


def test_command_prints_a_working_key(planner, plans):
    out = StringIO()
    call_command("create_api_token", planner.username, "--name", "CI", stdout=out)
    key = out.getvalue().strip()
    assert _get_plans(key).status_code == 200
    assert ApiToken.objects.get(user=planner).name == "CI"
