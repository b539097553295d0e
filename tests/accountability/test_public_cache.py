"""Caching of the portal (accountability.views.caching): ETag/Last-Modified and 304s,
Cache-Control public, the server's copy and its invalidation by a publication or a
withdrawal; never on staff pages nor on a page with a CSRF token."""

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse

from accountability.services import publish_report, withdraw_report
from accountability.views.caching import PageVersion, public_cache
from tests.builders import dashboard_example, generated_report


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


@pytest.fixture
def published(example, planner):
    return publish_report(generated_report(example, planner, ("t1",)), by=planner)


def test_portal_pages_are_public_with_an_etag_and_last_modified(client, published):
    for url, max_age in (
        (reverse("public:home"), 120),
        (reverse("public:report-list"), 120),
        (reverse("public:report-detail", args=[published.pk]), 120),
        (reverse("public:report-verify", args=[published.pk]), 60),
    ):
        response = client.get(url)
        assert response["Cache-Control"] == f"public, max-age={max_age}", url
        assert response["ETag"].startswith('"') and len(response["ETag"]) == 42, url
    response = client.get(reverse("public:report-detail", args=[published.pk]))
    assert response["Last-Modified"] == published.published_at.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_a_matching_if_none_match_answers_304_without_the_page(client, published, count_queries):
    url = reverse("public:report-detail", args=[published.pk])
    etag = client.get(url)["ETag"]
    with count_queries() as q:
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, response.content, response["ETag"]) == (304, b"", etag)
    assert q.count == 0  # the portal's state is in the cache
    assert client.get(url, HTTP_IF_NONE_MATCH='"otra"').status_code == 200


def test_the_second_visit_comes_from_the_server_cache(client, published, count_queries):
    url = reverse("public:report-detail", args=[published.pk])
    first = client.get(url)
    with count_queries() as q:
        second = client.get(url)
    assert (first["X-Portal-Cache"], second["X-Portal-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert (second["X-Frame-Options"], second["Content-Language"]) == ("DENY", "es-co")
    assert "Content-Security-Policy" in second
    assert q.count == 0  # the portal's state and the page are in the cache


def test_publishing_and_withdrawing_change_the_cached_pages(client, example, planner, published):
    home = reverse("public:home")
    before = client.get(home)
    newer = generated_report(example, planner, title="Informe nuevo XQZ")
    newer = publish_report(newer, by=planner)
    after = client.get(home)
    assert after["X-Portal-Cache"] == "miss" and after["ETag"] != before["ETag"]
    link = f'href="/transparencia/informes/{newer.pk}/" class="fw-semibold"'
    assert link in after.content.decode()
    detail = reverse("public:report-detail", args=[newer.pk])
    cached = client.get(detail)
    withdraw_report(newer, reason="Cifras corregidas por la Oficina XQZ.", by=planner)
    page = client.get(detail, HTTP_IF_NONE_MATCH=cached["ETag"])
    assert page.status_code == 200
    assert "Motivo: Cifras corregidas por la Oficina XQZ." in page.content.decode()


def test_plan_and_open_data_pages_are_cached_until_a_new_publication(
    client, example, planner, published
):
    plan, a1 = example["plan"], example["actions"][0]
    urls = [
        reverse("public:plan-list"),
        reverse("public:plan-detail", args=[plan.pk]),
        reverse("public:plan-detail", args=[plan.pk]) + "?dependencia=Unidad+B",
        reverse("public:plan-indicators", args=[plan.pk]),
        reverse("public:plan-objective", args=[plan.pk, a1.goal.objective_id]),
        reverse("public:plan-goal", args=[plan.pk, a1.goal_id]),
        reverse("public:plan-action", args=[plan.pk, a1.pk]),
        reverse("public:dataset-list"),
        reverse("public:dataset-detail", args=[published.pk]),
    ]
    first = {url: client.get(url) for url in urls}
    again = {url: client.get(url) for url in urls}
    for url in urls:
        assert (first[url].status_code, first[url]["X-Portal-Cache"]) == (200, "miss"), url
        assert first[url]["Cache-Control"] == "public, max-age=120", url
        assert again[url]["X-Portal-Cache"] == "hit", url
        assert again[url].content == first[url].content, url
    # The filtered list is its own page: the query string is part of the key.
    assert first[urls[1]].content != first[urls[2]].content
    newer = publish_report(generated_report(example, planner, title="Informe T2 XQZ"), by=planner)
    for url in urls:
        response = client.get(url)
        assert response["X-Portal-Cache"] == "miss", url
        assert response["ETag"] != first[url]["ETag"], url
    timeline = client.get(urls[6]).content.decode()
    assert f'<a href="/transparencia/informes/{newer.pk}/">' in timeline


def test_downloads_carry_their_sha256_as_etag_and_answer_304(client, published):
    row = published.files.get(name="informe.pdf")
    url = reverse("public:report-file", args=[published.pk, "informe.pdf"])
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=86400"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    missing = client.get(reverse("public:report-file", args=[published.pk, "otro.pdf"]))
    assert (missing.status_code, missing.get("Cache-Control")) == (404, None)
    assert row.sha256  # the ETag is derived from it: a changed row gives a new ETag


def test_staff_pages_get_no_public_cache_headers(client, planner, published):
    client.force_login(planner)
    response = client.get(reverse("accountability:report-detail", args=[published.pk]))
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert response.get("ETag") is None and response.get("X-Portal-Cache") is None


def test_a_page_that_used_a_csrf_token_is_neither_stored_nor_public(db):
    calls = []

    @public_cache(lambda request: PageVersion("v1"))
    def with_form(request):
        calls.append(1)
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    factory = RequestFactory()
    responses = [
        with_form.public_cache.serve(factory.get("/formulario/"), (), {}, with_form)
        for _ in range(2)
    ]
    assert len(calls) == 2
    assert [r.get("Cache-Control") for r in responses] == [None, None]
