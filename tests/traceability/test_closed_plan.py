"""A closed plan refuses every change (MIPG.md §5): progress reports and measurements in
every step of their workflow and their evidence, and locking its periods. Through the
services, the pages and the API; each refusal says why and leaves everything as it was.
(The tree, periods, indicators, targets, programación and budget have their own tests.)"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from evaluation import services as evaluation
from evaluation.models import Measurement, MeasurementEvidence
from management import services as management
from management.models import ProgressEvidence, ProgressReport
from mipg.core.models import ReviewStatus
from planning import services as planning
from planning.models import ReportingPeriod, StrategicPlan
from tests import factories
from tests.builders import closed_plan_message, pdf

pytestmark = pytest.mark.django_db

CLOSED = closed_plan_message("Plan cerrado")
DRAFT, SUBMITTED, APPROVED = ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.APPROVED


@dataclass(frozen=True)
class Write:
    """One write refused on a closed plan. ``figure`` is the (kind, status) of the figure it
    acts on, made before the plan is closed, or None; ``by`` the persona who may do it."""

    figure: tuple | None
    by: str
    service: object  # service(figure, data, user)
    page: tuple  # (URL name, its argument from (figure, data), POST body)
    api: tuple  # (URL from (figure, data), JSON body); POST, or PATCH on the figure itself


@dataclass(frozen=True)
class Kind:
    """A kind of reported figure as these tests reach it."""

    name: str  # "report" or "measurement", as _figure makes them
    noun: str  # of its services: create_<noun>, submit_<noun>...
    evidence: str  # add_<evidence>, remove_<evidence>
    services: object
    pages: str  # URL names <pages>-edit, -submit...
    api: str  # /api/v1/<api>/
    subject: str  # what it reports on, in `data`
    figure: tuple  # (field, value) of the figure's number


REPORTS = Kind(
    "report",
    "progress_report",
    "progress_evidence",
    management,
    "management:report",
    "progress-reports",
    "action",
    ("progress", "30"),
)
MEASUREMENTS = Kind(
    "measurement",
    "measurement",
    "measurement_evidence",
    evaluation,
    "evaluation:measurement",
    "measurements",
    "indicator",
    ("value", "7"),
)
COMMENT = {"review_comment": "Revisar"}
# Review step → (who, status it starts from, its service's and API's arguments, the page's).
STEPS = {
    "submit": ("responsible", DRAFT, {}, {}),
    "approve": ("planner", SUBMITTED, {}, {}),
    "return": ("planner", SUBMITTED, {"comment": "Revisar"}, COMMENT),
    "reopen": ("planner", APPROVED, {"reason": "Revisar"}, COMMENT),
}


def _writes_of(kind):
    """Creating, editing, every review step and the evidence of a figure of ``kind``."""
    field, value = kind.figure
    body = {field: value, "narrative": "Tarde", "intent": "draft"}
    service = lambda step: getattr(kind.services, f"{step}_{kind.noun}")  # noqa: E731
    api = lambda step="": lambda f, data: f"/api/v1/{kind.api}/{f.pk}/{step}"  # noqa: E731
    writes = {
        f"{step}_{kind.noun}": Write(
            (kind.name, status),
            by,
            lambda f, data, by, step=step, args=args: service(step)(f, by=by, **args),
            (f"{kind.pages}-{step}", page),
            (api(f"{step}/"), lambda data, args=args: args),
        )
        for step, (by, status, args, page) in STEPS.items()
    }
    return writes | {
        f"create_{kind.noun}": Write(
            None,
            "responsible",
            lambda f, data, by: service("create")(
                getattr(data, kind.subject), data.period, by=by, **{field: Decimal(value)}
            ),
            (
                lambda f, data: reverse(
                    f"{kind.pages}-create", args=[getattr(data, kind.subject).pk, data.period.pk]
                ),
                body,
            ),
            (
                lambda f, data: f"/api/v1/{kind.api}/",
                lambda data: {
                    kind.subject: getattr(data, kind.subject).pk,
                    "period": data.period.pk,
                    field: value,
                },
            ),
        ),
        f"update_{kind.noun}": Write(
            (kind.name, DRAFT),
            "responsible",
            lambda f, data, by: service("update")(f, by=by, **{field: Decimal(value)}),
            (f"{kind.pages}-edit", body),
            (api(), lambda data: {field: value}),
        ),
        f"add_{kind.evidence}": Write(
            (kind.name, DRAFT),
            "responsible",
            lambda f, data, by: getattr(kind.services, f"add_{kind.evidence}")(
                f, by=by, file=pdf()
            ),
            (f"{kind.pages}-edit", {**body, "file": "evidence"}),
            None,
        ),
        f"remove_{kind.evidence}": Write(
            (kind.name, DRAFT),
            "responsible",
            lambda f, data, by: getattr(kind.services, f"remove_{kind.evidence}")(
                f.evidence.get(), by=by
            ),
            (
                lambda f, data: reverse(
                    f"{kind.pages.split(':')[0]}:evidence-delete", args=[f.evidence.get().pk]
                ),
                {},
            ),
            None,
        ),
    }


WRITES = {
    **_writes_of(REPORTS),
    **_writes_of(MEASUREMENTS),
    "lock_period": Write(
        None,
        "planner",
        lambda f, data, by: planning.lock_period(data.period, by=by),
        (lambda f, data: reverse("planning:period-lock", args=[data.period.pk]), {}),
        (lambda f, data: f"/api/v1/periods/{data.period.pk}/lock/", lambda data: {}),
    ),
}


def _figure(kind, status, data, responsible, planner):
    fields = {"period": data.period, "status": status, "created_by": responsible}
    if status != DRAFT:
        fields["submitted_by"] = responsible
    if status == APPROVED:
        fields["reviewed_by"] = planner
    if kind == "report":
        return factories.ProgressReportFactory(action=data.action, evidence=True, **fields)
    return factories.MeasurementFactory(indicator=data.indicator, evidence=True, **fields)


@pytest.fixture
def closed(request, data, responsible, planner):
    """(data, figure, user) of the write named by the test's ``write`` parameter, with the
    plan of ``data`` closed after making the figure."""
    write = WRITES[request.getfixturevalue("write")]
    figure = write.figure and _figure(*write.figure, data, responsible, planner)
    StrategicPlan.objects.filter(pk=data.plan.pk).update(
        name="Plan cerrado", status=StrategicPlan.Status.CLOSED
    )
    return data, figure, {"responsible": responsible, "planner": planner}[write.by]


def _state():
    """Everything a refused write might have changed."""
    return {
        "reports": list(
            ProgressReport.objects.values_list("pk", "status", "progress", "narrative")
        ),
        "measurements": list(Measurement.objects.values_list("pk", "status", "value", "narrative")),
        "evidence": (ProgressEvidence.objects.count(), MeasurementEvidence.objects.count()),
        "periods": list(ReportingPeriod.objects.values_list("pk", "locked")),
    }


@pytest.mark.parametrize("write", WRITES)
def test_closed_plan_refuses_the_write(closed, write, media_root):
    data, figure, user = closed
    before = _state()

    with pytest.raises(ValidationError) as exc:
        WRITES[write].service(figure, data, user)

    assert exc.value.messages == [CLOSED]
    assert _state() == before


@pytest.mark.parametrize("write", WRITES)
def test_closed_plan_page_shows_the_refusal(client, closed, write, media_root):
    data, figure, user = closed
    url, body = WRITES[write].page
    url = url(figure, data) if callable(url) else reverse(url, args=[figure.pk])
    if body.get("file") == "evidence":
        body = {**body, "file": [pdf()]}
    before = _state()
    client.force_login(user)

    response = client.post(url, body, follow=True)

    assert CLOSED in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("write", [name for name, write in WRITES.items() if write.api])
def test_closed_plan_api_answers_the_refusal(client_for, closed, write):
    data, figure, user = closed
    url, body = WRITES[write].api
    url = url(figure, data)
    before = _state()
    client = client_for(user)
    is_patch = figure is not None and url.endswith(f"/{figure.pk}/")
    send = client.patch if is_patch else client.post

    response = send(url, body(data), format="json")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"non_field_errors": [CLOSED]},
    )
    assert _state() == before


@pytest.mark.parametrize(
    ("kind", "approve", "rows"),
    [
        (
            "report",
            management.approve_progress_report,
            ["planning_reportingperiod", "planning_action", "management_progressreport"],
        ),
        ("measurement", evaluation.approve_measurement, ["evaluation_measurement"]),
    ],
)
def test_review_step_locks_only_the_plan_row_first(
    count_queries, data, responsible, planner, kind, approve, rows
):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks; its IMMEDIATE transactions serialise writers")
    figure = _figure(kind, SUBMITTED, data, responsible, planner)

    with count_queries() as q:
        approve(figure, by=planner)

    # The plan, found through the figure's period in one query, locks the plan row alone
    # (not the period it joins), then the app's own rows in its lock order.
    locked = [query["sql"] for query in q.captured_queries if "FOR UPDATE" in query["sql"]]
    assert locked[0].endswith('FOR UPDATE OF "planning_strategicplan"')
    assert [sql.split(" FROM ")[1].split()[0].strip('"') for sql in locked[1:]] == rows
