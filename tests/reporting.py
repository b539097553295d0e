"""Data for the reporting-workflow web tests: an approved plan with a period open today,
an action and an indicator (with a target in that period) of a given unit."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from planning.models import StrategicPlan
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    PeriodFactory,
    PlanFactory,
    TargetFactory,
)

PDF = b"%PDF-1.4\n% evidencia de prueba\n"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def open_plan(unit, *, code="A1", indicator_code="IND-1", locked=False):
    today = timezone.localdate()
    plan = PlanFactory(
        status=StrategicPlan.Status.APPROVED, start_year=today.year - 1, end_year=today.year + 1
    )
    period = PeriodFactory(
        plan=plan,
        label="Actual",
        start_date=days(-30),
        end_date=days(30),
        due_date=days(40),
        locked=locked,
    )
    action = ActionFactory(
        goal__objective__plan=plan,
        goal__unit=unit,
        code=code,
        name="Capacitar al personal",
        start_date=days(-60),
        end_date=days(200),
    )
    indicator = IndicatorFactory(
        goal=action.goal, code=indicator_code, name="Personas capacitadas", unit=unit
    )
    TargetFactory(indicator=indicator, period=period, value=Decimal("10"))
    return SimpleNamespace(plan=plan, period=period, action=action, indicator=indicator)


def pdf(name="acta.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []
