"""The anonymous crawl of the citizen portal (issue #12): starting at ``/`` and
/transparencia/ and following every same-site link as an anonymous visitor, every URL
answers (no 500, no 404 link), nothing outside the allowed set is reachable, and nothing
unpublished shows: the ids of drafts, failed and generating reports, their files, evidence
files and unmoderated questions give 404 on every public URL pattern; no citizen's or
official's e-mail or username and no live figure appears on any page.

The crawl (tests/crawl.py) discovers pages by following links, so pages added later under
/transparencia/ are covered without changing this file."""

import itertools
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

from accountability import outputs
from accountability.models import ReportFile
from accountability.selectors import report_snapshot
from management.models import ProgressReport
from mipg.core.models import Entity, ReviewStatus, User
from mipg.core.templatetags.mipg_format import percent
from tests.builders import PDF
from tests.crawl import ALLOWED_EXACT, PORTAL, crawl, is_allowed
from tests.portal import official_names, png, portal_scenario

LIVE_NARRATIVE = "Avance aprobado después de publicar XQZLIVE"


@pytest.fixture
def scenario(db, media_root, monkeypatch):
    # The PDFs' content is not what these tests look at, and drawing them is slow.
    monkeypatch.setattr(outputs, "report_pdf", lambda context: PDF)
    return portal_scenario()


@pytest.fixture
def visits(scenario):
    return crawl(Client())


def portal_patterns():
    """(view name, route's converters) of every URL pattern of the "public" namespace,
    through nested includes."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix)
            else:
                converters = getattr(pattern.pattern, "converters", {})
                yield f"{prefix}:{pattern.name}", converters

    (public,) = [
        r for r in get_resolver().url_patterns if getattr(r, "namespace", None) == "public"
    ]
    return list(walk(public.url_patterns, "public"))


def test_every_link_answers_and_stays_in_the_allowed_places(visits):
    broken = [
        f"{v.url} → {v.status} (from {v.referrers})" for v in visits.values() if v.status >= 400
    ]
    assert broken == []
    outside = [f"{v.url} (from {v.referrers})" for v in visits.values() if not is_allowed(v.url)]
    assert outside == []
    assert visits["/"].status == 302 and visits["/"].location == PORTAL


def test_the_crawl_reaches_the_published_pages_and_their_files(visits, scenario):
    published, withdrawn = scenario["published"]
    reached = {url for url, v in visits.items() if v.status == 200}
    for report in (published, withdrawn):
        assert reverse("public:report-detail", args=[report.pk]) in reached
        for name in report.files.values_list("name", flat=True):
            assert reverse("public:report-file", args=[report.pk, name]) in reached
    assert reverse("public:report-list") in reached and "/static/css/mipg.css" in reached
    assert set(ALLOWED_EXACT) <= set(visits)


def test_only_published_and_withdrawn_reports_are_reachable(visits, scenario):
    public = {r.pk for r in scenario["published"]}
    linked = set()
    for visit in visits.values():
        if visit.url_name in ("public:report-detail", "public:report-file"):
            linked.add(int(visit.path.split("/")[3]))
    assert linked == public


def test_no_unpublished_text_or_personal_data_on_any_page(visits, scenario):
    hidden = [
        "XQZREADY",
        "XQZDRAFT",
        "XQZFAIL",
        "XQZERR",
        "XQZQUEUE",
        "XQZGEN",
        "XQZEVI",
        "acta-xqz",
        "XQZQ1",
        "XQZQ2",
        "XQZA2",
        "XQZQ3",
        "XQZQ5",
        "XQZNAME1",
        "XQZNAME2",
        "XQZNAME3",
        "XQZNAME5",
    ]
    hidden += [f"ciudadana.xqz{n}@example.org" for n in range(1, 6)]
    for user in User.objects.all():
        hidden += official_names(user)
    pages = [v for v in visits.values() if v.text]
    assert len(pages) >= 4
    found = [(v.url, s) for v in pages for s in hidden if s in v.text]
    assert found == []


def test_ids_of_unpublished_objects_are_404_on_every_public_pattern(visits, scenario):
    unpublished = scenario["unpublished"]
    questions = [q for key, q in scenario["questions"].items() if key != "published"]
    files = ReportFile.objects.filter(report__in=unpublished)
    ints = {r.pk for r in unpublished} | {q.pk for q in questions} | {999_999}
    ints |= {f.pk for f in files} | {e.pk for e in scenario["evidence"]}
    strings = set(files.values_list("name", flat=True)) | {"999999"}
    for evidence in scenario["evidence"]:
        strings |= {evidence.original_name, evidence.file.name.rsplit("/", 1)[-1]}
    reached = {v.path for v in visits.values() if v.status == 200}
    # An unpublished object's id may be a public object's id of another kind (an evidence
    # file's pk = a published report's pk): the ids in reachable URLs are not tried.
    ints -= {
        value
        for v in visits.values()
        if v.status == 200 and v.url_name
        for value in resolve(v.path).kwargs.values()
        if isinstance(value, int)
    }
    tried, wrong, client = {}, [], Client()
    for view_name, converters in portal_patterns():
        if not converters:
            continue
        candidates = [
            sorted(ints) if isinstance(c, IntConverter) else sorted(strings)
            for c in converters.values()
        ]
        for values in itertools.product(*candidates):
            try:
                url = reverse(view_name, kwargs=dict(zip(converters, values, strict=True)))
            except NoReverseMatch:  # a value the converter refuses (e.g. "/" in a name)
                continue
            if url in reached:  # the id of a public object of another kind
                continue
            tried[view_name] = tried.get(view_name, 0) + 1
            status = client.get(url).status_code
            if status != 404:
                wrong.append(f"{url} → {status}")
    assert wrong == []
    # Every pattern with arguments was tried.
    patterns = [name for name, converters in portal_patterns() if converters]
    assert {name: tried.get(name, 0) > 0 for name in patterns} == dict.fromkeys(patterns, True)


def test_media_files_are_not_served(scenario, client):
    """Evidence and report files live under MEDIA_ROOT; no URL serves it directly, and the
    staff's evidence download asks for a login."""
    (ready, *_) = scenario["unpublished"]
    published, _ = scenario["published"]
    paths = [e.file.name for e in scenario["evidence"]]
    paths += [f.file.name for f in ReportFile.objects.filter(report__in=[ready, published])]
    for name in paths:
        assert client.get(f"/media/{name}").status_code == 404, name
    evidence = scenario["evidence"][0]
    response = client.get(reverse("management:evidence-download", args=[evidence.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_entity_logo_is_served_by_the_portal(scenario, client):
    response = client.get(reverse("public:entity-logo"))
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png()
    Entity.objects.update(logo="")
    assert client.get(reverse("public:entity-logo")).status_code == 404


def test_live_figures_approved_after_publication_never_show(scenario):
    example = scenario["example"]
    *_, a3 = example["actions"]
    published, _ = scenario["published"]
    ProgressReport.objects.create(
        action=a3,
        period=example["t2"],
        progress=Decimal("37.13"),
        narrative=LIVE_NARRATIVE,
        status=ReviewStatus.APPROVED,
        created_by=scenario["planner"],
    )
    live = report_snapshot(example["plan"], [example["t1"], example["t2"]])
    frozen = published.snapshot
    changed = [
        percent(Decimal(now["executed"]))
        for now, then in zip(
            [live["total"], *live["goals"]], [frozen["total"], *frozen["goals"]], strict=True
        )
        if now["executed"] != then["executed"]
    ]
    # A3 had nothing approved in T2: the plan's and goal M2's executed progress move, so
    # there is something to look for.
    assert len(changed) >= 2
    pages = [v for v in crawl(Client()).values() if v.text]
    found = [(v.url, s) for v in pages for s in [LIVE_NARRATIVE, "37,13", *changed] if s in v.text]
    assert found == []
