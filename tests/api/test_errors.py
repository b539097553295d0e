"""Every bad request is a 4xx with the JSON error body, never a 5xx; anonymous throttling."""

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from mipg.core.api.exceptions import flatten
from tests.core.test_settings import _settings_in_subprocess
from tests.factories import AllocationFactory

ERROR_KEYS = {"detail", "code", "errors"}


def _error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) >= ERROR_KEYS
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/plans/abc/",
        "/api/v1/plans/99999999999999999999999999/",
        "/api/v1/plans/-1/",
        "/api/v1/plans/0.5/",
        "/api/v1/plans/1/nope/",
        "/api/v1/nope/",
        "/api/v1/plans",
        "/api/",
    ],
)
def test_malformed_ids_and_unknown_paths_are_json_404(client_for, planner, path):
    body = _error(client_for(planner).get(path), 404)
    assert body["code"] == "not_found"


def test_unknown_path_with_unsafe_method_is_json_404_not_csrf_403(client, db):
    _error(client.delete("/api/v1/plans/0.5/"), 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("plan=abc", "plan"),
        ("plan=99999999999999999999999", "plan"),
        ("dimension=D1", "dimension"),
        ("ordering=password", "ordering"),
        ("unit=1.5e400", "unit"),
        ("q=%00", "q"),
    ],
)
def test_bad_filter_values_are_400_with_field_messages(client_for, planner, query, field):
    body = _error(client_for(planner).get(f"/api/v1/actions/?{query}"), 400)
    assert list(body["errors"]) == [field]


@pytest.mark.parametrize("value", ["1e30", "99999999999999999999999"])
def test_target_filter_with_an_id_beyond_the_integer_range_is_an_empty_list(
    client_for, planner, scenario, value
):
    client = client_for(planner)
    response = client.get(f"/api/v1/targets/?indicator={value}")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0
    listed = client.get(f"/api/v1/targets/?indicator={scenario.indicator.pk}").json()
    assert [t["id"] for t in listed["results"]] == [scenario.target.pk]


def test_invalid_page_is_json_404(client_for, planner):
    _error(client_for(planner).get("/api/v1/units/?page=999"), 404)


def test_bad_json_is_400(client_for, planner):
    response = client_for(planner).post(
        "/api/v1/plans/", "{not json", content_type="application/json"
    )
    assert _error(response, 400)["code"] == "parse_error"


def test_other_content_types_are_415(client_for, planner):
    response = client_for(planner).post(
        "/api/v1/plans/", "name=x", content_type="application/x-www-form-urlencoded"
    )
    assert _error(response, 415)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start_year": 10**30}, "start_year"),
        ({"start_year": "dos mil"}, "start_year"),
        ({"start_year": 1999}, "start_year"),
        ({"name": ["lista"]}, "name"),
        ({"name": "x" * 300}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"kind": "otro"}, "kind"),
        ({"parent": 10**25}, "parent"),
        ({"parent": "uno"}, "parent"),
    ],
)
def test_wrong_types_and_out_of_range_values_are_400(client_for, planner, payload, field):
    data = {"name": "Plan", "start_year": 2026, "end_year": 2026, **payload}
    body = _error(client_for(planner).post("/api/v1/plans/", data), 400)
    assert field in body["errors"]


@pytest.mark.parametrize("amount", ["1e400", "NaN", "Infinity", "123456789012345678901.5", "0.001"])
def test_huge_or_non_finite_money_is_400(client_for, planner, scenario, amount):
    allocation = AllocationFactory(action=scenario.action)
    body = _error(
        client_for(planner).post(
            "/api/v1/budget-executions/",
            {
                "allocation": allocation.pk,
                "stage": "cdp",
                "amount": amount,
                "date": "2026-03-01",
                "document_number": "X",
            },
        ),
        400,
    )
    assert list(body["errors"]) == ["amount"]


def test_json_number_too_big_for_a_float_is_400(client_for, responsible, scenario):
    indicator, period = scenario.indicator.pk, scenario.period.pk
    body = f'{{"indicator": {indicator}, "period": {period}, "value": 1e400}}'
    response = client_for(responsible).post(
        "/api/v1/measurements/", body, content_type="application/json"
    )
    assert list(_error(response, 400)["errors"]) == ["value"]


def test_body_that_is_not_an_object_is_400(client_for, planner):
    response = client_for(planner).post(
        "/api/v1/plans/", json.dumps([1, 2]), content_type="application/json"
    )
    assert "non_field_errors" in _error(response, 400)["errors"]


def test_service_validation_error_becomes_400_with_spanish_field_messages(
    client_for, planner, scenario
):
    response = client_for(planner).post(
        "/api/v1/periods/",
        {
            "plan": scenario.plan.pk,
            "label": "Solapado",
            "start_date": "2026-02-01",
            "end_date": "2026-04-30",
        },
    )
    body = _error(response, 400)
    assert body["errors"] == {
        "start_date": ["El periodo se cruza con «T1 2026» (01/01/2026 – 31/03/2026)."]
    }


def test_allocation_year_outside_the_plan_range_is_400(client_for, planner, scenario):
    allocation = AllocationFactory(action=scenario.action)
    response = client_for(planner).patch(
        f"/api/v1/budget-allocations/{allocation.pk}/", {"year": 0}
    )
    assert "year" in _error(response, 400)["errors"]


def test_anonymous_clients_are_throttled(api, settings, db):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"},
    }
    statuses = [api.get("/api/v1/dimensions/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = api.get("/api/v1/dimensions/")
    assert _error(response, 429)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    cache.clear()


def test_authenticated_clients_are_not_throttled(client_for, planner, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"},
    }
    client = client_for(planner)
    assert {client.get("/api/v1/dimensions/").status_code for _ in range(3)} == {200}
    cache.clear()


@pytest.mark.parametrize("value", ["lots", "0/minute", "60/fortnight", "-5/s"])
def test_settings_reject_a_junk_anonymous_rate(value):

    result = _settings_in_subprocess(API_ANON_RATE=value)
    assert result.returncode != 0
    assert f"API_ANON_RATE={value!r} must look like 60/minute or off" in result.stderr


def test_nested_error_details_are_flattened_with_dotted_names():

    detail = {
        "name": ["Requerido."],
        "non_field_errors": ["General."],
        "items": {0: {"value": ["Número inválido."]}, 2: {"non_field_errors": ["Mal."]}},
        "policies": ["Uno.", "Dos."],
    }
    assert flatten(detail) == {
        "name": ["Requerido."],
        "non_field_errors": ["General."],
        "items.0.value": ["Número inválido."],
        "items.2": ["Mal."],
        "policies": ["Uno.", "Dos."],
    }
    assert flatten(["Solo un mensaje."]) == {"non_field_errors": ["Solo un mensaje."]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/measurements/?indicator=99999999999999999999999",
        "/api/v1/budget-allocations/?action=99999999999999999999999",
        "/api/v1/budget-executions/?allocation=1e30",
    ],
)
def test_id_filters_beyond_the_integer_range_give_an_empty_list(admin_user, url):

    client = APIClient()
    client.force_authenticate(admin_user)
    response = client.get(url)
    assert (response.status_code, response.json()["count"]) == (200, 0)


def test_deeply_nested_json_is_400_parse_error(client_for, planner):
    response = client_for(planner).post(
        "/api/v1/plans/", "[" * 5000, content_type="application/json"
    )
    body = _error(response, 400)
    assert (body["code"], body["detail"]) == (
        "parse_error",
        "JSON inválido: demasiados niveles anidados.",
    )


def test_server_errors_under_api_are_the_json_error_body(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr("mipg.core.api.views.DimensionViewSet.list", broken)
    client.raise_request_exception = False
    body = _error(client.get("/api/v1/dimensions/"), 500)
    assert body == {
        "detail": "Error interno del servidor; se registró para revisarlo.",
        "code": "server_error",
        "errors": {},
    }


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("put", "/api/v1/plans/{plan}/", "GET, PATCH, HEAD, OPTIONS"),
        ("delete", "/api/v1/plans/{plan}/", "GET, PATCH, HEAD, OPTIONS"),
        ("delete", "/api/v1/plans/", "GET, POST, HEAD, OPTIONS"),
        ("patch", "/api/v1/dimensions/1/", "GET, HEAD, OPTIONS"),
        ("get", "/api/v1/measurements/bulk/", "POST, OPTIONS"),
    ],
)
def test_unsupported_methods_are_405_with_the_allow_header_even_for_the_superuser(
    client_for, admin_user, planner, scenario, method, path, allow
):
    for user in (admin_user, planner, None):
        response = getattr(client_for(user), method)(path.format(plan=scenario.plan.pk))
        assert _error(response, 405)["code"] == "method_not_allowed"
        assert response["Allow"] == allow


def test_bad_requests_refused_before_the_api_views_are_json_too(client, db):
    response = client.get("/api/v1/dimensions/", HTTP_HOST="intruso.example")
    assert _error(response, 400) == {
        "detail": "Solicitud inválida.",
        "code": "bad_request",
        "errors": {},
    }
    assert client.get("/", HTTP_HOST="intruso.example").status_code == 400
