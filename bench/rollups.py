"""Time the plan roll-up, trace and integrity reads on a small and a ten-times larger plan.

Run with `make bench`. Prints, per read, the best of N runs on each plan, the ratio of the
two, and the number of queries (which must be the same on both sizes).
"""

import sys
import time

import django_setup  # noqa: F401  (sets Django up: must come before the project)

# isort: split

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mipg.traceability.integrity import integrity_report
from mipg.traceability.rollup import plan_rollup
from mipg.traceability.subtree import trace_down
from planning.models import StrategicPlan

SIZES = (500, 5000)
RUNS = 5
# A 10× larger plan may cost up to ~12× (linear plus noise), never more.
MAX_RATIO = 12
READS = {
    "plan_rollup": plan_rollup,
    "trace_down": trace_down,
    "integrity_report": integrity_report,
}


def best_of(fn, plan):
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn(plan)
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        fn(plan)
    return min(timings), len(queries)


def main():
    call_command("migrate", verbosity=0)
    plans = {}
    for size in SIZES:
        name = f"bench-{size}"
        if not StrategicPlan.objects.filter(name=name).exists():
            call_command("seed_scale", actions=size, plan_name=name, verbosity=0)
        plans[size] = StrategicPlan.objects.get(name=name)

    small, large = SIZES
    print(f"{'read':<18}{small:>10} act{large:>10} act{'ratio':>8}{'queries':>10}")
    failed = False
    for label, fn in READS.items():
        (t_small, q_small), (t_large, q_large) = (
            best_of(fn, plans[small]),
            best_of(fn, plans[large]),
        )
        ratio = t_large / t_small
        flag = "" if q_small == q_large else "  <-- query count grows"
        if ratio > MAX_RATIO:
            flag += f"  <-- grows faster than linear (> {MAX_RATIO})"
        failed |= bool(flag)
        print(
            f"{label:<18}{t_small * 1000:>10.1f} ms{t_large * 1000:>10.1f} ms{ratio:>8.1f}"
            f"{q_small:>6}/{q_large}{flag}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
