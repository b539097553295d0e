"""`manage.py seed_scale --actions N`: a large action plan for benchmarks.

Every relation is filled (objectives with policies, goals, actions with Decreto 612 tags,
four quarterly periods, programación for every other action, allocations with executions,
progress reports in every workflow state, indicators measuring goals and objectives with
targets and measurements, control interno ratings) using bulk_create, so N = 5000 takes
seconds. bulk_create bypasses save() and signals: no history rows are written for these
objects.

Each run creates a new plan. Units and the three scale users are shared between runs.
"""

import datetime
import math
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from evaluation.models import Indicator, IndicatorTarget, Measurement
from management.models import BudgetAllocation, BudgetExecution, FundingSource, ProgressReport
from mipg.core import roles
from mipg.core.models import InstitutionalPlan, Policy, ReviewStatus, Unit, User
from planning.models import (
    Action,
    ActionRating,
    ActionSchedule,
    Goal,
    Objective,
    ReportingPeriod,
    StrategicPlan,
    default_planned,
)

BOGOTA = ZoneInfo("America/Bogota")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")

ACTIONS_PER_GOAL = 10
GOALS_PER_OBJECTIVE = 10
MAX_OBJECTIVES = 10
UNIT_COUNT = 12

OBJECTIVE_NAMES = [
    "Fortalecer la capacidad institucional",
    "Mejorar la eficiencia fiscal",
    "Ampliar la cobertura educativa",
    "Mejorar la salud pública",
    "Transformar digitalmente la entidad",
    "Promover la participación ciudadana",
    "Mejorar la infraestructura municipal",
    "Fortalecer la seguridad y la convivencia",
    "Proteger el ambiente y gestionar el riesgo",
    "Fortalecer el control y la evaluación",
]
ACTION_VERBS = [
    "Realizar jornadas de",
    "Contratar el servicio de",
    "Formular el plan de",
    "Hacer seguimiento a",
    "Implementar la estrategia de",
    "Capacitar a los servidores en",
    "Actualizar el procedimiento de",
    "Publicar el informe de",
]
ACTION_TOPICS = [
    "atención al ciudadano",
    "gestión documental",
    "alimentación escolar",
    "vacunación",
    "seguridad digital",
    "recaudo tributario",
    "mantenimiento vial",
    "participación ciudadana",
    "gestión del riesgo",
    "control interno",
    "contratación pública",
    "talento humano",
]
SOURCES = ["RP", "SGP", "SGR", "PGN", "COF"]
RUBROS = [
    "2.1.2.02.02.008",
    "2.1.2.02.02.009",
    "2.3.2201.0700.2201028",
    "2.3.1905.1300.1905021",
    "2.3.4599.1000.4599017",
    "2.3.2302.1000.2302043",
]
# Cumulative fractions of the appropriation: (CDP, compromiso, obligación, pago).
EXECUTION_PROFILES = [
    ("1.00", "0.92", "0.70", "0.60"),
    ("0.85", "0.75", "0.40", "0.35"),
    ("0.60", "0.50", "0.20", "0.00"),
    ("0.40", "0.00", "0.00", "0.00"),
]
EXECUTION_DATES = {"cdp": (2, 15), "commitment": (3, 20), "obligation": (7, 15), "payment": (8, 1)}
PREFIX = {"cdp": "CDP", "commitment": "RP", "obligation": "OB", "payment": "CE"}
FACTORS = [Decimal(f) for f in ("1.00", "0.90", "1.10", "0.70", "0.95", "0.50")]
# Shapes of the programación over an action's dates, cycled: planned = 100 × elapsed^shape
# (elapsed: the spread by dates at the period's end, ÷ 100), early, even or late.
SCHEDULE_SHAPES = [Decimal("0.5"), Decimal("1"), Decimal("2")]
# Status of the open period's (T3) report, cycled; mostly approved.
T3_STATUSES = [
    ReviewStatus.APPROVED,
    ReviewStatus.APPROVED,
    ReviewStatus.SUBMITTED,
    ReviewStatus.APPROVED,
    ReviewStatus.APPROVED,
    ReviewStatus.RETURNED,
    ReviewStatus.APPROVED,
    ReviewStatus.APPROVED,
    ReviewStatus.DRAFT,
    ReviewStatus.APPROVED,
]
# (type, level, accumulation, polarity, unit of measure), cycled over the indicators.
INDICATOR_KINDS = [
    ("efficacy", "product", "flow", "increasing", "Número"),
    ("efficacy", "process", "cumulative", "increasing", "%"),
    ("effectiveness", "result", "stock", "increasing", "%"),
    ("efficiency", "process", "capacity", "maintenance", "%"),
    ("effectiveness", "result", "reduction", "decreasing", "Tasa por 1.000"),
    ("efficiency", "input", "stock", "decreasing", "%"),
    ("effectiveness", "impact", "stock", "increasing", "Puntos"),
]


def split(total, parts):
    """`total` items in `parts` groups whose sizes differ by at most one."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def weights(count):
    """`count` equal weights with two decimals summing to 100 (remainder on the last)."""
    each = (HUNDRED / count).quantize(CENT, rounding="ROUND_DOWN")
    return [each] * (count - 1) + [HUNDRED - each * (count - 1)]


def last_day(year, month):
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BOGOTA)


class ScalePlanBuilder:
    def __init__(self, *, actions, name, year, batch_size):
        self.n_actions = actions
        self.name = name
        self.year = year
        self.batch_size = batch_size
        self.counts = {}

    def bulk(self, model, objs):
        created = model.objects.bulk_create(objs, batch_size=self.batch_size)
        label = str(model._meta.verbose_name_plural)
        self.counts[label] = self.counts.get(label, 0) + len(created)
        return created

    # --- shared fixtures --------------------------------------------------------------

    def units(self):
        existing = {u.code: u for u in Unit.objects.filter(code__startswith="ESC-")}
        missing = [
            Unit(code=f"ESC-{i:02d}", name=f"Dependencia de escala {i:02d}")
            for i in range(1, UNIT_COUNT + 1)
            if f"ESC-{i:02d}" not in existing
        ]
        Unit.objects.bulk_create(missing)
        return list(Unit.objects.filter(code__startswith="ESC-").order_by("code")[:UNIT_COUNT])

    def user(self, username, role, units=()):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name="Usuario", last_name="de escala")
            user.set_unusable_password()
            user.save()
            user.groups.set(Group.objects.filter(name=role))
        if units:
            user.units.add(*units)
        return user

    # --- the plan ---------------------------------------------------------------------

    @transaction.atomic
    def build(self):
        units = self.units()
        reporter = self.user("escala.responsable", roles.RESPONSABLE, units)
        reviewer = self.user("escala.planeacion", roles.PLANEACION)
        auditor = self.user("escala.control", roles.CONTROL_INTERNO)

        plan = StrategicPlan.objects.create(
            name=self.name,
            kind=StrategicPlan.Kind.ACTION,
            description=f"Plan sintético de {self.n_actions} actividades para pruebas de carga.",
            start_year=self.year,
            end_year=self.year,
            status=StrategicPlan.Status.APPROVED,
            approved_by=reviewer,
            approved_at=timezone.now(),
        )
        self.counts[str(StrategicPlan._meta.verbose_name_plural)] = 1
        periods = self.periods(plan)
        objectives, goals = self.structure(plan, units)
        actions = self.actions(goals, reporter)
        self.budget(actions, reviewer)
        self.schedule(actions, periods)
        self.progress(actions, periods, reporter, reviewer)
        self.indicators(plan, objectives, goals, periods, reporter, reviewer)
        self.bulk(
            ActionRating,
            [
                ActionRating(
                    action=action,
                    year=self.year,
                    semester=1,
                    rating=ActionRating.Rating.values[i % 3],
                    comment="Calificación sintética de control interno.",
                    rated_by=auditor,
                )
                for i, action in enumerate(actions[::20])
            ],
        )
        return plan

    def periods(self, plan):
        quarters = [
            ("T1", (1, 1), (3, 31)),
            ("T2", (4, 1), (6, 30)),
            ("T3", (7, 1), (9, 30)),
            ("T4", (10, 1), (12, 31)),
        ]
        periods = []
        for position, (label, start, end) in enumerate(quarters):
            end_date = datetime.date(self.year, *end)
            periods.append(
                ReportingPeriod(
                    plan=plan,
                    label=f"{label} {self.year}",
                    start_date=datetime.date(self.year, *start),
                    end_date=end_date,
                    due_date=end_date + datetime.timedelta(days=10),
                    locked=position < 2,
                )
            )
        return self.bulk(ReportingPeriod, periods)

    def structure(self, plan, units):
        n_goals = math.ceil(self.n_actions / ACTIONS_PER_GOAL)
        n_objectives = min(MAX_OBJECTIVES, math.ceil(n_goals / GOALS_PER_OBJECTIVE))
        objectives = self.bulk(
            Objective,
            [
                Objective(
                    plan=plan,
                    code=f"OE{o + 1}",
                    name=OBJECTIVE_NAMES[o % len(OBJECTIVE_NAMES)],
                    weight=weight,
                    position=o + 1,
                )
                for o, weight in enumerate(weights(n_objectives))
            ],
        )
        policies = list(Policy.objects.order_by("code"))
        through = Objective.policies.through
        self.bulk(
            through,
            [
                through(objective_id=objective.pk, policy_id=policies[(o + k) % len(policies)].pk)
                for o, objective in enumerate(objectives)
                for k in (0, 7)
            ],
        )
        goals = []
        for objective, size in zip(objectives, split(n_goals, n_objectives), strict=True):
            for g, weight in enumerate(weights(size)):
                index = len(goals)
                goals.append(
                    Goal(
                        objective=objective,
                        code=f"M{objective.position}.{g + 1}",
                        name=f"Meta {index + 1}: {ACTION_TOPICS[index % len(ACTION_TOPICS)]}",
                        product=f"Producto de la meta {index + 1}",
                        weight=weight,
                        unit=units[index % len(units)],
                        position=g + 1,
                    )
                )
        return objectives, self.bulk(Goal, goals)

    def actions(self, goals, reporter):
        actions = []
        for goal, size in zip(goals, split(self.n_actions, len(goals)), strict=True):
            for a, weight in enumerate(weights(size)):
                k = len(actions) + 1
                verb = ACTION_VERBS[k % len(ACTION_VERBS)]
                topic = ACTION_TOPICS[(k // len(ACTION_VERBS)) % len(ACTION_TOPICS)]
                actions.append(
                    Action(
                        goal=goal,
                        code=f"A{k:05d}",
                        name=f"{verb} {topic} ({k})",
                        deliverable=f"Entregable de la actividad {k}",
                        unit=goal.unit,
                        responsible=reporter,
                        start_date=datetime.date(self.year, 1 + k % 6, 1),
                        end_date=last_day(self.year, 7 + k % 6),
                        weight=weight,
                        position=a + 1,
                    )
                )
        actions = self.bulk(Action, actions)
        tags = list(InstitutionalPlan.objects.order_by("order"))
        through = Action.institutional_plans.through
        self.bulk(
            through,
            [
                through(action_id=action.pk, institutionalplan_id=tags[k % len(tags)].pk)
                for k, action in enumerate(actions)
                if k % 3 == 0
            ],
        )
        return actions

    def budget(self, actions, recorder):
        sources = {s.code: s for s in FundingSource.objects.filter(code__in=SOURCES)}
        allocations, profiles = [], []
        for k, action in enumerate(actions):
            if k % 25 == 24:
                continue  # a few actions without budget
            for extra in range(2 if k % 3 == 0 else 1):
                rubro = RUBROS[(k + extra) % len(RUBROS)]
                allocations.append(
                    BudgetAllocation(
                        action=action,
                        source=sources[SOURCES[(k + extra) % len(SOURCES)]],
                        year=self.year,
                        rubro=rubro,
                        bpin=f"{self.year}68999{k:05d}" if rubro.startswith("2.3") else "",
                        appropriation=Decimal((k % 50 + 1) * 5_000_000),
                    )
                )
                profiles.append(EXECUTION_PROFILES[(k + extra) % len(EXECUTION_PROFILES)])
        allocations = self.bulk(BudgetAllocation, allocations)
        executions, number = [], 0
        for allocation, profile in zip(allocations, profiles, strict=True):
            for stage, fraction in zip(PREFIX, profile, strict=True):
                amount = (allocation.appropriation * Decimal(fraction)).quantize(Decimal("1"))
                if not amount:
                    continue
                number += 1
                executions.append(
                    BudgetExecution(
                        allocation=allocation,
                        stage=stage,
                        amount=amount,
                        date=datetime.date(self.year, *EXECUTION_DATES[stage]),
                        document_number=f"{PREFIX[stage]}-{allocation.pk}-{number}",
                        created_by=recorder,
                    )
                )
        self.bulk(BudgetExecution, executions)

    def schedule(self, actions, periods):
        """Programación of every other action at each period (the others keep the spread
        by dates): cumulative, so non-decreasing over the periods, 100 % by its end."""
        rows = []
        for k, action in enumerate(actions):
            if k % 2:
                continue
            shape = SCHEDULE_SHAPES[(k // 2) % len(SCHEDULE_SHAPES)]
            for period in periods:
                # the share of its days gone, as the spread by dates counts them
                fraction = default_planned(action, period.end_date) / HUNDRED
                planned = (HUNDRED * fraction**shape).quantize(CENT)
                rows.append(ActionSchedule(action=action, period=period, planned=planned))
        self.bulk(ActionSchedule, rows)

    def progress(self, actions, periods, reporter, reviewer):
        reports = []
        for k, action in enumerate(actions):
            factor = FACTORS[k % len(FACTORS)]
            duration = (action.end_date - action.start_date).days + 1
            for period in periods[:3]:
                if action.start_date > period.end_date:
                    continue
                status = ReviewStatus.APPROVED if period.locked else T3_STATUSES[k % 10]
                elapsed = min((period.end_date - action.start_date).days + 1, duration)
                progress = min(HUNDRED, (Decimal(elapsed) / duration * factor * 100).quantize(CENT))
                reports.append(
                    self.figure(
                        ProgressReport(action=action, period=period, progress=progress),
                        status,
                        period,
                        reporter,
                        reviewer,
                    )
                )
        self.bulk(ProgressReport, reports)

    def figure(self, obj, status, period, reporter, reviewer):
        """Fill the workflow fields of a progress report or measurement."""
        submitted_at = at(period.end_date + datetime.timedelta(days=5))
        obj.status = status
        obj.narrative = "Avance sintético del periodo."
        obj.created_by = reporter
        if status != ReviewStatus.DRAFT:
            obj.submitted_by, obj.submitted_at = reporter, submitted_at
        if status in (ReviewStatus.APPROVED, ReviewStatus.RETURNED):
            obj.reviewed_by = reviewer
            obj.reviewed_at = submitted_at + datetime.timedelta(days=2)
        if status == ReviewStatus.RETURNED:
            obj.review_comment = "Adjunte la evidencia que soporta la cifra reportada."
        return obj

    def indicators(self, plan, objectives, goals, periods, reporter, reviewer):
        measured = [("goal", g) for g in goals] + [("objective", o) for o in objectives]
        indicators = []
        for i, (kind, target) in enumerate(measured):
            type_, level, accumulation, polarity, measure = INDICATOR_KINDS[
                i % len(INDICATOR_KINDS)
            ]
            unit = target.unit if kind == "goal" else goals[i % len(goals)].unit
            indicators.append(
                Indicator(
                    code=f"IND-{plan.pk}-{i + 1:05d}",
                    plan=plan,
                    name=f"Indicador {i + 1} de {target.code}",
                    goal=target if kind == "goal" else None,
                    objective=target if kind == "objective" else None,
                    type=type_,
                    level=level,
                    formula="(Ejecutado / Programado) × 100",
                    numerator_description="Ejecutado",
                    denominator_description="Programado",
                    measurement_unit=measure,
                    accumulation=accumulation,
                    polarity=polarity,
                    baseline_value=Decimal(50),
                    baseline_date=datetime.date(self.year - 1, 12, 31),
                    frequency=Indicator.Frequency.QUARTERLY,
                    data_source="Fuente sintética",
                    unit=unit,
                    responsible=reporter,
                )
            )
        indicators = self.bulk(Indicator, indicators)
        targets, measurements = [], []
        for i, indicator in enumerate(indicators):
            step = {"decreasing": -2, "maintenance": 0}.get(indicator.polarity, 5)
            for q, period in enumerate(periods):
                planned = Decimal(50 + step * (q + 1))
                targets.append(IndicatorTarget(indicator=indicator, period=period, value=planned))
                if q == 3:
                    continue  # T4 has not ended
                status = ReviewStatus.APPROVED if period.locked else T3_STATUSES[i % 10]
                executed = planned + Decimal((i + q) % 5 - 2)
                measurements.append(
                    self.figure(
                        Measurement(
                            indicator=indicator,
                            period=period,
                            value=executed,
                            numerator=executed,
                            denominator=HUNDRED,
                        ),
                        status,
                        period,
                        reporter,
                        reviewer,
                    )
                )
        self.bulk(IndicatorTarget, targets)
        self.bulk(Measurement, measurements)


class Command(BaseCommand):
    help = (
        "Crea un plan de acción grande y completo para pruebas de rendimiento "
        "(--actions N). Cada ejecución crea un plan nuevo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=1000, help="Número de actividades.")
        parser.add_argument("--plan-name", help="Nombre del plan (por defecto, uno único).")
        parser.add_argument("--year", type=int, default=2026, help="Vigencia del plan.")
        parser.add_argument("--batch-size", type=int, default=1000, help="Filas por INSERT.")

    def handle(self, *args, actions, plan_name, year, batch_size, **options):
        if actions < 1:
            raise CommandError("--actions debe ser al menos 1.")
        if not 2000 <= year <= 2100:
            raise CommandError("--year debe estar entre 2000 y 2100.")
        if plan_name and StrategicPlan.objects.filter(name=plan_name).exists():
            raise CommandError(f"Ya existe un plan llamado «{plan_name}».")
        name = plan_name or self.unique_name(actions, year)

        started = time.monotonic()
        builder = ScalePlanBuilder(actions=actions, name=name, year=year, batch_size=batch_size)
        plan = builder.build()
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Plan «{plan.name}» (id {plan.pk}) creado."))
        for label, count in sorted(builder.counts.items()):
            self.stdout.write(f"  {count:>8}  {label}")
        self.stdout.write(f"Tiempo: {elapsed:.1f} s")

    def unique_name(self, actions, year):
        base = f"Plan de Acción {year} – escala {actions} actividades"
        taken = set(
            StrategicPlan.objects.filter(name__startswith=base).values_list("name", flat=True)
        )
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base} #{n}"
        return name
