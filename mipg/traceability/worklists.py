"""Reads of the reporting workflow: what a Responsable still has to report ("Mis
pendientes"), what Planeación has to review, the overdue items behind the reminders and the
review history of a reported figure.

The workflow covers progress reports (management) and measurements (evaluation) alike, so
these reads live in the shared layer (like the traceability) and look at both apps'
models; they never write. Every function runs a fixed number
of queries whatever the amount of data.

Which items need a report in a period:
- an action: live (neither it nor its goal or objective archived), with a responsible unit,
  started on or before the end of the period;
- an indicator: live and with a target (meta programada) in the period — without a target
  nothing is expected ("sin meta en el periodo").
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.fields import CharField
from django.utils import timezone

from evaluation.models import IndicatorQuerySet, IndicatorTarget, Measurement
from management.models import ProgressReport
from mipg.core.models import ReviewStatus, User
from mipg.core.permissions import unit_ids
from mipg.core.review.workflow import EDITABLE
from planning.models import Action, ReportingPeriod, StrategicPlan

PROGRESS = "progress"
MEASUREMENT = "measurement"
DONE = (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)


@dataclass(frozen=True)
class PendingItem:
    """One action or indicator that needs (or has, in draft or returned) a figure for a
    period. ``figure`` is the ProgressReport or Measurement when one exists."""

    kind: str
    subject: object
    period: ReportingPeriod
    figure: object = None
    today: datetime.date = field(default_factory=timezone.localdate, compare=False)

    @property
    def is_progress(self):
        return self.kind == PROGRESS

    @property
    def due_date(self):
        return self.period.due_date

    @property
    def overdue(self):
        """The due date has passed and nothing has been sent for review."""
        sent = self.figure is not None and self.figure.status in DONE
        return self.due_date is not None and self.due_date < self.today and not sent

    def sort_key(self):
        """Earliest due date first; within a period, actions before indicators."""
        return (
            self.due_date or datetime.date.max,
            self.period.start_date,
            not self.is_progress,
            self.subject.code,
        )


@dataclass(frozen=True)
class Pending:
    """A Responsable's to-do list: items without any figure yet, returned ones (with the
    reviewer's comment) and drafts."""

    to_report: list
    returned: list
    drafts: list
    periods: list

    @property
    def overdue_count(self):
        return sum(item.overdue for item in (*self.to_report, *self.returned, *self.drafts))

    @property
    def is_empty(self):
        return not (self.to_report or self.returned or self.drafts)


# --- periods -------------------------------------------------------------------------


def open_periods(today):
    """Unlocked periods of approved plans that are open for reporting on ``today``: the
    period containing it and, per plan, the most recently ended one."""
    base = ReportingPeriod.objects.filter(
        locked=False, plan__status=StrategicPlan.Status.APPROVED, start_date__lte=today
    )
    latest_end = (
        base.filter(plan=OuterRef("plan"), end_date__lt=today)
        .order_by("-end_date")
        .values("end_date")[:1]
    )
    return (
        base.annotate(latest_end=Subquery(latest_end))
        .filter(Q(end_date__gte=today) | Q(end_date=F("latest_end")))
        .select_related("plan")
        .order_by("end_date", "plan_id", "pk")
    )


# --- queries shared by "Mis pendientes" and the reminders ------------------------------


def _expected(periods, units):
    """(actions × periods, indicator targets) expected in ``periods`` for ``units``
    (``None``: every unit). Two queries."""
    periods = list(periods)
    by_plan = {}
    for period in periods:
        by_plan.setdefault(period.plan_id, []).append(period)
    actions = Action.objects.live().filter(unit__isnull=False, goal__objective__plan_id__in=by_plan)
    targets = IndicatorTarget.objects.filter(period__in=[p.pk for p in periods]).filter(
        IndicatorQuerySet.live_q("indicator__")  # targets of live indicators
    )
    if units is not None:
        actions = actions.filter(unit_id__in=units)
        targets = targets.filter(indicator__unit_id__in=units)
    actions = actions.select_related("unit", "goal__objective").order_by("code", "pk")
    pairs = [
        (action, period)
        for action in actions
        for period in by_plan[action.goal.objective.plan_id]
        if action.start_date <= period.end_date
    ]
    period_by_id = {p.pk: p for p in periods}
    indicator_pairs = [
        (target.indicator, period_by_id[target.period_id])
        for target in targets.select_related("indicator__unit").order_by("indicator__code", "pk")
    ]
    return pairs, indicator_pairs


# --- Mis pendientes ------------------------------------------------------------------


def pending_for_user(user, *, today=None):
    """What ``user`` has to report for the units they belong to. Eight queries."""
    today = today or timezone.localdate()
    units = sorted(unit_ids(user))
    periods = list(open_periods(today))
    period_ids = [p.pk for p in periods]
    action_pairs, indicator_pairs = _expected(periods, units)

    reported = set(
        ProgressReport.objects.filter(
            period_id__in=period_ids, action__unit_id__in=units
        ).values_list("action_id", "period_id")
    )
    measured = set(
        Measurement.objects.filter(
            period_id__in=period_ids, indicator__unit_id__in=units
        ).values_list("indicator_id", "period_id")
    )
    to_report = [
        PendingItem(PROGRESS, action, period, today=today)
        for action, period in action_pairs
        if (action.pk, period.pk) not in reported
    ] + [
        PendingItem(MEASUREMENT, indicator, period, today=today)
        for indicator, period in indicator_pairs
        if (indicator.pk, period.pk) not in measured
    ]

    reports = ProgressReport.objects.filter(
        action__unit_id__in=units, status__in=EDITABLE, period__locked=False
    ).select_related("action__unit", "period__plan", "reviewed_by")
    measurements = Measurement.objects.filter(
        indicator__unit_id__in=units, status__in=EDITABLE, period__locked=False
    ).select_related("indicator__unit", "period__plan", "reviewed_by")
    open_items = [PendingItem(PROGRESS, r.action, r.period, r, today) for r in reports] + [
        PendingItem(MEASUREMENT, m.indicator, m.period, m, today) for m in measurements
    ]
    returned = [i for i in open_items if i.figure.status == ReviewStatus.RETURNED]
    drafts = [i for i in open_items if i.figure.status == ReviewStatus.DRAFT]
    return Pending(
        to_report=sorted(to_report, key=PendingItem.sort_key),
        returned=sorted(returned, key=PendingItem.sort_key),
        drafts=sorted(drafts, key=PendingItem.sort_key),
        periods=periods,
    )


# --- reminders -----------------------------------------------------------------------


def overdue_items_by_user(*, today=None):
    """{user: [PendingItem, ...]} of every active user with an e-mail address who may report
    for a unit with overdue items: an unlocked period of an approved plan whose due date
    has passed, with no submitted or approved figure. Seven queries."""
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.filter(
        locked=False, plan__status=StrategicPlan.Status.APPROVED, due_date__lt=today
    ).select_related("plan")
    periods = list(periods.order_by("due_date", "pk"))
    period_ids = [p.pk for p in periods]
    action_pairs, indicator_pairs = _expected(periods, None)
    figures = {
        (PROGRESS, r.action_id, r.period_id): r
        for r in ProgressReport.objects.filter(period_id__in=period_ids).only(
            "pk", "action_id", "period_id", "status"
        )
    }
    figures.update(
        {
            (MEASUREMENT, m.indicator_id, m.period_id): m
            for m in Measurement.objects.filter(period_id__in=period_ids).only(
                "pk", "indicator_id", "period_id", "status"
            )
        }
    )
    items = [
        PendingItem(kind, subject, period, figures.get((kind, subject.pk, period.pk)), today)
        for kind, pairs in ((PROGRESS, action_pairs), (MEASUREMENT, indicator_pairs))
        for subject, period in pairs
    ]
    items = sorted((i for i in items if i.overdue), key=PendingItem.sort_key)
    if not items:
        return {}

    units = {item.subject.unit_id for item in items}
    reporters = {
        PROGRESS: _reporters(units, "management", "submit_progressreport"),
        MEASUREMENT: _reporters(units, "evaluation", "submit_measurement"),
    }
    users = {}
    result = {}
    for item in items:
        for user in reporters[item.kind].get(item.subject.unit_id, ()):
            users.setdefault(user.pk, user)
            result.setdefault(user.pk, []).append(item)
    return {users[pk]: result[pk] for pk in sorted(result, key=lambda pk: users[pk].username)}


def _reporters(units, app_label, codename):
    """{unit id: [users]} of active members with an e-mail who hold the permission through
    a role, directly, or as superusers. One query."""
    has_perm = (
        Q(is_superuser=True)
        | Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        | Q(
            user_permissions__codename=codename,
            user_permissions__content_type__app_label=app_label,
        )
    )
    eligible = User.objects.filter(has_perm, is_active=True).exclude(email="").values("pk")
    memberships = (
        User.units.through.objects.filter(unit_id__in=units, user_id__in=eligible)
        .select_related("user")
        .order_by("user__username")
    )
    by_unit = {}
    for membership in memberships:
        by_unit.setdefault(membership.unit_id, []).append(membership.user)
    return by_unit


# --- review queue --------------------------------------------------------------------


def review_queue_keys(*, kind=None, unit=None, period=None, overdue=False, today=None):
    """(kind, pk, submitted_at) of every submitted progress report and measurement, oldest
    first, as one queryset, so it can be paginated with a count and a slice. Filters: the
    `kind` (PROGRESS or MEASUREMENT), the `unit` of the action or indicator, the `period`,
    and `overdue`: the period's due date has passed (`today` by default the local date)."""
    today = today or timezone.localdate()

    def submitted(model, subject, label):
        figures = model.objects.filter(status=ReviewStatus.SUBMITTED)
        if kind not in (None, "", label):
            figures = figures.none()
        if unit is not None:
            figures = figures.filter(**{f"{subject}__unit": unit})
        if period is not None:
            figures = figures.filter(period=period)
        if overdue:
            figures = figures.filter(period__due_date__lt=today)
        return figures.values_list(
            Value(label, output_field=CharField()), "pk", "submitted_at"
        ).order_by()

    reports = submitted(ProgressReport, "action", PROGRESS)
    measurements = submitted(Measurement, "indicator", MEASUREMENT)
    return reports.union(measurements, all=True).order_by("submitted_at", "pk")


def review_queue_items(keys):
    """The figures of one page of ``review_queue_keys`` in the same order, with what the
    queue shows. Two queries."""
    keys = list(keys)
    report_ids = [pk for kind, pk, _ in keys if kind == PROGRESS]
    measurement_ids = [pk for kind, pk, _ in keys if kind == MEASUREMENT]
    found = {}
    if report_ids:
        reports = _queued(ProgressReport, report_ids, subject="action")
        found.update(((PROGRESS, r.pk), r) for r in reports)
    if measurement_ids:
        measurements = _queued(Measurement, measurement_ids, subject="indicator")
        found.update(((MEASUREMENT, m.pk), m) for m in measurements)
    return [(kind, found[(kind, pk)]) for kind, pk, _ in keys if (kind, pk) in found]


def _queued(model, ids, *, subject):
    """The figures of ``model`` with these ids, with what the review queue shows."""
    return (
        model.objects.filter(pk__in=ids)
        .select_related(f"{subject}__unit", "period__plan", "submitted_by")
        .annotate(evidence_count=Count("evidence"))
    )
