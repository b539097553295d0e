"""Time the Plan de Acción spreadsheet on a scale plan: export, import of the same file
(nothing to change: every row compared), and import into an empty plan (every item created
through the services), with the peak memory of each step.

Run with `python bench/spreadsheet.py [SIZE]` (default 20000); `DATABASE_URL` picks the
database (a scratch SQLite file otherwise). `--schedule` first gives every action a
programación (25, 50, 75 and 100 % over the plan's first four periods; `seed_scale` plans
have none), so the file carries it and the empty-plan import creates it. Targets (issue
#13): 20,000 rows import in ≤ 30 s and export in ≤ 15 s on PostgreSQL; memory bounded.
"""

import argparse
import resource
import shutil
import sys
import tempfile
import time

import django_setup  # noqa: F401  (sets Django up: must come before the project)

# isort: split

from django.core.management import call_command
from django.db import connection

from mipg.core.models import User
from mipg.traceability.spreadsheet.export import write_plan
from mipg.traceability.spreadsheet.importer import import_plan
from planning.models import Action, ActionSchedule, ReportingPeriod, StrategicPlan

sys.path.insert(0, str(django_setup.ROOT / "bench"))

from pages import scale_plan  # noqa: E402


def timed(label, function):
    """Run ``function``, print its time and the process's peak resident memory so far."""
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {label} | {seconds:,.1f} | {peak:,.0f} |", flush=True)
    return result


def empty_copy(plan):
    """A plan with the same periods and nothing else."""
    name = f"{plan.name}-importado-{int(time.time())}"
    copy = StrategicPlan.objects.create(
        name=name, kind=plan.kind, start_year=plan.start_year, end_year=plan.end_year
    )
    ReportingPeriod.objects.bulk_create(
        ReportingPeriod(plan=copy, label=p.label, start_date=p.start_date, end_date=p.end_date)
        for p in plan.periods.all()
    )
    return copy


def give_schedules(plan):
    """Programación for every action of ``plan`` that has none (bulk, outside the services:
    the bench's data, not what it measures)."""
    periods = list(plan.periods.order_by("start_date")[:4])
    missing = Action.objects.filter(goal__objective__plan=plan, schedule__isnull=True)
    rows = [
        ActionSchedule(action_id=action_id, period=period, planned=25 * (i + 1))
        for action_id in missing.values_list("pk", flat=True)
        for i, period in enumerate(periods)
    ]
    ActionSchedule.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", type=int, default=20000)
    parser.add_argument("--skip-create", action="store_true", help="Skip the empty-plan import.")
    parser.add_argument(
        "--schedule", action="store_true", help="Give every action a programación first."
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    plan = scale_plan(args.size)
    planner = User.objects.get(username="escala.planeacion")
    actions = Action.objects.filter(goal__objective__plan=plan).count()
    if args.schedule:
        print(f"programación rows added: {give_schedules(plan):,}")
    schedules = ActionSchedule.objects.filter(action__goal__objective__plan=plan).count()
    print(f"{connection.vendor}, plan of {actions:,} actions, {schedules:,} programación rows")
    print("| step | s | peak RSS MB |\n| --- | --- | --- |")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        exported = timed("export", lambda: write_plan(plan))
        shutil.copyfileobj(exported, file)
        file.flush()
        outcome = timed(
            "import, nothing changes",
            lambda: import_plan(plan, file.name, by=planner, filename="bench.xlsx", commit=True),
        )
        print(f"rows {outcome.rows:,}, problems {len(outcome.problems)}: {outcome.problems[:3]}")
        if not args.skip_create:
            copy = empty_copy(plan)
            outcome = timed(
                "import into an empty plan",
                lambda: import_plan(
                    copy, file.name, by=planner, filename="bench.xlsx", commit=True
                ),
            )
            created = {kind: dict(counts) for kind, counts in outcome.counts.items()}
            print(f"problems {len(outcome.problems)}: {outcome.problems[:3]}; {created}")


if __name__ == "__main__":
    main()
