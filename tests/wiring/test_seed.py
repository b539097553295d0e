"""seed_demo loads a coherent, idempotent demo; seed_scale builds a complete large plan."""

import datetime
import shutil
import tempfile
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from accountability.models import AccountabilityReport
from evaluation.models import Indicator, IndicatorTarget, Measurement
from management.models import (
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    ProgressReport,
)
from management.selectors.budget import with_stage_totals
from management.selectors.physical import plan_physical_progress
from mipg import demo
from mipg.core import roles
from mipg.core.models import Entity, ReviewStatus, Unit, User
from mipg.traceability.dashboard import plan_dashboard
from mipg.traceability.integrity import integrity_report
from mipg.traceability.rollup import rollup_of
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

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SEEDED_MODELS = [
    Unit,
    User,
    StrategicPlan,
    Objective,
    Goal,
    Action,
    ReportingPeriod,
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    ProgressReport,
    Indicator,
    IndicatorTarget,
    Measurement,
    ActionRating,
    ActionSchedule,
]
ALL_STATES = {s.value for s in ReviewStatus}


def row_counts():
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def assert_budget_invariant(plan):
    """pago ≤ obligación ≤ compromiso ≤ CDP ≤ apropiación definitiva for every allocation
    of `plan`."""
    allocations = BudgetAllocation.objects.filter(action__goal__objective__plan=plan)
    totals = defaultdict(lambda: defaultdict(Decimal))
    rows = (
        BudgetExecution.objects.filter(allocation__in=allocations)
        .values("allocation_id", "stage")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        totals[row["allocation_id"]][row["stage"]] = row["total"]
    assert allocations.exists()
    for allocation in with_stage_totals(allocations):
        stage = totals[allocation.pk]
        chain = [
            stage["payment"],
            stage["obligation"],
            stage["commitment"],
            stage["cdp"],
            allocation.definitive,
        ]
        assert chain == sorted(chain), (allocation, chain)
        assert stage["payment"] >= 0


def assert_sibling_weights_sum_100(plan):
    def sums(queryset, parent):
        return {
            row[parent]: row["total"]
            for row in queryset.values(parent).annotate(total=Sum("weight")).order_by()
        }

    assert sums(Objective.objects.filter(plan=plan), "plan") == {plan.pk: 100}
    goal_sums = sums(Goal.objects.filter(objective__plan=plan), "objective")
    action_sums = sums(Action.objects.filter(goal__objective__plan=plan), "goal")
    assert goal_sums and set(goal_sums.values()) == {Decimal(100)}
    assert action_sums and set(action_sums.values()) == {Decimal(100)}
    assert len(goal_sums) == plan.objectives.count()
    assert len(action_sums) == Goal.objects.filter(objective__plan=plan).count()


@override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tempfile.mkdtemp(prefix="demo-media-"))
class SeedDemoTests(TestCase):
    """The demo is loaded once for the class (setUpTestData) to keep the tests fast; its
    evidence files go to a temporary MEDIA_ROOT."""

    @classmethod
    def setUpTestData(cls):
        cls.addClassCleanup(shutil.rmtree, settings.MEDIA_ROOT, ignore_errors=True)
        cls.output = StringIO()
        call_command("seed_demo", stdout=cls.output)
        cls.pei = StrategicPlan.objects.get(kind=StrategicPlan.Kind.PEI)
        cls.plan = StrategicPlan.objects.get(kind=StrategicPlan.Kind.ACTION)

    def test_seed_demo_creates_the_municipality(self):
        entity = Entity.current()
        assert (entity.name, entity.nit) == (demo.ENTITY_NAME, demo.ENTITY_NIT)
        assert Entity.objects.count() == 1
        codes = set(Unit.objects.values_list("code", flat=True))
        assert {"SPL", "SHA", "SGO", "SED", "SSA", "OCI"} <= codes
        assert len(codes) >= 6

    def test_seed_demo_creates_the_pei_and_the_action_plan(self):
        assert StrategicPlan.objects.count() == 2
        assert self.plan.parent == self.pei
        assert {self.pei.status, self.plan.status} == {StrategicPlan.Status.APPROVED}
        assert (self.pei.start_year, self.pei.end_year) == (2024, 2027)
        assert (self.plan.start_year, self.plan.end_year) == (2026, 2026)
        for plan in (self.pei, self.plan):
            objectives = plan.objectives.all()
            assert 4 <= len(objectives) <= 6
            assert all(o.policies.exists() for o in objectives)
        assert Goal.objects.filter(objective__plan=self.plan).count() == 20
        assert Action.objects.filter(goal__objective__plan=self.plan).count() == 60
        assert Indicator.objects.count() == 16

    def test_seed_demo_sibling_weights_sum_100(self):
        assert_sibling_weights_sum_100(self.plan)
        assert sum(o.weight for o in self.pei.objectives.all()) == 100

    def test_seed_demo_actions_inside_2026_with_units_and_tags(self):
        actions = Action.objects.filter(goal__objective__plan=self.plan)
        assert all(
            datetime.date(2026, 1, 1) <= a.start_date <= a.end_date <= datetime.date(2026, 12, 31)
            for a in actions
        )
        assert not actions.filter(unit=None).exists()
        assert not actions.filter(responsible=None).exists()
        assert not Goal.objects.filter(unit=None).exists()
        tags = set(actions.values_list("institutional_plans__code", flat=True))
        assert {"PINAR", "PAA", "PIC", "PETI", "PTEP", "PSST"} <= tags
        assert len({a.unit_id for a in actions}) >= 6

    def test_seed_demo_periods_are_quarters_of_2026(self):
        periods = list(self.plan.periods.order_by("start_date"))
        assert [p.label for p in periods] == ["T1 2026", "T2 2026", "T3 2026", "T4 2026"]
        assert [p.locked for p in periods] == [True, True, False, False]
        assert all(p.due_date == p.end_date + datetime.timedelta(days=10) for p in periods)

    def test_seed_demo_budget_invariant_holds_for_every_allocation(self):
        assert_budget_invariant(self.plan)
        allocations = BudgetAllocation.objects.filter(action__goal__objective__plan=self.plan)
        assert {"RP", "SGP", "SGR", "PGN", "COF"} <= set(
            allocations.values_list("source__code", flat=True)
        )
        unfunded = Action.objects.filter(goal__objective__plan=self.plan, allocations=None)
        assert 0 < unfunded.count() < 30
        assert BudgetExecution.objects.filter(amount__lt=0).exists()  # a CDP release

    def test_seed_demo_has_one_budget_modification_with_its_act(self):
        modification = BudgetModification.objects.get(
            allocation__action__goal__objective__plan=self.plan
        )
        assert (modification.kind, modification.amount, modification.act_number) == (
            BudgetModification.Kind.ADDITION,
            Decimal("15000000"),
            "Decreto 087 de 2026",
        )
        assert modification.reason and modification.date.year == 2026
        allocation = with_stage_totals(BudgetAllocation.objects).get(pk=modification.allocation_id)
        # Inicial 60 000 000 + adición 15 000 000.
        assert (allocation.appropriation, allocation.definitive) == (
            Decimal("60000000"),
            Decimal("75000000"),
        )

    def test_seed_demo_progress_reports_in_every_state(self):
        reports = ProgressReport.objects.filter(action__goal__objective__plan=self.plan)
        assert set(reports.values_list("status", flat=True)) == ALL_STATES
        assert set(reports.values_list("period__label", flat=True)) == {
            "T1 2026",
            "T2 2026",
            "T3 2026",
        }
        locked = reports.filter(period__locked=True)
        assert set(locked.values_list("status", flat=True)) == {ReviewStatus.APPROVED}
        for report in reports.filter(status=ReviewStatus.RETURNED):
            assert report.review_comment and report.reviewed_by and report.submitted_at
        for report in reports.filter(status=ReviewStatus.APPROVED):
            assert report.reviewed_by.username == "planeacion" and report.submitted_by
        assert not reports.filter(status=ReviewStatus.DRAFT, submitted_at__isnull=False).exists()

    def test_seed_demo_progress_is_cumulative(self):
        by_action = defaultdict(list)
        reports = ProgressReport.objects.filter(action__goal__objective__plan=self.plan)
        for report in reports.order_by("action", "period__start_date"):
            by_action[report.action_id].append(report.progress)
        assert len(by_action) >= 50
        assert all(values == sorted(values) for values in by_action.values())
        assert any(values[-1] > values[0] for values in by_action.values())

    def test_seed_demo_quantity_driven_actions_report_their_quantity(self):
        """A1.1.1 (12 jornadas de capacitación) and A1.2.1 (6 talleres): every report gives
        the quantity delivered and the progress it makes (planning.models.quantity_progress)."""
        actions = Action.objects.filter(goal__objective__plan=self.plan, quantity_target__gt=0)
        assert {(a.code, a.quantity_target, a.quantity_unit) for a in actions} == {
            ("A1.1.1", Decimal("12"), "jornadas de capacitación"),
            ("A1.2.1", Decimal("6"), "talleres"),
        }
        reports = ProgressReport.objects.filter(action__in=actions)
        assert reports.filter(status=ReviewStatus.APPROVED).count() >= 2
        for report in reports:
            assert report.quantity_target == report.action.quantity_target
            assert report.progress == quantity_progress(report.quantity, report.quantity_target)
        others = ProgressReport.objects.exclude(action__in=actions)
        assert not others.filter(quantity__isnull=False).exists()

    def test_seed_demo_indicators_mixed_with_targets_and_measurements(self):
        indicators = Indicator.objects.all()
        assert set(indicators.values_list("accumulation", flat=True)) == set(
            Indicator.Accumulation.values
        )
        assert set(indicators.values_list("polarity", flat=True)) == set(Indicator.Polarity.values)
        assert set(indicators.values_list("level", flat=True)) == set(Indicator.Level.values)
        assert set(indicators.values_list("type", flat=True)) == set(Indicator.Type.values)
        assert indicators.filter(objective__isnull=False).count() >= 2
        assert not indicators.filter(baseline_value=None).exists()
        assert all(i.targets.exists() for i in indicators)
        measurements = Measurement.objects.all()
        assert set(measurements.values_list("status", flat=True)) == ALL_STATES
        returned = measurements.filter(status=ReviewStatus.RETURNED)
        assert all(m.review_comment for m in returned)

    def test_seed_demo_users_have_their_roles_and_the_demo_password(self):
        expected = {
            "admin": roles.ADMINISTRADOR,
            "planeacion": roles.PLANEACION,
            "responsable": roles.RESPONSABLE,
            "directivo": roles.DIRECTIVO,
            "control": roles.CONTROL_INTERNO,
        }
        # The login lockout (django-axes) needs the request of the login attempt.
        login_request = RequestFactory().post(reverse("login"))
        for username, role in expected.items():
            user = authenticate(login_request, username=username, password=demo.PASSWORD)
            assert user is not None, username
            assert list(user.groups.values_list("name", flat=True)) == [role]
        staff = set(User.objects.filter(is_staff=True).values_list("username", flat=True))
        assert staff == {"admin"}  # Planeación works in the staff pages, not the admin
        assert User.objects.get(username="admin").is_superuser
        responsable = User.objects.get(username="responsable")
        assert set(responsable.units.values_list("code", flat=True)) == {"SED", "SSA"}
        output = self.output.getvalue()
        assert all(username in output for username in expected)
        assert demo.PASSWORD in output

    def test_seed_demo_ratings_by_control_interno(self):
        ratings = ActionRating.objects.all()
        assert ratings.count() >= 2
        assert {r.rated_by.username for r in ratings} == {"control"}

    def test_seed_demo_shows_planned_vs_executed(self):
        for code, planned in demo.SCHEDULES.items():
            values = [Decimal(v) for v in planned]
            assert values == sorted(values) and values[0] >= 0 and values[-1] == 100, code
        assert ActionSchedule.objects.filter(action__code__in=demo.SCHEDULES).count() == 16
        t2 = self.plan.periods.get(label="T2 2026")
        result = plan_physical_progress(self.plan, as_of=t2)
        assert 0 < result.plan.planned < 100 and 0 < result.plan.physical < 100
        programmed = Action.objects.get(goal__objective__plan=self.plan, code="A1.2.2")
        assert result.actions[programmed.pk].planned == 100  # its programación, not the dates
        assert {node.state for node in result.actions.values()} >= {"verde", "rojo"}

    def test_seed_demo_action_plan_serves_the_pei_and_the_pei_rolls_up(self):
        objectives = self.plan.objectives.select_related("serves")
        assert {o.code: o.serves.code for o in objectives} == demo.ALIGNMENT
        assert all(o.serves.plan_id == self.pei.pk for o in objectives)
        assert not [f for f in integrity_report(self.plan) if f.kind == "objective_not_aligned"]
        rollup = rollup_of(self.pei)
        assert 0 < rollup.physical.plan.physical < 100
        assert rollup.financial.plan.definitive == rollup_of(self.plan).financial.plan.definitive
        assert rollup.financial.plan.definitive > 0
        assert rollup.plan_semaforo is not None and rollup.plan_semaforo.indicators == 16
        assert sum(rollup.semaforo_counts.values()) == 16
        assert set(rollup.years) == {2026}
        assert all(rollup.physical.objectives[o.pk].has_children for o in self.pei.objectives.all())

    def test_seed_demo_reports_sent_to_review_have_evidence(self):
        sent = ProgressReport.objects.exclude(status=ReviewStatus.DRAFT)
        assert sent.exists()
        assert not sent.filter(evidence__isnull=True).exists()

    def test_seed_demo_has_a_published_report_of_the_first_quarter(self):
        report = AccountabilityReport.objects.get(plan=self.plan)
        assert (report.status, report.snapshot["cutoff"]["label"]) == ("published", "T1 2026")
        t1 = self.plan.periods.get(label="T1 2026")
        dash = plan_dashboard(self.plan, period=t1)
        assert Decimal(report.snapshot["total"]["executed"]) == dash.total.executed
        assert report.files.count() == 12

    def test_verify_reports_passes_on_the_demo_and_names_an_altered_file(self):
        call_command("verify_reports", stdout=StringIO())
        row = AccountabilityReport.objects.get(plan=self.plan).files.get(name="informe.html")
        path = Path(settings.MEDIA_ROOT) / row.file.name
        path.write_bytes(path.read_bytes().replace(b"</main>", b"<p>alterado</p></main>"))
        errors = StringIO()
        with pytest.raises(CommandError):
            call_command("verify_reports", stderr=errors)
        assert f"el archivo {row.file.name} no coincide con su SHA-256" in errors.getvalue()

    def test_seed_demo_twice_changes_no_counts_and_adds_no_history(self):
        before = row_counts()
        history_before = Action.history.count() + ProgressReport.history.count()
        output = StringIO()
        call_command("seed_demo", stdout=output)
        assert row_counts() == before
        assert Action.history.count() + ProgressReport.history.count() == history_before
        assert Group.objects.count() == len(roles.ROLES)
        assert "Creados: ninguno." in output.getvalue()


@pytest.mark.django_db
def test_seed_scale_creates_a_complete_plan():
    call_command("seed_scale", "--actions", "200", stdout=StringIO())
    plan = StrategicPlan.objects.get()
    actions = Action.objects.filter(goal__objective__plan=plan)
    assert actions.count() == 200
    assert plan.periods.count() == 4
    assert_sibling_weights_sum_100(plan)
    assert_budget_invariant(plan)
    assert actions.exclude(allocations=None).distinct().count() >= 180
    # programación for every other action at each of the four periods, cumulative
    schedules = ActionSchedule.objects.filter(action__goal__objective__plan=plan)
    assert schedules.count() == 100 * 4
    planned = defaultdict(list)
    for action_id, value in schedules.order_by("period__end_date").values_list(
        "action_id", "planned"
    ):
        planned[action_id].append(value)
    assert all(values == sorted(values) and values[-1] == 100 for values in planned.values())
    assert {values[0] for values in planned.values()} != {0}  # some planned from T1 on
    reports = ProgressReport.objects.filter(action__goal__objective__plan=plan)
    assert reports.count() >= 400
    assert set(reports.values_list("status", flat=True)) == ALL_STATES
    assert reports.filter(status=ReviewStatus.APPROVED).count() > reports.count() * 0.8
    indicators = Indicator.objects.all()
    assert indicators.count() >= 20
    assert IndicatorTarget.objects.count() == indicators.count() * 4
    assert Measurement.objects.count() == indicators.count() * 3
    assert ActionRating.objects.exists()
    # Rows written with bulk_create are still valid models.
    samples = [
        actions.first(),
        reports.last(),
        indicators.first(),
        Measurement.objects.last(),
        BudgetAllocation.objects.first(),
        BudgetExecution.objects.last(),
        schedules.last(),
    ]
    for obj in samples:
        obj.full_clean()


@pytest.mark.django_db
def test_seed_scale_each_run_creates_a_new_plan():
    call_command("seed_scale", "--actions", "5", stdout=StringIO())
    call_command("seed_scale", "--actions", "5", stdout=StringIO())
    call_command("seed_scale", "--actions", "5", "--plan-name", "Carga", stdout=StringIO())
    names = set(StrategicPlan.objects.values_list("name", flat=True))
    assert len(names) == 3 and "Carga" in names
    assert Action.objects.count() == 15
    with pytest.raises(CommandError):
        call_command("seed_scale", "--actions", "5", "--plan-name", "Carga", stdout=StringIO())
