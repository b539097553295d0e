"""The OpenAPI schema is valid, complete and documented; the docs pages work offline."""

import json

import pytest
from django.core.management import call_command

from tests.api.resources import RESOURCES

HTTP_METHODS = {"get", "post", "patch", "put", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker, tmp_path_factory):
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it: the
    command fails on any OpenAPI validation error or generation warning."""
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    with django_db_blocker.unblock():
        call_command(
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--format",
            "openapi-json",
            "--file",
            str(path),
        )
    return json.loads(path.read_text())


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def test_schema_covers_every_resource_of_the_issue(schema):
    resources = {path.split("/")[3] for path in schema["paths"]}
    assert resources == set(RESOURCES)
    assert "/api/v1/plans/{id}/rollup/" in schema["paths"]
    assert "/api/v1/measurements/bulk/" in schema["paths"]
    for kind in ("measurements", "progress-reports"):
        for step in ("submit", "approve", "return", "reopen"):
            assert f"/api/v1/{kind}/{{id}}/{step}/" in schema["paths"]


def test_every_operation_has_a_summary_and_documents_its_errors(schema):
    for path, method, operation in _operations(schema):
        assert operation.get("summary"), (method, path)
        assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (method, path)
        error = operation["responses"]["401"]["content"]["application/json"]["schema"]["$ref"]
        assert error == "#/components/schemas/Error"


def test_public_reads_need_no_credentials_and_the_rest_do(schema):
    public = {
        path
        for path, method, operation in _operations(schema)
        if method == "get" and {} in operation.get("security", [])
    }
    assert "/api/v1/dimensions/" in public
    assert "/api/v1/accountability-reports/{id}/" in public
    assert "/api/v1/measurements/" not in public
    assert "/api/v1/plans/{id}/trace/" not in public
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


def test_schema_has_descriptions_and_examples(schema):
    assert "Autenticación" in schema["info"]["description"]
    bulk = schema["paths"]["/api/v1/measurements/bulk/"]["post"]
    assert bulk["requestBody"]["content"]["application/json"]["examples"]
    assert "todo o nada" in bulk["summary"]
    assert bulk["responses"]["400"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/BulkError"
    )


def test_schema_endpoint_and_docs_pages_use_packaged_assets(client, db):
    assert client.get("/api/schema/?format=json").json()["openapi"].startswith("3.")
    for url in ("/api/docs/", "/api/redoc/"):
        body = client.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in body
        assert "cdn" not in body.lower() and "unpkg" not in body.lower()


@pytest.mark.parametrize("kind", ["measurements", "progress-reports"])
def test_schema_documents_the_evidence_of_a_figure(schema, kind):
    evidence = schema["paths"][f"/api/v1/{kind}/{{id}}/evidence/"]
    # One figure's evidence: a plain array, without the list filters or pages.
    listed = evidence["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed == {"type": "array", "items": {"$ref": "#/components/schemas/EvidenceFile"}}
    assert [p["name"] for p in evidence["get"]["parameters"]] == ["id"]
    assert list(evidence["post"]["requestBody"]["content"]) == ["multipart/form-data"]
    download = schema["paths"][f"/api/v1/{kind}/{{id}}/evidence/{{evidence_pk}}/download/"]
    content = download["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "text/csv", "application/octet-stream"} <= set(content)
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}


def _parameter(schema, path, name):
    (parameter,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return parameter


def test_ordering_is_one_comma_separated_parameter_with_its_fields_as_enum(schema):
    ordering = _parameter(schema, "/api/v1/actions/", "ordering")
    assert (ordering["style"], ordering["explode"]) == ("form", False)
    assert ordering["schema"]["type"] == "array"
    assert ordering["schema"]["items"]["enum"] == [
        "-code",
        "-end_date",
        "-name",
        "-start_date",
        "-unit",
        "-weight",
        "code",
        "end_date",
        "name",
        "start_date",
        "unit",
        "weight",
    ]
    page_size = _parameter(schema, "/api/v1/actions/", "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}


def test_decimal_fields_carry_their_bounds(schema):
    components = schema["components"]["schemas"]
    weight = components["ActionCreateRequest"]["properties"]["weight"]
    assert (weight["minimum"], weight["maximum"]) == (0, 100)
    assert (weight["x-max-digits"], weight["x-decimal-places"]) == (5, 2)
    assert weight["pattern"] == r"^(?:100(?:\.0{0,2})?|\d{0,2}(?:\.\d{0,2})?)$"
    amount = components["ExecutionCreateRequest"]["properties"]["amount"]
    assert amount["pattern"] == r"^-?\d{0,16}(?:\.\d{0,2})?$"
    assert "minimum" not in amount
    progress = components["PatchedProgressReportUpdateRequest"]["properties"]["progress"]
    assert (progress["minimum"], progress["maximum"]) == (0, 100)


def test_patch_bodies_are_partial(schema):
    patched = schema["components"]["schemas"]["PatchedTargetUpdateRequest"]
    assert "required" not in patched
