"""`manage.py seed_demo`: load the demo municipality of `mipg.demo`.

Idempotent: every row is looked up by its stable key (unit code, username, plan name,
objective/goal/action code, period label, document number...) and only written when it is
missing or differs from the data, so a second run changes no counts and adds no history.
Workflow fields are set directly (the services are for interactive use), with fixed dates
inside 2026 so that the demo reads the same whenever it is loaded.
"""

import datetime
from collections import Counter
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from accountability.models import AccountabilityReport
from accountability.services import create_report, generate_report, publish_report
from evaluation.models import Indicator, IndicatorTarget, Measurement
from management.models import (
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    FundingSource,
    ProgressEvidence,
    ProgressReport,
)
from mipg import demo
from mipg.core.models import Entity, InstitutionalPlan, Policy, ReviewStatus, Unit, User
from mipg.core.templatetags.mipg_format import percent
from planning.models import (
    Action,
    ActionRating,
    ActionSchedule,
    Goal,
    Objective,
    ReportingPeriod,
    StrategicPlan,
    quantity_progress,
)

BOGOTA = ZoneInfo("America/Bogota")
CENT = Decimal("0.01")


def _at(day, hour=10):
    """An aware datetime at `hour` o'clock in Bogotá on `day`."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BOGOTA)


def _last_day(year, month):
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


class Seeder:
    """Writes the demo rows and counts what it created and changed."""

    def __init__(self):
        self.created = Counter()
        self.updated = Counter()
        self.deleted = Counter()

    def prune(self, queryset):
        """Delete demo rows that the data no longer describes (after an edit of demo.py)."""
        count, _by_model = queryset.delete()
        if count:
            self.deleted[queryset.model._meta.verbose_name_plural] += count

    def upsert(self, model, lookup, values=None):
        """Get the row matching `lookup`; create it or update the fields in `values` that
        differ. Saves (after full_clean) only when something changed."""
        values = values or {}
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.created[model._meta.verbose_name_plural] += 1
            return obj
        changed = False
        for name, value in values.items():
            field = model._meta.get_field(name)
            if field.is_relation:
                current, new = getattr(obj, field.attname), getattr(value, "pk", value)
            else:
                current, new = getattr(obj, name), value
            if current != new:
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.full_clean()
            obj.save()
            self.updated[model._meta.verbose_name_plural] += 1
        return obj

    # --- organisation -----------------------------------------------------------------

    def entity(self):
        entity = Entity.current()
        wanted = {"name": demo.ENTITY_NAME, "nit": demo.ENTITY_NIT, **demo.ENTITY_IDENTITY}
        if any(getattr(entity, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(entity, field, value)
            entity.full_clean()
            entity.save()
            self.updated[Entity._meta.verbose_name_plural] += 1
        return entity

    def units(self):
        units = {}
        for code, name, parent in demo.UNITS:
            units[code] = self.upsert(
                Unit,
                {"code": code},
                {"name": name, "parent": units.get(parent), "active": True},
            )
        return units

    def users(self, units):
        """The demo logins. The password is reset on every run (one hash for all)."""
        groups = {g.name: g for g in Group.objects.all()}
        password = make_password(demo.PASSWORD)
        users = {}
        for spec in demo.USERS + demo.LIAISONS:
            user = User.objects.filter(username=spec.username).first()
            if user is None:
                user = User(username=spec.username)
                self.created[User._meta.verbose_name_plural] += 1
            user.first_name, user.last_name, user.email = (
                spec.first_name,
                spec.last_name,
                spec.email,
            )
            user.is_staff, user.is_superuser, user.is_active = (
                spec.is_staff,
                spec.is_superuser,
                True,
            )
            user.password = password
            user.save()
            user.groups.set([groups[spec.role]])
            user.units.set([units[code] for code in spec.units])
            users[spec.username] = user
        return users

    # --- planning ---------------------------------------------------------------------

    def plan(self, data, *, kind, parent, approver):
        return self.upsert(
            StrategicPlan,
            {"name": data["name"], "kind": kind},
            {
                "description": data["description"],
                "start_year": data["start_year"],
                "end_year": data["end_year"],
                "status": StrategicPlan.Status.APPROVED,
                "parent": parent,
                "approved_by": approver,
                "approved_at": _at(datetime.date(*data["approved_at"]), 16),
            },
        )

    def objective(self, plan, position, code, name, weight, policy_codes, policies, serves=None):
        objective = self.upsert(
            Objective,
            {"plan": plan, "code": code},
            {"name": name, "weight": Decimal(weight), "position": position, "serves": serves},
        )
        objective.policies.set([policies[c] for c in policy_codes])
        return objective

    def action_plan(self, plan, units, users, policies, pei_objectives):
        """Objectives (each serving its objective of the PEI, `pei_objectives` by code),
        goals and actions: {code: objective}, {code: goal} and the (action, spec) pairs in
        plan order."""
        institutional_plans = {p.code: p for p in InstitutionalPlan.objects.all()}
        objectives, goals, actions = {}, {}, []
        for o_pos, o_spec in enumerate(demo.OBJECTIVES, start=1):
            objective = self.objective(
                plan,
                o_pos,
                o_spec.code,
                o_spec.name,
                o_spec.weight,
                o_spec.policies,
                policies,
                serves=pei_objectives[demo.ALIGNMENT[o_spec.code]],
            )
            objectives[o_spec.code] = objective
            for g_pos, g_spec in enumerate(o_spec.goals, start=1):
                goal = self.upsert(
                    Goal,
                    {"objective": objective, "code": g_spec.code},
                    {
                        "name": g_spec.name,
                        "product": g_spec.product,
                        "weight": Decimal(g_spec.weight),
                        "unit": units[g_spec.unit],
                        "position": g_pos,
                    },
                )
                goals[g_spec.code] = goal
                for a_pos, a_spec in enumerate(g_spec.actions, start=1):
                    start_month, end_month = a_spec.months
                    target, quantity_unit = demo.QUANTITY_TARGETS.get(a_spec.code, (None, ""))
                    action = self.upsert(
                        Action,
                        {"goal": goal, "code": a_spec.code},
                        {
                            "name": a_spec.name,
                            "deliverable": a_spec.deliverable,
                            "unit": units[a_spec.unit],
                            "responsible": users[demo.REPORTER_BY_UNIT[a_spec.unit]],
                            "start_date": datetime.date(demo.YEAR, start_month, 1),
                            "end_date": _last_day(demo.YEAR, end_month),
                            "weight": Decimal(a_spec.weight),
                            "quantity_target": Decimal(target) if target else None,
                            "quantity_unit": quantity_unit,
                            "position": a_pos,
                        },
                    )
                    action.institutional_plans.set([institutional_plans[c] for c in a_spec.plans])
                    actions.append((action, a_spec))
        return objectives, goals, actions

    def periods(self, plan):
        periods = {}
        for label, start, end, locked in demo.PERIODS:
            end_date = datetime.date(demo.YEAR, *end)
            periods[label] = self.upsert(
                ReportingPeriod,
                {"plan": plan, "label": label},
                {
                    "start_date": datetime.date(demo.YEAR, *start),
                    "end_date": end_date,
                    "due_date": end_date + datetime.timedelta(days=demo.DUE_DAYS_AFTER_END),
                    "locked": locked,
                },
            )
        return periods

    # --- management -------------------------------------------------------------------

    def budget(self, actions, recorder):
        sources = {s.code: s for s in FundingSource.objects.all()}
        numbers = Counter()
        bpin_sequence = 0
        for action, spec in actions:
            for item in spec.budget:
                bpin = ""
                if item.investment:
                    bpin_sequence += 1
                    bpin = f"{demo.YEAR}{demo.DANE_CODE}{bpin_sequence:04d}"
                allocation = self.upsert(
                    BudgetAllocation,
                    {
                        "action": action,
                        "source": sources[item.source],
                        "year": demo.YEAR,
                        "rubro": item.rubro,
                    },
                    {"bpin": bpin, "appropriation": Decimal(item.amount)},
                )
                self.executions(allocation, item, numbers, recorder)
                self.modifications(allocation, item, recorder)

    def modifications(self, allocation, item, recorder):
        """The allocation's modifications (adiciones, traslados), keyed by act number."""
        for change in item.changes:
            self.upsert(
                BudgetModification,
                {"allocation": allocation, "act_number": change.act_number},
                {
                    "kind": change.kind,
                    "amount": Decimal(change.amount),
                    "date": datetime.date(demo.YEAR, *change.date),
                    "reason": change.reason,
                    "created_by": recorder,
                },
            )
        acts = [change.act_number for change in item.changes]
        self.prune(allocation.budget_modifications.exclude(act_number__in=acts))

    def executions(self, allocation, item, numbers, recorder):
        """Entries of one allocation following its profile; amounts are the differences
        between rounded cumulative targets, so the stage invariant holds exactly.

        Document numbers run in data order, so they shift when demo.py gains an entry:
        entries of the allocation with any other number are removed."""
        cumulative, expected = Counter(), []
        for stage, fraction, (month, day), description in demo.EXECUTION_PROFILES[item.profile]:
            target = (allocation.appropriation * Decimal(fraction)).quantize(Decimal("1"))
            amount = target - cumulative[stage]
            cumulative[stage] = target
            numbers[stage] += 1
            number = f"{demo.DOCUMENT_PREFIX[stage]}-{demo.YEAR}-{numbers[stage]:04d}"
            expected.append(number)
            self.upsert(
                BudgetExecution,
                {"allocation": allocation, "document_number": number},
                {
                    "stage": stage,
                    "amount": amount,
                    "date": datetime.date(demo.YEAR, month, day),
                    "description": description,
                    "created_by": recorder,
                },
            )
        self.prune(allocation.executions.exclude(document_number__in=expected))

    def schedules(self, actions, periods):
        """The programación of the actions listed in demo.SCHEDULES (T1–T4 in order)."""
        ordered = sorted(periods.values(), key=lambda period: period.start_date)
        for action, spec in actions:
            planned = demo.SCHEDULES.get(spec.code)
            if planned is None:
                self.prune(ActionSchedule.objects.filter(action=action))
                continue
            for period, value in zip(ordered, planned, strict=True):
                self.upsert(
                    ActionSchedule,
                    {"action": action, "period": period},
                    {"planned": Decimal(value)},
                )

    def progress(self, actions, periods, users, reviewer):
        """Cumulative progress for every period that has ended or is open (T1–T3)."""
        reported = [p for label, p in periods.items() if not label.startswith("T4")]
        for index, (action, spec) in enumerate(actions):
            factor = Decimal(demo.PERFORMANCE_FACTORS[index % len(demo.PERFORMANCE_FACTORS)])
            last_status = demo.T3_STATUSES[index % len(demo.T3_STATUSES)]
            reporter = users[demo.REPORTER_BY_UNIT[spec.unit]]
            for period in reported:
                if action.start_date > period.end_date:
                    continue  # not started yet: nothing to report
                status = last_status if not period.locked else ReviewStatus.APPROVED
                if status is None:
                    self.prune(ProgressReport.objects.filter(action=action, period=period))
                    continue
                self.report(action, period, index, factor, status, reporter, reviewer)

    def report(self, action, period, index, factor, status, reporter, reviewer):
        duration = (action.end_date - action.start_date).days + 1
        elapsed = min((period.end_date - action.start_date).days + 1, duration)
        progress = min(Decimal(100), (Decimal(elapsed) / duration * factor * 100).quantize(CENT))
        figures = {"progress": progress, "quantity": None, "quantity_target": None}
        if action.quantity_target is not None:
            # whole units delivered so far; the progress is then the one they give
            target = action.quantity_target
            delivered = (progress * target / 100).to_integral_value(rounding=ROUND_DOWN)
            progress = quantity_progress(delivered, target)
            figures = {"progress": progress, "quantity": delivered, "quantity_target": target}
        submitted_at = _at(period.end_date + datetime.timedelta(days=3 + index % 5))
        reviewed_at = submitted_at + datetime.timedelta(days=2, hours=3)
        values = {
            **figures,
            "status": status,
            "narrative": _narrative(action, progress),
            **_review_fields(status, reporter, reviewer, submitted_at, reviewed_at),
        }
        if status == ReviewStatus.RETURNED:
            values["review_comment"] = demo.RETURN_COMMENTS[index % len(demo.RETURN_COMMENTS)]
        elif status == ReviewStatus.APPROVED and period.label.startswith("T2") and index % 9 == 0:
            values["review_comment"] = demo.APPROVAL_COMMENT
        report = self.upsert(ProgressReport, {"action": action, "period": period}, values)
        if status != ReviewStatus.DRAFT:
            self.evidence(report, reporter)

    def evidence(self, report, reporter):
        """One evidence file (a short PDF) on a report that was sent to review: evidence is
        required to submit (Entity.evidence_required_to_submit, on by default)."""
        if report.evidence.exists():
            return
        name = f"acta-{report.action.code}-{report.period.label}.pdf".replace(" ", "-")
        content = b"%PDF-1.4\n% Acta de seguimiento (datos de demostracion)\n"
        evidence = ProgressEvidence(
            report=report, original_name=name, size=len(content), uploaded_by=reporter
        )
        evidence.file.save(name, ContentFile(content), save=False)
        evidence.full_clean()
        evidence.save()
        self.created[ProgressEvidence._meta.verbose_name_plural] += 1

    # --- evaluation -------------------------------------------------------------------

    def indicators(self, objectives, goals, units, users, periods, reviewer):
        for spec in demo.INDICATORS:
            goal = goals.get(spec.measures)
            objective = objectives.get(spec.measures) if goal is None else None
            reporter = users[demo.REPORTER_BY_UNIT[spec.unit]]
            baseline_value, baseline_date = spec.baseline
            red, green = spec.semaforo
            indicator = self.upsert(
                Indicator,
                {"code": spec.code, "goal": goal, "objective": objective},
                {
                    "name": spec.name,
                    "type": spec.type,
                    "level": spec.level,
                    "formula": spec.formula,
                    "numerator_description": spec.numerator,
                    "denominator_description": spec.denominator,
                    "measurement_unit": spec.measurement_unit,
                    "accumulation": spec.accumulation,
                    "polarity": spec.polarity,
                    "baseline_value": Decimal(baseline_value),
                    "baseline_date": datetime.date(*baseline_date),
                    "frequency": spec.frequency,
                    "data_source": spec.data_source,
                    "unit": units[spec.unit],
                    "responsible": reporter,
                    "semaforo_red_below": Decimal(red) if red else None,
                    "semaforo_green_from": Decimal(green) if green else None,
                    "notes": spec.notes,
                },
            )
            for label, value in spec.targets.items():
                self.upsert(
                    IndicatorTarget,
                    {"indicator": indicator, "period": periods[label]},
                    {"value": Decimal(value)},
                )
            for index, (label, figures) in enumerate(spec.measurements.items()):
                self.measurement(indicator, periods[label], figures, index, reporter, reviewer)

    def measurement(self, indicator, period, figures, index, reporter, reviewer):
        value, numerator, denominator, status = figures
        numerator = Decimal(numerator) if numerator else None
        denominator = Decimal(denominator) if denominator else None
        if value is None:
            value = (numerator / denominator * 100).quantize(CENT)
        submitted_at = _at(period.end_date + datetime.timedelta(days=4 + index))
        values = {
            "value": Decimal(value),
            "numerator": numerator,
            "denominator": denominator,
            "status": status,
            "narrative": f"Medición de {period.label}. Fuente: {indicator.data_source}.",
            **_review_fields(
                status, reporter, reviewer, submitted_at, submitted_at + datetime.timedelta(1)
            ),
        }
        if status == ReviewStatus.RETURNED:
            values["review_comment"] = (
                "El valor no coincide con el soporte adjunto. Cargue el reporte de la fuente "
                "de datos del periodo y corrija la cifra."
            )
        self.upsert(Measurement, {"indicator": indicator, "period": period}, values)

    def ratings(self, actions, auditor):
        by_code = {action.code: action for action, _spec in actions}
        for code, rating, comment in demo.RATINGS:
            self.upsert(
                ActionRating,
                {"action": by_code[code], "year": demo.YEAR, "semester": 1},
                {"rating": rating, "comment": comment, "rated_by": auditor},
            )

    # --- everything -------------------------------------------------------------------

    @transaction.atomic
    def run(self):
        entity = self.entity()
        units = self.units()
        users = self.users(units)
        policies = {p.code: p for p in Policy.objects.all()}
        director, planner = users["directivo"], users["planeacion"]

        pei = self.plan(demo.PEI, kind=StrategicPlan.Kind.PEI, parent=None, approver=director)
        pei_objectives = {
            code: self.objective(pei, position, code, name, weight, policy_codes, policies)
            for position, (code, name, weight, policy_codes) in enumerate(demo.PEI_OBJECTIVES, 1)
        }

        plan = self.plan(
            demo.ACTION_PLAN, kind=StrategicPlan.Kind.ACTION, parent=pei, approver=director
        )
        objectives, goals, actions = self.action_plan(plan, units, users, policies, pei_objectives)
        periods = self.periods(plan)
        self.schedules(actions, periods)
        self.budget(actions, recorder=users["enlace.hacienda"])
        self.progress(actions, periods, users, reviewer=planner)
        self.indicators(objectives, goals, units, users, periods, reviewer=planner)
        self.ratings(actions, auditor=users["control"])
        self.accountability_report(plan, periods, planner)
        return entity, plan

    def accountability_report(self, plan, periods, planner):
        """The published report of a past quarter, generated and published by the same
        services as any report; once there it is never regenerated (published content
        never changes)."""
        spec = demo.PUBLISHED_REPORT
        if AccountabilityReport.objects.filter(plan=plan, title=spec["title"]).exists():
            return
        report = create_report(
            plan=plan,
            periods=[periods[label] for label in spec["periods"]],
            kind=spec["kind"],
            title=spec["title"],
            by=planner,
        )
        publish_report(generate_report(report.pk), by=planner)
        self.created[AccountabilityReport._meta.verbose_name_plural] += 1


def _review_fields(status, reporter, reviewer, submitted_at, reviewed_at):
    """The author and review fields of a demo figure (progress report or measurement) in
    ``status``: sent and reviewed only as far as the status says."""
    fields = {
        "created_by": reporter,
        "submitted_by": None,
        "submitted_at": None,
        "reviewed_by": None,
        "reviewed_at": None,
        "review_comment": "",
    }
    if status != ReviewStatus.DRAFT:
        fields.update(submitted_by=reporter, submitted_at=submitted_at)
    if status in (ReviewStatus.APPROVED, ReviewStatus.RETURNED):
        fields.update(reviewed_by=reviewer, reviewed_at=reviewed_at)
    return fields


def _narrative(action, progress):
    if progress >= 100:
        return f"Actividad terminada. Entregable: {action.deliverable}."
    if progress == 0:
        return "La actividad inició en el periodo; aún no hay avance medible."
    return (
        f"Avance acumulado del {percent(progress)} hacia el entregable: "
        f"{action.deliverable[0].lower()}{action.deliverable[1:]}."
    )


class Command(BaseCommand):
    help = (
        "Carga los datos de demostración de un municipio ficticio (Alcaldía de San Rafael "
        "del Río): dependencias, planes, presupuesto, avances, indicadores y un usuario por "
        "rol. Se puede ejecutar varias veces sin duplicar datos."
    )

    def handle(self, *args, **options):
        seeder = Seeder()
        entity, plan = seeder.run()
        self.stdout.write(self.style.SUCCESS(f"Datos de demostración listos: {entity.name}."))
        self.stdout.write(_summary("Creados", seeder.created))
        self.stdout.write(_summary("Actualizados", seeder.updated))
        if seeder.deleted:
            self.stdout.write(_summary("Eliminados", seeder.deleted))
        self.stdout.write(f"\nPlan de acción: {plan}\n")
        self.stdout.write(_logins_table())


def _summary(title, counter):
    if not counter:
        return f"{title}: ninguno."
    items = ", ".join(f"{count} {name}" for name, count in sorted(counter.items()))
    return f"{title}: {items}."


def _logins_table():
    units = {code: name for code, name, _parent in demo.UNITS}
    rows = [("Usuario", "Contraseña", "Rol", "Dependencias")]
    for spec in demo.USERS + demo.LIAISONS:
        rows.append(
            (
                spec.username,
                demo.PASSWORD,
                spec.role + (" (superusuario)" if spec.is_superuser else ""),
                ", ".join(units[c] for c in spec.units) or "—",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["Usuarios de demostración:"]
    for i, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        cells.append(row[3])
        lines.append("  " + "  ".join(cells))
        if i == 0:
            lines.append("  " + "  ".join("-" * width for width in [*widths, 12]))
    return "\n".join(lines)
