"""Time the hot pages on a small and a ten-times larger scale plan, against the floor.

Run with `make bench` (sizes: `make bench BENCH_SIZES="2000 20000"`) or
`python bench/pages.py [SMALL LARGE] [--runs N] [--only LABEL ...]` (`--only dashboard`:
the reads whose label starts with that, and the floor). It builds the two plans with
`seed_scale` on the configured database (`DATABASE_URL`; a scratch SQLite file otherwise;
ANALYZE on PostgreSQL), reuses them on later runs, and prints for each page and size: the
median server time of repeated requests (Django test Client, logged in as Planeación),
the queries and the response size (in a process started as the server's workers are,
`mipg/wsgi.py`); the floor (the bare SQL aggregates the roll-up needs,
run with a cursor); each page ÷ the floor; and the large ÷ small ratio.

Targets (docs/benchmarks.md): the plan page's first view ≤ 300 KB and ≤ 2× the floor;
every ratio large ÷ small ≤ 10 for a 10× larger plan (linear); the same query count on
both sizes. Exits 1 when a query count grows or a ratio passes 12 (linear plus noise).
"""

import argparse
import io
import os
import platform
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import django_setup  # noqa: F401  (sets Django up: must come before the project)

# isort: split

# The server's worker as it starts: the views loaded and what it holds then frozen out of
# the garbage collector's full collections (mipg/wsgi.py), so the pages are timed as served.
import mipg.wsgi  # noqa: F401

# isort: split

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from mipg.core.models import User
from planning.models import Goal, Objective, StrategicPlan

MAX_RATIO = 12
FLOOR_LABEL = "floor (bare SQL)"
# Exports stream their rows in chunks with the prefetches done once per chunk
# (mipg/core/exports.py): their queries grow by design, two per 2,000 rows.
CHUNKED = {"action list XLSX"}

# The aggregates the plan roll-up reads, one GROUP BY per table, rows fetched: what any
# implementation of the plan page must at least pay (%(plan)s is the plan's id).
PLAN_ACTIONS = """
    SELECT a.id FROM planning_action a
    JOIN planning_goal g ON g.id = a.goal_id
    JOIN planning_objective o ON o.id = g.objective_id
    WHERE o.plan_id = %(plan)s AND a.archived = %(false)s AND g.archived = %(false)s
      AND o.archived = %(false)s
"""
FLOOR = {
    "tree": """
        SELECT a.id, a.goal_id, a.weight, a.code, a.name, g.objective_id, g.weight
        FROM planning_action a JOIN planning_goal g ON g.id = a.goal_id
        WHERE a.id IN ({actions})
    """,
    "progress": """
        SELECT r.action_id, MAX(p.end_date), MAX(r.progress), COUNT(*)
        FROM management_progressreport r JOIN planning_reportingperiod p ON p.id = r.period_id
        WHERE r.status = 'approved' AND r.action_id IN ({actions}) GROUP BY r.action_id
    """,
    "planned": """
        SELECT s.action_id, MAX(s.planned) FROM planning_actionschedule s
        WHERE s.action_id IN ({actions}) GROUP BY s.action_id
    """,
    "budget": """
        SELECT b.action_id, SUM(b.appropriation) FROM management_budgetallocation b
        WHERE b.action_id IN ({actions}) GROUP BY b.action_id
    """,
    "executions": """
        SELECT b.action_id, e.stage, SUM(e.amount) FROM management_budgetexecution e
        JOIN management_budgetallocation b ON b.id = e.allocation_id
        WHERE b.action_id IN ({actions}) GROUP BY b.action_id, e.stage
    """,
    "modifications": """
        SELECT b.action_id, m.kind, SUM(m.amount) FROM management_budgetmodification m
        JOIN management_budgetallocation b ON b.id = m.allocation_id
        WHERE b.action_id IN ({actions}) GROUP BY b.action_id, m.kind
    """,
    "indicators": """
        SELECT i.id, COUNT(t.id), MAX(t.value), COUNT(m.id), MAX(m.value)
        FROM evaluation_indicator i
        LEFT JOIN planning_goal g ON g.id = i.goal_id
        JOIN planning_objective o ON o.id = COALESCE(i.objective_id, g.objective_id)
        LEFT JOIN evaluation_indicatortarget t ON t.indicator_id = i.id
        LEFT JOIN evaluation_measurement m
          ON m.indicator_id = i.id AND m.period_id = t.period_id AND m.status = 'approved'
        WHERE o.plan_id = %(plan)s GROUP BY i.id
    """,
}


def floor(plan):
    """Run the FLOOR aggregates of ``plan`` and fetch their rows."""
    params = {"plan": plan.pk, "false": False}
    with connection.cursor() as cursor:
        for sql in FLOOR.values():
            cursor.execute(sql.format(actions=PLAN_ACTIONS), params)
            cursor.fetchall()


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def measure(fn, runs):
    """(median seconds of ``runs`` calls after one warm-up, queries, bytes) of ``fn``,
    which returns a response or None."""
    fn()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = fn()
        if response is not None:
            body_of(response)
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        response = fn()
        size = len(body_of(response)) if response is not None else 0
    if response is not None and response.status_code != 200:
        raise SystemExit(f"{response.status_code} from {response.request['PATH_INFO']}")
    return statistics.median(timings), len(queries), size


def scale_plan(size):
    name = f"bench-pages-{size}"
    plan = StrategicPlan.objects.filter(name=name).first()
    if plan is None:
        started = time.perf_counter()
        call_command("seed_scale", actions=size, plan_name=name, stdout=io.StringIO())
        print(f"seed_scale {size:>6} actions: {time.perf_counter() - started:6.1f} s")
        plan = StrategicPlan.objects.get(name=name)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return plan


def reads(plan):
    """{label: (function returning a response or None, runs)} for ``plan``."""
    planner = Client()
    planner.force_login(User.objects.get(username="escala.planeacion"))
    objective = Objective.objects.filter(plan=plan).order_by("position", "pk").first()
    goal = Goal.objects.filter(objective=objective).order_by("position", "pk").first()
    by_plan = {"plan": plan.pk}

    def get(url, params=None):
        return lambda: planner.get(url, params)

    return {
        "dashboard": (get(reverse("dashboard"), by_plan), 5),
        "plan page (first view)": (get(plan.get_absolute_url()), 5),
        "tree branch: objective": (
            get(reverse("planning:objective-branch", args=[goal.objective_id])),
            5,
        ),
        "tree branch: goal": (get(reverse("planning:goal-branch", args=[goal.pk])), 5),
        "periods page": (get(reverse("planning:period-list", args=[plan.pk])), 5),
        "action list": (get(reverse("planning:action-list"), by_plan), 5),
        "action list XLSX": (get(reverse("planning:action-export", args=["xlsx"]), by_plan), 3),
        "API roll-up": (get(f"/api/v1/plans/{plan.pk}/rollup/"), 5),
        "API roll-up (depth=goals)": (
            get(f"/api/v1/plans/{plan.pk}/rollup/", {"depth": "goals"}),
            5,
        ),
        "plan trace (page 1)": (get(reverse("trace", args=["planning.strategicplan", plan.pk])), 3),
        FLOOR_LABEL: (lambda: floor(plan), 5),
    }


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database += " " + cursor.fetchone()[0]
    else:
        database += " " + sqlite3.sqlite_version
    return f"{os.cpu_count()} CPUs · {cpu} · Python {platform.python_version()} · {database}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 20000])
    parser.add_argument("--runs", type=int, help="Requests per page (default 5).")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="LABEL",
        help='Only the reads whose label starts with one of these ("dashboard", "API '
        'roll-up", …); the floor is always measured.',
    )
    args = parser.parse_args()
    if len(args.sizes) != 2:
        parser.error("two sizes: SMALL LARGE")
    small, large = args.sizes
    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(machine())
    plans = {size: scale_plan(size) for size in (small, large)}

    def chosen(label):
        return label == FLOOR_LABEL or not args.only or label.startswith(tuple(args.only))

    labels = [label for label in reads(plans[small]) if chosen(label)]
    results = {}
    for size, plan in plans.items():
        for label, (fn, runs) in reads(plan).items():
            if label in labels:
                results[label, size] = measure(fn, args.runs or runs)

    floor_time = {size: results[FLOOR_LABEL, size][0] for size in (small, large)}
    head = (
        f"| read | {small:,} ms | queries | KB | ÷ floor | {large:,} ms | queries | KB "
        f"| ÷ floor | {large:,} ÷ {small:,} |"
    )
    print()
    print(head)
    print("|" + " --- |" * 10)
    failed = False
    for label in labels:
        cells, flags = [label], []
        for size in (small, large):
            seconds, queries, size_bytes = results[label, size]
            cells += [
                f"{seconds * 1000:,.1f}",
                str(queries),
                f"{size_bytes / 1024:,.0f}" if size_bytes else "—",
                f"{seconds / floor_time[size]:.1f}",
            ]
        ratio = results[label, large][0] / results[label, small][0]
        if label not in CHUNKED and results[label, small][1] != results[label, large][1]:
            flags.append("queries grow")
        if ratio > MAX_RATIO:
            flags.append(f"> {MAX_RATIO}: faster than linear")
        failed |= bool(flags)
        cells.append(f"{ratio:.1f}" + (f" ({', '.join(flags)})" if flags else ""))
        print("| " + " | ".join(cells) + " |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
