"""Time the generation of an accountability report of a scale plan, step by step: the
snapshot, the HTML plus the open data (JSON, CSV, datapackage.json), and the PDF, with the
queries of each step and the peak memory (the process's peak RSS and the Python heap peak
of the step, tracemalloc), then the whole generation through the service.

Run with ``python bench/reports.py [SIZE ...]`` (default 2000 20000); ``DATABASE_URL``
picks the database (a scratch SQLite file otherwise), ``MEDIA_ROOT`` where the files go.
Targets (issue #11), for a 20,000-action plan on PostgreSQL: PDF ≤ 90 s and ≤ 1 GiB peak
memory; HTML plus open data ≤ 20 s; queries bounded (not per action).
"""

import argparse
import resource
import sys
import time
import tracemalloc

import django_setup  # noqa: F401  (sets Django up: must come before the project)

# isort: split

from django.core.management import call_command
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from accountability import outputs
from accountability.models import AccountabilityReport
from accountability.selectors import report_snapshot
from accountability.services import create_report, generate_report
from mipg.core.models import User
from planning.models import Action

sys.path.insert(0, str(django_setup.ROOT / "bench"))

from pages import scale_plan  # noqa: E402


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measured(label, function, *, heap=True):
    """Run ``function``; print its time, this process's CPU time (on the shared machine the
    wall time moves with the load, the CPU time much less; the database's own time is not
    in it), queries, the Python heap peak of the step and the process's peak RSS so far."""
    reset_queries()
    if heap:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        result = function()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    heap_mb = "–"
    if heap:
        heap_mb = f"{tracemalloc.get_traced_memory()[1] / 2**20:,.0f}"
        tracemalloc.stop()
    print(
        f"| {label} | {seconds:,.1f} | {cpu:,.1f} | {len(queries)} | {heap_mb} "
        f"| {peak_rss_mb():,.0f} |",
        flush=True,
    )
    return result


def open_data(snapshot, report_id):
    files = {"informe.json": outputs.snapshot_json(snapshot)}
    for table in outputs.TABLES:
        files[f"{table.name}.csv"] = outputs.table_csv(table, snapshot)
    files["datapackage.json"] = outputs.datapackage(snapshot, name=f"informe-{report_id}")
    return files


def bench(size, *, heap):
    plan = scale_plan(size)
    planner = User.objects.get(username="escala.planeacion")
    periods = list(plan.periods.order_by("end_date", "pk"))[:2]
    actions = Action.objects.filter(goal__objective__plan=plan).count()
    print(f"\n{connection.vendor}, plan of {actions:,} actions, cut at {periods[-1].label}")
    print("| step | s | CPU s | queries | heap peak MB | process peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    snapshot = measured(
        "snapshot", lambda: report_snapshot(plan, periods, kind="accountability"), heap=heap
    )
    context = measured(
        "charts (report_context)",
        lambda: outputs.report_context(snapshot, kind_label="Informe de rendición de cuentas"),
        heap=heap,
    )
    html = measured("HTML", lambda: outputs.report_html(context), heap=heap)
    data = measured(
        "open data (JSON, 7 CSV, datapackage)", lambda: open_data(snapshot, 0), heap=heap
    )
    pdf = measured("PDF", lambda: outputs.report_pdf(context), heap=heap)
    sizes = {"HTML": len(html), "PDF": len(pdf), "open data": sum(map(len, data.values()))}
    print(
        "sizes: "
        + ", ".join(f"{name} {n / 2**20:,.1f} MB" for name, n in sizes.items())
        + f"; {len(snapshot['goals']):,} goals, {len(snapshot['narratives']):,} narratives, "
        f"{len(snapshot['control_comments']):,} comments in the snapshot"
    )
    report = create_report(
        plan=plan, periods=periods, kind="accountability", title=f"Bench {size}", by=planner
    )
    done = measured("whole generation (service)", lambda: generate_report(report.pk), heap=False)
    assert done.status == AccountabilityReport.Status.READY, done.error


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 20000])
    parser.add_argument(
        "--no-heap", action="store_true", help="Skip tracemalloc (it slows Python down)."
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    for size in args.sizes:
        bench(size, heap=not args.no_heap)


if __name__ == "__main__":
    main()
