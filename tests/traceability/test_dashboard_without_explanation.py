"""The dashboard page and its export evaluate the plan's indicators without their formula
text (``explain=False``): every figure, on the page and in the workbook, is the one the
roll-up with the text gives; report snapshots, which print the text, keep it."""

import datetime
import io
import re
from dataclasses import fields, replace
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from accountability.selectors import report_snapshot
from evaluation.models import Indicator
from mipg.traceability import dashboard as figures
from mipg.traceability.dashboard import plan_dashboard
from mipg.traceability.rollup import plan_rollup
from tests import factories
from tests.builders import dashboard_example, measured

TODAY = datetime.date(2026, 7, 15)


@pytest.fixture
def example(db):
    """The dashboard example with an indicator per polarity and accumulation on its goals
    (gaps, baselines, a tolerance) and one of the objective's own: every state."""
    example = dashboard_example()
    goals = [action.goal for action in example["actions"]]
    for p, polarity in enumerate(Indicator.Polarity.values):
        for a, accumulation in enumerate(Indicator.Accumulation.values):
            indicator = factories.IndicatorFactory(
                goal=goals[(p + a) % len(goals)],
                unit=example["units"][a % 2],
                polarity=polarity,
                accumulation=accumulation,
                baseline_value=None if a % 3 == 0 else D("100"),
                maintenance_tolerance=D("2") if a % 2 else None,
            )
            measured(indicator, example["t1"], target="80", value=str(50 + 7 * a))
            measured(
                indicator,
                example["t2"],
                target="60" if a % 2 else "0",
                value=None if a == 2 else "65",
            )
    own = factories.IndicatorFactory(
        goal=None, objective=goals[0].objective, unit=example["units"][0]
    )
    measured(own, example["t2"], target="10", value=None)
    return example


def without_text(pairs):
    return [(indicator, replace(result, explanation="")) for indicator, result in pairs]


@pytest.mark.parametrize(
    "filters",
    [{}, {"unit": 0}, {"only_reds": True}],
    ids=["plan", "unit", "only-reds"],
)
def test_dashboard_without_explanation_has_the_same_figures(example, filters):
    if "unit" in filters:
        filters = {"unit": example["units"][0]}
    kwargs = {"period": example["t2"], "today": TODAY, "actions": False, **filters}
    explained = plan_dashboard(example["plan"], **kwargs)
    bare = plan_dashboard(example["plan"], **kwargs, explain=False)
    assert explained.indicators and any(r.explanation for _i, r in explained.indicators)
    assert all(result.explanation == "" for _i, result in bare.indicators)
    assert bare.indicators == without_text(explained.indicators)
    for name in (f.name for f in fields(figures.Dashboard)):
        if name not in ("rollup", "indicators"):
            assert getattr(bare, name) == getattr(explained, name), name
    assert bare.rollup.semaforo_counts == explained.rollup.semaforo_counts
    assert bare.rollup.objective_semaforo == explained.rollup.objective_semaforo
    assert bare.rollup.plan_semaforo == explained.rollup.plan_semaforo


def with_explanation(monkeypatch):
    """Make the views build the dashboard and the explain page's roll-up with the text."""

    def explained_dashboard(*args, **kwargs):
        kwargs.pop("explain", None)
        return plan_dashboard(*args, **kwargs)

    def explained_rollup(*args, **kwargs):
        kwargs.pop("explain", None)
        return plan_rollup(*args, **kwargs)

    monkeypatch.setattr("mipg.traceability.views.dashboard.plan_dashboard", explained_dashboard)
    monkeypatch.setattr("mipg.traceability.rollup.strategic.plan_rollup", explained_rollup)


def page(client, url, query):
    """The page's HTML without its CSRF tokens (masked anew at each request)."""
    body = client.get(url, query).content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]*"', r"\1", body)


def workbook(client, query):
    response = client.get(reverse("dashboard-export"), query)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {name: list(book[name].values) for name in book.sheetnames}


def test_dashboard_page_export_and_explain_page_show_the_same_as_with_the_text(
    client, director, example, monkeypatch
):
    client.force_login(director)
    plan = example["plan"]
    query = {"plan": plan.pk, "period": example["t2"].pk}
    explain_url = reverse("planning:plan-explain", args=[plan.pk])
    explain_query = {"period": example["t2"].pk, "node": "plan"}
    bare = (
        page(client, reverse("dashboard"), query),
        workbook(client, query),
        page(client, explain_url, explain_query),
    )
    with_explanation(monkeypatch)
    explained = (
        page(client, reverse("dashboard"), query),
        workbook(client, query),
        page(client, explain_url, explain_query),
    )
    assert (
        len(bare[1]["Indicadores"]) == 1 + len(Indicator.Polarity) * len(Indicator.Accumulation) + 1
    )
    assert bare == explained


def test_dashboard_page_evaluates_indicators_without_their_text(
    client, director, example, monkeypatch
):
    calls = []

    def spy(*args, **kwargs):
        calls.append(kwargs.get("explain", True))
        return plan_rollup(*args, **kwargs)

    monkeypatch.setattr("mipg.traceability.rollup.strategic.plan_rollup", spy)
    client.force_login(director)
    query = {"plan": example["plan"].pk, "period": example["t2"].pk}
    response = client.get(reverse("dashboard"), query)
    assert response.context["indicators_shown"]
    assert all(r.explanation == "" for _i, r in response.context["dashboard"].indicators)
    client.get(reverse("dashboard-export"), query)
    assert calls == [False, False]


def test_report_snapshot_keeps_the_indicators_formula_text(example):
    periods = [example["t1"], example["t2"]]
    snapshot = report_snapshot(example["plan"], periods)
    explained = plan_dashboard(example["plan"], period=example["t2"], today=TODAY)
    texts = {i.code: r.explanation for i, r in explained.indicators}
    assert any(texts.values())
    assert {row["code"]: row["explanation"] for row in snapshot["indicators"]} == texts
