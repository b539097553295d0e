"""Builders of test data: an approved plan with a period open today for the reporting
workflow (open_plan), a small plan to work on through the API (Scenario) and fully
related plans built with bulk_create for the query-count tests (build_plan)."""

import datetime
import io
import zipfile
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accountability.models import AccountabilityReport
from accountability.services import create_report, generate_report
from evaluation.models import Indicator, IndicatorTarget
from management.models import (
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    FundingSource,
    ProgressReport,
)
from mipg.core.models import InstitutionalPlan, ReviewStatus
from planning.models import Action, Goal, StrategicPlan
from tests import factories


def closed_plan_message(name):
    """The refusal of any write to the tree, periods, indicators, budget or reported figures
    of closed plan `name`."""
    return (
        f"El plan «{name}» está cerrado: no se pueden modificar sus objetivos, metas, actividades, "
        "periodos, indicadores, presupuesto, reportes de avance ni mediciones."
    )


def quarters_2026(plan):
    """The four quarters of 2026 as reporting periods of `plan`, labelled 2026-T1 to 2026-T4."""
    ends = [(3, 31), (6, 30), (9, 30), (12, 31)]
    return [
        factories.PeriodFactory(
            plan=plan,
            label=f"2026-T{number}",
            start_date=datetime.date(2026, month - 2, 1),
            end_date=datetime.date(2026, month, day),
        )
        for number, (month, day) in enumerate(ends, start=1)
    ]


QUANTITY_TARGET = Decimal("4")


def approved_3_of_4(action, period):
    """An approved report of ``action`` (a target of 4) for ``period``: 3 delivered, 75 %."""
    return factories.ProgressReportFactory(
        action=action,
        period=period,
        quantity=QUANTITY_TARGET - 1,
        quantity_target=QUANTITY_TARGET,
        progress=Decimal("75"),
        status=ReviewStatus.APPROVED,
    )


def measured(indicator, period, *, target, value):
    """The target (text or None) of ``indicator`` in ``period`` and its approved value."""
    if target is not None:
        factories.TargetFactory(indicator=indicator, period=period, value=Decimal(target))
    if value is not None:
        factories.MeasurementFactory(
            indicator=indicator, period=period, value=Decimal(value), status=ReviewStatus.APPROVED
        )


def first_quarters(plan, count=2):
    """The first ``count`` quarters of 2026 as periods of ``plan``, labelled T1, T2, …, each
    ending on day 28 of its last month."""
    return [
        factories.PeriodFactory(
            plan=plan,
            label=f"T{q}",
            start_date=datetime.date(2026, 3 * q - 2, 1),
            end_date=datetime.date(2026, 3 * q, 28),
        )
        for q in range(1, count + 1)
    ]


def build_plan(n_actions, *, actions_per_goal=10, periods=2):
    """A plan with ``n_actions`` actions built with bulk_create, with data in every table
    the traceability layer and the roll-ups read: two objectives (one archived goal and
    one archived action among them), policies, Decreto 612 tags, indicators with targets,
    allocations with modifications (+ 500 − 200) and executions, and approved progress
    reports. Every third action has a product quantity target (4 capacitaciones) and its
    reports the quantity that gives their progress."""
    plan = factories.PlanFactory(name=f"Plan grande {n_actions}")
    user = factories.UserFactory()
    unit = factories.UnitFactory()
    source = FundingSource.objects.get(code="RP")
    plan_periods = first_quarters(plan, periods)
    objectives = [
        factories.ObjectiveFactory(
            plan=plan, code=f"O{i}", weight=Decimal("50"), policies=[factories.policy("P03")]
        )
        for i in (1, 2)
    ]
    n_goals = max(1, -(-n_actions // actions_per_goal))
    goals = Goal.objects.bulk_create(
        Goal(
            objective=objectives[i % 2],
            code=f"M{i}",
            name=f"Meta {i}",
            weight=Decimal("10"),
            unit=unit,
            position=i,
            archived=i == 1,
        )
        for i in range(n_goals)
    )
    actions = Action.objects.bulk_create(
        Action(
            goal=goals[i % n_goals],
            code=f"A{i}",
            name=f"Actividad {i}",
            unit=unit if i % 7 else None,
            start_date=datetime.date(2026, 2, 1),
            end_date=datetime.date(2026, 11, 30),
            weight=Decimal(i % 5),
            quantity_target=QUANTITY_TARGET if i % 3 == 0 else None,
            quantity_unit="capacitaciones" if i % 3 == 0 else "",
            position=i,
            archived=i == 2,
        )
        for i in range(n_actions)
    )
    tags = list(InstitutionalPlan.objects.filter(code__in=["PETI", "PAV"]).order_by("code"))
    Action.institutional_plans.through.objects.bulk_create(
        Action.institutional_plans.through(action=a, institutionalplan=tags[i % 2])
        for i, a in enumerate(actions)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"IND-{i}",
            name=f"Indicador {i}",
            goal=goal,
            type=Indicator.Type.EFFICACY,
            level=Indicator.Level.PRODUCT,
            formula="E / P",
            measurement_unit="Número",
            accumulation=Indicator.Accumulation.FLOW,
            polarity=Indicator.Polarity.INCREASING,
            frequency=Indicator.Frequency.QUARTERLY,
            unit=unit,
        )
        for i, goal in enumerate(goals)
    )
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(indicator=indicator, period=plan_periods[0], value=Decimal("5"))
        for indicator in indicators
    )
    allocations = BudgetAllocation.objects.bulk_create(
        BudgetAllocation(
            action=a,
            source=source,
            year=2026,
            rubro=f"R{i}",
            appropriation=Decimal("1000") * (i % 3),
        )
        for i, a in enumerate(actions)
        if i % 4
    )
    BudgetExecution.objects.bulk_create(
        BudgetExecution(
            allocation=allocation,
            stage=stage,
            amount=amount,
            date=datetime.date(2026, 3, 1),
            document_number=f"D{i}-{stage}",
        )
        for i, allocation in enumerate(allocations)
        for stage, amount in [
            ("cdp", Decimal("900")),
            ("commitment", Decimal("800")),
            ("commitment", Decimal("-100")),
            ("payment", Decimal("300")),
        ]
    )
    BudgetModification.objects.bulk_create(
        BudgetModification(
            allocation=allocation,
            kind=kind,
            amount=amount,
            date=datetime.date(2026, 2, 15),
            act_number=f"Decreto {i}-{kind}",
            reason="Traslado",
        )
        for i, allocation in enumerate(allocations)
        for kind, amount in [("addition", Decimal("500")), ("counter_credit", Decimal("200"))]
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            action=a,
            period=period,
            progress=Decimal(10 * (i % 10)),
            # 10·(i % 10) % of 4 capacitaciones
            quantity=QUANTITY_TARGET * (i % 10) / 10 if a.quantity_target else None,
            quantity_target=a.quantity_target,
            status=ReviewStatus.APPROVED if i % 3 else ReviewStatus.SUBMITTED,
            created_by=user,
        )
        for i, a in enumerate(actions)
        for period in plan_periods
    )
    return plan


class Scenario:
    """A draft plan with one objective → goal → action of `unit`, a period, an indicator of
    `unit` with a target, and an approved plan (what anonymous clients see)."""

    def __init__(self, unit):
        self.plan = factories.PlanFactory(name="Plan de Acción 2026")
        self.objective = factories.ObjectiveFactory(plan=self.plan, code="O1", weight=Decimal("60"))
        self.goal = factories.GoalFactory(
            objective=self.objective, code="M1", unit=unit, weight=Decimal("50")
        )
        self.action = factories.ActionFactory(goal=self.goal, code="A1", weight=Decimal("40"))
        self.period = factories.PeriodFactory(
            plan=self.plan,
            label="T1 2026",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 3, 31),
        )
        self.indicator = factories.IndicatorFactory(goal=self.goal, code="IND-1")
        self.target = factories.TargetFactory(
            indicator=self.indicator, period=self.period, value=Decimal("10")
        )
        self.public_plan = factories.PlanFactory(
            name="Plan aprobado", status=StrategicPlan.Status.APPROVED
        )

    def measurement(self, *, status=ReviewStatus.DRAFT, by=None, **kwargs):
        fields = {"indicator": self.indicator, **_authored(status, by)}
        return factories.MeasurementFactory(**fields, period=self.period, **kwargs)

    def report(self, *, status=ReviewStatus.DRAFT, by=None, **kwargs):
        fields = {"action": self.action, **_authored(status, by)}
        return factories.ProgressReportFactory(**fields, period=self.period, **kwargs)


def _authored(status, by):
    """Status, author and (once sent) submitter of a reported figure."""
    fields = {"status": status}
    if by is not None:
        fields["created_by"] = by
        if status != ReviewStatus.DRAFT:
            fields["submitted_by"] = by
    return fields


PDF = b"%PDF-1.4\n% evidencia de prueba\n"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def open_plan(unit, *, code="A1", indicator_code="IND-1", locked=False):
    today = timezone.localdate()
    plan = factories.PlanFactory(
        status=StrategicPlan.Status.APPROVED, start_year=today.year - 1, end_year=today.year + 1
    )
    period = factories.PeriodFactory(
        plan=plan,
        label="Actual",
        start_date=days(-30),
        end_date=days(30),
        due_date=days(40),
        locked=locked,
    )
    action = factories.ActionFactory(
        goal__objective__plan=plan,
        goal__unit=unit,
        code=code,
        name="Capacitar al personal",
        start_date=days(-60),
        end_date=days(200),
    )
    indicator = factories.IndicatorFactory(
        goal=action.goal, code=indicator_code, name="Personas capacitadas", unit=unit
    )
    factories.TargetFactory(indicator=indicator, period=period, value=Decimal("10"))
    return SimpleNamespace(plan=plan, period=period, action=action, indicator=indicator)


def pdf(name="acta.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def zip_bytes(*names):
    """A ZIP container holding ``names`` (an OOXML or OpenDocument file is one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


# A Windows executable's first bytes: what a renamed .exe starts with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(112)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # old Office (.doc, .xls)
XLSX = zip_bytes("[Content_Types].xml", "xl/workbook.xml")
# Real content for every allowed evidence extension (mipg.core.evidence).
EVIDENCE_CONTENT = {
    ".pdf": PDF,
    ".png": b"\x89PNG\r\n\x1a\n" + bytes(24),
    ".jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(16),
    ".jpeg": b"\xff\xd8\xff\xe1\x00\x10Exif\x00" + bytes(16),
    ".xlsx": XLSX,
    ".docx": zip_bytes("[Content_Types].xml", "word/document.xml"),
    ".odt": zip_bytes("mimetype", "content.xml"),
    ".ods": zip_bytes("mimetype", "content.xml"),
    ".zip": zip_bytes("acta.txt"),
    ".xls": OLE,
    ".doc": OLE,
    ".csv": "código;avance\nA1;50\n".encode(),
    ".txt": "Informe de avance: sin novedades.".encode("cp1252"),
}


def upload(name, content=None):
    """An uploaded file named ``name`` with real content of its type (EVIDENCE_CONTENT)."""
    if content is None:
        content = EVIDENCE_CONTENT[name[name.rindex(".") :]]
    return SimpleUploadedFile(name, content)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _submitted(factory, by, fields):
    return factory(
        **{"created_by": by, "status": ReviewStatus.SUBMITTED, "submitted_by": by, **fields}
    )


def submitted_report(data, by, **fields):
    """A progress report on the action and period of `data` (see open_plan), submitted by
    `by`; `fields` override any of them."""
    where = {"action": data.action, "period": data.period}
    return _submitted(factories.ProgressReportFactory, by, where | fields)


def submitted_measurement(data, by, **fields):
    """A measurement of the indicator of `data` (see open_plan) in its period, submitted by
    `by`; `fields` override any of them."""
    where = {"indicator": data.indicator, "period": data.period}
    return _submitted(factories.MeasurementFactory, by, where | fields)


# The first seven columns of the action list and its exports: where the action sits.
ACTION_PATH_HEADERS = [
    "Plan",
    "Código objetivo",
    "Objetivo",
    "Código meta",
    "Meta",
    "Código",
    "Actividad",
]


def semaforo_tally(**counts):
    """The semáforo counts of a plan as the pages and the API give them: `counts` by state
    (verde=1, ...), every other state 0."""
    states = ["verde", "amarillo", "rojo", "sin_meta", "sin_reporte", "sin_linea_base"]
    return {state: counts.get(state, 0) for state in states}


# The end of every refusal of a budget figure that would break the chain of stages.
BUDGET_CHAIN = "debe cumplirse pago ≤ obligación ≤ compromiso ≤ CDP ≤ apropiación definitiva."

LOCKED_PERIOD = "El periodo «Actual» está cerrado y no admite reportes."


def post_in_locked_period(client, user, period, url):
    """Lock `period`, POST to `url` as `user` and return the messages shown after it."""
    period.locked = True
    period.save()
    client.force_login(user)
    return messages_of(client.post(url, follow=True))


def approved(action, period, progress):
    return factories.ProgressReportFactory(
        action=action, period=period, progress=Decimal(progress), status=ReviewStatus.APPROVED
    )


def dashboard_example():
    """The example of mipg.traceability.dashboard's docstring: one objective, goals
    weighted 60 and 40; the first with two actions weighted 50/50 (units A and B), the
    second one action (unit A).
    Periods T1 (Jan–Mar) and T2 (Apr–Jun); programación given for every action."""
    unit_a = factories.UnitFactory(name="Unidad A")
    unit_b = factories.UnitFactory(name="Unidad B")
    plan = factories.PlanFactory(name="Plan del tablero")
    t1 = factories.PeriodFactory(
        plan=plan,
        label="T1",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
    )
    t2 = factories.PeriodFactory(
        plan=plan,
        label="T2",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    p10 = factories.policy("P10")
    objective = factories.ObjectiveFactory(plan=plan, code="O1", policies=[p10])
    g1 = factories.GoalFactory(objective=objective, code="M1", weight=Decimal(60), unit=unit_a)
    g2 = factories.GoalFactory(objective=objective, code="M2", weight=Decimal(40), unit=unit_a)
    pinar = InstitutionalPlan.objects.order_by("order", "pk").first()
    a1 = factories.ActionFactory(goal=g1, code="A1", weight=Decimal(50), unit=unit_a)
    a2 = factories.ActionFactory(
        goal=g1, code="A2", weight=Decimal(50), unit=unit_b, institutional_plans=[pinar]
    )
    a3 = factories.ActionFactory(
        goal=g2, code="A3", weight=Decimal(100), unit=unit_a, end_date=datetime.date(2026, 6, 30)
    )
    for action, planned in ((a1, (50, 100)), (a2, (20, 40)), (a3, (50, 100))):
        for period, value in zip((t1, t2), planned, strict=True):
            action.schedule.create(period=period, planned=Decimal(value))
    approved(a1, t1, 30)
    approved(a1, t2, 80)
    approved(a2, t2, 40)
    approved(a3, t1, 20)
    allocation = factories.AllocationFactory(action=a1, appropriation=Decimal(1_000_000))
    factories.ExecutionFactory(
        allocation=allocation, stage=BudgetExecution.Stage.CDP, amount=Decimal(600_000)
    )
    factories.ExecutionFactory(
        allocation=allocation, stage=BudgetExecution.Stage.COMMITMENT, amount=Decimal(500_000)
    )
    factories.AllocationFactory(action=a3, appropriation=Decimal(3_000_000))
    return {
        "plan": plan,
        "t1": t1,
        "t2": t2,
        "units": (unit_a, unit_b),
        "actions": (a1, a2, a3),
        "policy": p10,
        "pinar": pinar,
    }


def generated_report(example, by, periods=("t1", "t2"), *, title=None):
    """A report of ``dashboard_example()``'s plan over ``periods``, generated (ready)."""
    report = create_report(
        plan=example["plan"],
        periods=[example[p] for p in periods],
        kind=AccountabilityReport.Kind.ACTION_PLAN,
        title=title or f"Seguimiento {'-'.join(periods)}",
        by=by,
    )
    return generate_report(report.pk)
