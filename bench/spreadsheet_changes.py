"""Import of a file that changes every action, allocation, indicator, target and programación
value of the 20,000-action plan back: export "bench-pages-20000", change every action name,
allocation appropriation, indicator name, indicator target and programación value with SQL,
import the export. Run on a fresh copy of the bench database
each time (the import commits): DATABASE_URL=... python bench/spreadsheet_changes.py"""

import resource
import shutil
import sys
import tempfile
import time

sys.path.insert(0, "bench")
import django_setup  # noqa: E402, F401
from django.db import connection  # noqa: E402

from mipg.core.models import User  # noqa: E402
from mipg.traceability.spreadsheet.export import write_plan  # noqa: E402
from mipg.traceability.spreadsheet.importer import import_plan  # noqa: E402
from planning.models import StrategicPlan  # noqa: E402

ACTIONS = (
    "SELECT a.id FROM planning_action a JOIN planning_goal g ON g.id = a.goal_id "
    "JOIN planning_objective o ON o.id = g.objective_id WHERE o.plan_id = %s"
)
CHANGES = {
    "actions": f"UPDATE planning_action SET name = name || ' (v2)' WHERE id IN ({ACTIONS})",
    "allocations": "UPDATE management_budgetallocation SET appropriation = appropriation + 1 "
    f"WHERE action_id IN ({ACTIONS})",
    "indicators": "UPDATE evaluation_indicator SET name = name || ' (v2)' WHERE plan_id = %s",
    # the targets of the open periods (a closed period's target may not change)
    "targets": "UPDATE evaluation_indicatortarget SET value = value + 1 WHERE indicator_id IN "
    "(SELECT id FROM evaluation_indicator WHERE plan_id = %s) AND period_id IN "
    "(SELECT id FROM planning_reportingperiod WHERE NOT locked)",
    "programación": "UPDATE planning_actionschedule SET planned = planned - 1 "
    f"WHERE planned >= 1 AND action_id IN ({ACTIONS})",
}

plan = StrategicPlan.objects.get(name="bench-pages-20000")
by = User.objects.get(username="escala.planeacion")
with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
    shutil.copyfileobj(write_plan(plan), file)
    file.flush()
    with connection.cursor() as cursor:
        for label, statement in CHANGES.items():
            cursor.execute(statement, [plan.pk])
            print(label, cursor.rowcount)
    start = time.perf_counter()
    out = import_plan(plan, file.name, by=by, filename="bench.xlsx", commit=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import, everything changes back: {time.perf_counter() - start:.1f} s, peak {peak:.0f} MB"
    )
    print(len(out.problems), out.problems[:3], {k: dict(v) for k, v in out.counts.items()})
