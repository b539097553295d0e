"""The action list and its exports show the planned progress at the latest period of each
action's plan beside the executed one, and the compliance executed ÷ planned."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from mipg.core.models import ReviewStatus
from planning.models import ActionSchedule
from tests import factories
from tests.builders import quarters_2026

pytestmark = pytest.mark.django_db


def test_action_export_has_planned_beside_executed(client, planner, responsible):
    plan = factories.PlanFactory(start_year=2026, end_year=2026)
    q1, q2, q3, q4 = quarters_2026(plan)
    goal = factories.GoalFactory(objective=factories.ObjectiveFactory(plan=plan))
    dates = {"start_date": datetime.date(2026, 1, 1), "end_date": datetime.date(2026, 12, 31)}
    programmed = factories.ActionFactory(goal=goal, code="A1", **dates)
    ActionSchedule.objects.create(action=programmed, period=q3, planned=D("60"))
    ActionSchedule.objects.create(action=programmed, period=q4, planned=D("80"))
    factories.ProgressReportFactory(
        action=programmed,
        period=q2,
        progress=D("40"),
        status=ReviewStatus.APPROVED,
        created_by=responsible,
    )
    # 1/1–30/6: the default spread plans 100 at T4; nothing reported
    factories.ActionFactory(
        goal=goal,
        code="A2",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    client.force_login(planner)

    response = client.get(
        reverse("planning:action-export", kwargs={"fmt": "csv"}), {"plan": plan.pk}
    )

    text = b"".join(response.streaming_content if response.streaming else response)
    header, *rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    columns = ["Código", "Avance programado (%)", "Avance físico (%)", "Cumplimiento físico (%)"]
    picked = [[row[header.index(name)] for name in columns] for row in rows]
    assert picked == [["A1", "80.00", "40.00", "50.00"], ["A2", "100.00", "0.00", "0.00"]]

    page = client.get(reverse("planning:action-list"), {"plan": plan.pk}).content.decode()
    assert "Avance programado" in page
    # each row has its planned cell under that header, before the executed one
    cell = '<td class="text-end text-nowrap">{}</td>'
    assert cell.format("80,00 %") + "\n      " + cell.format("40,00 %") in page
