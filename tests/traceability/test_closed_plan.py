"""A closed plan refuses every change (MIPG.md §5): progress reports and measurements in
every step of their workflow and their evidence, its periods, indicators, targets,
programación and budget. Through the services, the pages and the API; each refusal says
why and leaves everything as it was. (The tree has its own tests in tests/planning.)"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from evaluation import services as evaluation
from evaluation.models import Indicator, IndicatorTarget, Measurement, MeasurementEvidence
from management import models as budget
from management import services as management
from management.models import ProgressEvidence, ProgressReport
from mipg.core.models import ReviewStatus
from planning import services as planning
from planning.models import ActionSchedule, ReportingPeriod, StrategicPlan
from tests import factories
from tests.builders import closed_plan_message, pdf
from tests.evaluation.test_indicator_services import indicator_api_fields, indicator_fields
from tests.evaluation.test_views_indicators import indicator_data

pytestmark = pytest.mark.django_db

CLOSED = closed_plan_message("Plan cerrado")
DRAFT, SUBMITTED, APPROVED = ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.APPROVED


@dataclass(frozen=True)
class Write:
    """One write refused on a closed plan. ``setup(data, responsible, planner)`` makes what
    it acts on before the plan is closed (the "figure", or None); ``by`` is the persona who
    may do it."""

    setup: object
    by: str
    service: object  # service(figure, data, user)
    page: tuple  # (URL name with the figure as argument, or URL from (figure, data); body)
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


def _figure_of(kind, status):
    return lambda data, responsible, planner: _figure(kind, status, data, responsible, planner)


def _figure(kind, status, data, responsible, planner):
    fields = {"period": data.period, "status": status, "created_by": responsible}
    if status != DRAFT:
        fields["submitted_by"] = responsible
    if status == APPROVED:
        fields["reviewed_by"] = planner
    if kind == "report":
        return factories.ProgressReportFactory(action=data.action, evidence=True, **fields)
    return factories.MeasurementFactory(indicator=data.indicator, evidence=True, **fields)


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
            _figure_of(kind.name, status),
            by,
            lambda f, data, by, step=step, args=args: service(step)(f, by=by, **args),
            (f"{kind.pages}-{step}", page),
            (api(f"{step}/"), lambda data, args=args: args),
        )
        for step, (by, status, args, page) in STEPS.items()
    }
    return writes | {
        f"create_{kind.noun}": Write(
            _nothing,
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
            _figure_of(kind.name, DRAFT),
            "responsible",
            lambda f, data, by: service("update")(f, by=by, **{field: Decimal(value)}),
            (f"{kind.pages}-edit", body),
            (api(), lambda data: {field: value}),
        ),
        f"add_{kind.evidence}": Write(
            _figure_of(kind.name, DRAFT),
            "responsible",
            lambda f, data, by: getattr(kind.services, f"add_{kind.evidence}")(
                f, by=by, file=pdf()
            ),
            (f"{kind.pages}-edit", {**body, "file": "evidence"}),
            None,
        ),
        f"remove_{kind.evidence}": Write(
            _figure_of(kind.name, DRAFT),
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


def _nothing(data, responsible, planner):
    return None


def _locked_period(data, responsible, planner):
    ReportingPeriod.objects.filter(pk=data.period.pk).update(locked=True)
    return data.period


def _indicator(data, responsible, planner):
    return data.indicator


def _allocation(data, responsible, planner):
    return factories.AllocationFactory(action=data.action, year=data.period.start_date.year)


def _year(data):
    return data.period.start_date.year


def _period_fields(data):
    year = _year(data)
    return {"label": "Nuevo", "start_date": f"{year}-01-01", "end_date": f"{year}-01-20"}


def _budget_api(data):
    """The allocation and date of a new budget entry (execution, modification) in the API."""
    return {
        "allocation": budget.BudgetAllocation.objects.get().pk,
        "date": str(data.period.start_date),
    }


def _allocation_fields(data):
    """A new allocation with the funding source the write's setup made (the newest)."""
    return {
        "source": budget.FundingSource.objects.latest("pk").pk,
        "year": _year(data),
        "rubro": "R9",
        "appropriation": "5",
    }


EXECUTION = {"stage": "cdp", "amount": "5", "document_number": "CDP-9"}
MODIFICATION = {"kind": "addition", "amount": "5", "act_number": "Decreto 9", "reason": "Saldo"}

PLAN_WRITES = {
    "create_period": Write(
        _nothing,
        "planner",
        lambda f, data, by: planning.create_period(data.plan, by=by, **_period_fields(data)),
        (lambda f, data: reverse("planning:period-create", args=[data.plan.pk]), _period_fields),
        (
            lambda f, data: "/api/v1/periods/",
            lambda data: {"plan": data.plan.pk, **_period_fields(data)},
        ),
    ),
    "create_quarterly_periods": Write(
        _nothing,
        "planner",
        lambda f, data, by: planning.create_quarterly_periods(data.plan, by=by, year=_year(data)),
        (
            lambda f, data: reverse("planning:period-quarters", args=[data.plan.pk]),
            lambda data: {"year": _year(data)},
        ),
        None,
    ),
    "lock_period": Write(
        _nothing,
        "planner",
        lambda f, data, by: planning.lock_period(data.period, by=by),
        (lambda f, data: reverse("planning:period-lock", args=[data.period.pk]), {}),
        (lambda f, data: f"/api/v1/periods/{data.period.pk}/lock/", lambda data: {}),
    ),
    "unlock_period": Write(
        _locked_period,
        "planner",
        lambda f, data, by: planning.unlock_period(f, by=by, reason="Revisar"),
        ("planning:period-unlock", {"reason": "Revisar"}),
        (lambda f, data: f"/api/v1/periods/{f.pk}/unlock/", lambda data: {"reason": "Revisar"}),
    ),
    "set_action_schedule": Write(
        _nothing,
        "planner",
        lambda f, data, by: planning.set_action_schedule(
            data.action, by=by, planned={data.period: Decimal("30")}
        ),
        (
            lambda f, data: reverse("planning:action-schedule", args=[data.action.pk]),
            lambda data: {f"period_{data.period.pk}": "30"},
        ),
        None,
    ),
    "create_indicator": Write(
        _nothing,
        "planner",
        lambda f, data, by: evaluation.create_indicator(
            by=by, **indicator_fields(data.action.goal)
        ),
        (
            lambda f, data: reverse("evaluation:indicator-create") + f"?meta={data.action.goal_id}",
            lambda data: indicator_data(data.action.goal, data.action.goal.unit),
        ),
        (
            lambda f, data: "/api/v1/indicators/",
            lambda data: indicator_api_fields(data.action.goal),
        ),
    ),
    "update_indicator": Write(
        _indicator,
        "planner",
        lambda f, data, by: evaluation.update_indicator(f, by=by, name="Otro"),
        (
            "evaluation:indicator-edit",
            lambda data: indicator_data(data.action.goal, data.action.goal.unit, name="Otro"),
        ),
        (lambda f, data: f"/api/v1/indicators/{f.pk}/", lambda data: {"name": "Otro"}),
    ),
    "set_targets": Write(
        _indicator,
        "planner",
        lambda f, data, by: evaluation.set_targets(f, by=by, values={data.period: Decimal("20")}),
        ("evaluation:indicator-targets", lambda data: {f"period_{data.period.pk}": "20"}),
        (
            lambda f, data: "/api/v1/targets/",
            lambda data: {"indicator": data.indicator.pk, "period": data.period.pk, "value": "20"},
        ),
    ),
    "create_allocation": Write(
        lambda data, responsible, planner: factories.FundingSourceFactory(),
        "planner",
        lambda f, data, by: management.create_allocation(
            data.action, by=by, source=f, year=_year(data), rubro="R9", appropriation=Decimal("5")
        ),
        (
            lambda f, data: reverse("management:allocation-create", args=[data.action.pk]),
            _allocation_fields,
        ),
        (
            lambda f, data: "/api/v1/budget-allocations/",
            lambda data: {"action": data.action.pk, **_allocation_fields(data)},
        ),
    ),
    "record_execution": Write(
        _allocation,
        "planner",
        lambda f, data, by: management.record_execution(
            f, by=by, date=data.period.start_date, **EXECUTION | {"amount": Decimal("5")}
        ),
        ("management:execution-create", lambda data: EXECUTION | {"date": data.period.start_date}),
        (
            lambda f, data: "/api/v1/budget-executions/",
            lambda data: EXECUTION | _budget_api(data),
        ),
    ),
    "record_modification": Write(
        _allocation,
        "planner",
        lambda f, data, by: management.record_modification(
            f, by=by, date=data.period.start_date, **MODIFICATION | {"amount": Decimal("5")}
        ),
        (
            "management:modification-create",
            lambda data: MODIFICATION | {"date": data.period.start_date},
        ),
        (
            lambda f, data: "/api/v1/budget-modifications/",
            lambda data: MODIFICATION | _budget_api(data),
        ),
    ),
}

WRITES = {
    **_writes_of(REPORTS),
    **_writes_of(MEASUREMENTS),
    **PLAN_WRITES,
}


@pytest.fixture
def closed(request, data, responsible, planner):
    """(data, figure, user) of the write named by the test's ``write`` parameter, with the
    plan of ``data`` closed after making the figure."""
    write = WRITES[request.getfixturevalue("write")]
    figure = write.setup(data, responsible, planner)
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
        "indicators": list(Indicator.objects.values_list("pk", "name")),
        "targets": list(IndicatorTarget.objects.values_list("pk", "value")),
        "schedules": ActionSchedule.objects.count(),
        "allocations": list(budget.BudgetAllocation.objects.values_list("pk", "appropriation")),
        "budget": (
            budget.BudgetExecution.objects.count(),
            budget.BudgetModification.objects.count(),
        ),
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
    body = body(data) if callable(body) else body
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
