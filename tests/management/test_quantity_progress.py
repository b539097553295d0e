"""Quantity-driven progress (issue #8 §2): an action with a product quantity target
("4 capacitaciones") reports the cumulative quantity delivered and its progress is computed
as min(100, quantity ÷ target × 100), rounded half up to 2 decimals — in the service, the
report form, the API and everywhere the report is shown. Expected values are computed by
hand."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from management import services
from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from planning.models import Action, quantity_progress
from tests import factories
from tests.builders import approved_3_of_4, messages_of, submitted_report

pytestmark = pytest.mark.usefixtures("media_root")

T1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
T2 = (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
NEED_QUANTITY = "Indique la cantidad acumulada de capacitaciones entregada hasta el periodo."
NEGATIVE = "La cantidad de capacitaciones no puede ser negativa."
NO_TARGET = (
    "La actividad «A2 Publicar el informe» no tiene meta de cantidad: reporte el avance en "
    "porcentaje, sin cantidad."
)


@pytest.fixture
def plan(db):
    return factories.PlanFactory(start_year=2026, end_year=2026)


@pytest.fixture
def action(plan, unit):
    """A1: 4 capacitaciones."""
    return factories.ActionFactory(
        goal__objective__plan=plan,
        goal__unit=unit,
        code="A1",
        name="Capacitar a los enlaces",
        quantity_target=D("4"),
        quantity_unit="capacitaciones",
    )


@pytest.fixture
def plain_action(action):
    """A2, a sibling of A1 without a quantity target."""
    return factories.ActionFactory(goal=action.goal, code="A2", name="Publicar el informe")


@pytest.fixture
def t1(plan):
    return factories.PeriodFactory(plan=plan, label="T1 2026", start_date=T1[0], end_date=T1[1])


@pytest.fixture
def t2(plan):
    return factories.PeriodFactory(plan=plan, label="T2 2026", start_date=T2[0], end_date=T2[1])


def errors_of(call):
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delivered", "target", "expected"),
    [
        (D("1"), D("3"), D("33.33")),  # 33.333… rounds down
        (D("2"), D("3"), D("66.67")),  # 66.666… rounds up
        (D("3"), D("4"), D("75.00")),
        (D("1"), D("8"), D("12.50")),  # exactly 12.5: stays
        (D("1"), D("800"), D("0.13")),  # 0.125: half up
        (D("0"), D("4"), D("0.00")),
        (D("4"), D("4"), D("100.00")),
        (D("5"), D("4"), D("100.00")),  # capped at 100
        (D("2.5"), D("10"), D("25.00")),
    ],
)
def test_quantity_progress_rounds_half_up_and_caps_at_100(delivered, target, expected):
    assert quantity_progress(delivered, target) == expected


# --- the worked example of the docs (management.services) ----------------------------------


@pytest.mark.django_db
def test_worked_example_3_of_4_capacitaciones_is_75(responsible, action, t1):
    report = services.create_progress_report(action, t1, by=responsible, quantity=D("3"))

    report.refresh_from_db()
    assert (report.quantity, report.quantity_target, report.progress) == (D("3"), D("4"), D("75"))
    assert report.progress_text == "3 de 4 capacitaciones (75,00 %)"


@pytest.mark.django_db
def test_worked_example_5_of_4_capacitaciones_is_capped_at_100(responsible, action, t1):
    report = services.create_progress_report(action, t1, by=responsible, quantity=D("5"))

    report.refresh_from_db()
    assert (report.quantity, report.progress) == (D("5"), D("100"))
    assert report.progress_text == "5 de 4 capacitaciones (100,00 %)"


@pytest.mark.django_db
def test_progress_given_for_a_quantity_driven_action_is_ignored(responsible, action, t1):
    report = services.create_progress_report(
        action, t1, by=responsible, progress=D("90"), quantity=D("1")
    )

    assert report.progress == D("25.00")


@pytest.mark.django_db
@pytest.mark.parametrize(("delivered", "error"), [(None, NEED_QUANTITY), (D("-1"), NEGATIVE)])
def test_quantity_required_and_not_negative(responsible, action, t1, delivered, error):
    errors = errors_of(
        lambda: services.create_progress_report(action, t1, by=responsible, quantity=delivered)
    )

    assert errors == {"quantity": [error]}
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
def test_quantity_refused_on_an_action_without_target(responsible, plain_action, t1):
    errors = errors_of(
        lambda: services.create_progress_report(
            plain_action, t1, by=responsible, progress=D("30"), quantity=D("2")
        )
    )

    assert errors == {"quantity": [NO_TARGET]}
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
def test_action_without_target_still_needs_its_progress(responsible, plain_action, t1):
    errors = errors_of(lambda: services.create_progress_report(plain_action, t1, by=responsible))

    assert errors == {"progress": ["Indique el avance físico acumulado (de 0 a 100)."]}


@pytest.mark.django_db
def test_lower_quantity_than_the_last_approved_needs_an_explanation(responsible, action, t1, t2):
    approved_3_of_4(action, t1)

    errors = errors_of(
        lambda: services.create_progress_report(action, t2, by=responsible, quantity=D("2"))
    )

    assert errors == {
        "narrative": [
            "El avance acumulado (2 de 4 capacitaciones (50,00 %)) es menor que el último "
            "aprobado (3 de 4 capacitaciones (75,00 %), periodo «T1 2026»): explique el "
            "retroceso en la descripción."
        ]
    }
    explained = services.create_progress_report(
        action, t2, by=responsible, quantity=D("2"), narrative="Se anuló una capacitación."
    )
    assert explained.progress == D("50.00")


@pytest.mark.django_db
def test_update_recomputes_against_the_current_target(responsible, action, t1):
    report = services.create_progress_report(action, t1, by=responsible, quantity=D("3"))
    Action.objects.filter(pk=action.pk).update(quantity_target=D("5"))

    services.update_progress_report(report, by=responsible, narrative="Meta ajustada")

    report.refresh_from_db()
    assert (report.quantity, report.quantity_target, report.progress) == (D("3"), D("5"), D("60"))


@pytest.mark.django_db
def test_update_changes_the_quantity(responsible, action, t1):
    report = services.create_progress_report(action, t1, by=responsible, quantity=D("1"))

    services.update_progress_report(report, by=responsible, quantity=D("2"))

    report.refresh_from_db()
    assert (report.quantity, report.progress) == (D("2"), D("50"))


@pytest.mark.django_db
def test_update_after_the_target_is_removed_clears_the_quantity(responsible, action, t1):
    report = services.create_progress_report(action, t1, by=responsible, quantity=D("3"))
    Action.objects.filter(pk=action.pk).update(quantity_target=None, quantity_unit="")

    services.update_progress_report(report, by=responsible, progress=D("70"))

    report.refresh_from_db()
    assert (report.quantity, report.quantity_target, report.progress) == (None, None, D("70"))


@pytest.mark.django_db
def test_submit_refused_when_the_target_changed_since_the_report_was_saved(responsible, action, t1):
    report = services.create_progress_report(action, t1, by=responsible, quantity=D("3"))
    factories.attach_evidence(report)
    Action.objects.filter(pk=action.pk).update(quantity_target=D("6"))

    errors = errors_of(lambda: services.submit_progress_report(report, by=responsible))

    assert errors == {
        "quantity": [
            "La meta de cantidad de la actividad cambió desde que se guardó el reporte: "
            "edítelo y guárdelo de nuevo para recalcular su avance."
        ]
    }
    report.refresh_from_db()
    assert report.status == ReviewStatus.DRAFT


# --- the report form ------------------------------------------------------------------------


@pytest.fixture
def counted(data):
    """The open plan's action A1 with a target of 4 capacitaciones."""
    Action.objects.filter(pk=data.action.pk).update(
        quantity_target=D("4"), quantity_unit="capacitaciones"
    )
    data.action.refresh_from_db()
    return data


def create_url(data):
    return reverse("management:report-create", args=[data.action.pk, data.period.pk])


def test_form_asks_the_quantity_instead_of_the_progress(client, counted, responsible):
    client.force_login(responsible)

    form = client.get(create_url(counted)).context["form"]

    assert list(form.fields) == ["quantity", "narrative", "file"]
    assert form.fields["quantity"].label == "Cantidad de capacitaciones entregada (acumulada)"


def test_form_of_an_action_without_target_asks_the_progress(client, data, responsible):
    client.force_login(responsible)

    form = client.get(create_url(data)).context["form"]

    assert list(form.fields) == ["progress", "narrative", "file"]


def test_form_saves_the_quantity_and_the_computed_progress(client, counted, responsible):
    client.force_login(responsible)

    response = client.post(
        create_url(counted), {"quantity": "3", "progress": "10", "intent": "draft"}
    )

    report = ProgressReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert (report.quantity, report.progress) == (D("3"), D("75"))
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "3 de 4 capacitaciones (75,00 %)" in detail


@pytest.mark.parametrize(
    ("value", "error"),
    [("", NEED_QUANTITY), ("-1", NEGATIVE), ("tres", "Ingrese un número.")],
)
def test_form_errors_beside_the_quantity(client, counted, responsible, value, error):
    client.force_login(responsible)

    response = client.post(create_url(counted), {"quantity": value, "intent": "draft"})

    assert response.context["form"].errors == {"quantity": [error]}
    assert not ProgressReport.objects.exists()


def test_edit_form_shows_the_saved_quantity(client, counted, responsible):
    report = services.create_progress_report(
        counted.action, counted.period, by=responsible, quantity=D("2.5")
    )
    client.force_login(responsible)

    form = client.get(reverse("management:report-edit", args=[report.pk])).context["form"]

    assert form.initial["quantity"] == D("2.5")


# --- review queue and approval -------------------------------------------------------------


def test_review_queue_and_approval_show_the_quantity(client, counted, responsible, planner):
    report = submitted_report(
        counted, responsible, quantity=D("3"), quantity_target=D("4"), progress=D("75")
    )
    client.force_login(planner)

    queue = client.get(reverse("management:review-queue")).content.decode()
    response = client.post(reverse("management:report-approve", args=[report.pk]), follow=True)

    assert "3 de 4 capacitaciones (75,00 %)" in queue
    assert messages_of(response) == [
        f"Reporte «{report}» aprobado: 3 de 4 capacitaciones (75,00 %)."
    ]


def test_approval_of_a_plain_report_shows_its_progress(client, data, responsible, planner):
    report = submitted_report(data, responsible, progress=D("40"))
    client.force_login(planner)

    response = client.post(reverse("management:report-approve", args=[report.pk]), follow=True)

    assert messages_of(response) == [f"Reporte «{report}» aprobado: 40,00 %."]


# --- the API -------------------------------------------------------------------------------

REPORTS_API = "/api/v1/progress-reports/"


def test_api_creates_a_quantity_driven_report(client_for, counted, responsible):
    response = client_for(responsible).post(
        REPORTS_API,
        {"action": counted.action.pk, "period": counted.period.pk, "quantity": "3"},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["quantity"], body["quantity_target"], body["progress"]) == (
        "3.00",
        "4.00",
        "75.00",
    )


@pytest.mark.parametrize(("value", "error"), [(None, NEED_QUANTITY), ("-2", NEGATIVE)])
def test_api_quantity_errors(client_for, counted, responsible, value, error):
    body = {"action": counted.action.pk, "period": counted.period.pk, "progress": "50"}
    if value is not None:
        body["quantity"] = value

    response = client_for(responsible).post(REPORTS_API, body)

    assert (response.status_code, response.json()["errors"]) == (400, {"quantity": [error]})
    assert not ProgressReport.objects.exists()


def test_api_refuses_a_quantity_on_an_action_without_target(client_for, data, responsible):
    response = client_for(responsible).post(
        REPORTS_API,
        {"action": data.action.pk, "period": data.period.pk, "progress": "50", "quantity": "2"},
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["quantity"]
    assert "no tiene meta de cantidad" in response.json()["errors"]["quantity"][0]


def test_api_patch_recomputes_the_progress(client_for, counted, responsible):
    report = services.create_progress_report(
        counted.action, counted.period, by=responsible, quantity=D("1")
    )

    response = client_for(responsible).patch(
        f"{REPORTS_API}{report.pk}/", {"quantity": "2", "progress": "99"}
    )

    assert (response.json()["quantity"], response.json()["progress"]) == ("2.00", "50.00")


# --- lists and exports -----------------------------------------------------------------------


QUANTITY_COLUMNS = ["Código", "Meta de cantidad", "Cantidad entregada", "Avance por cantidad"]
NUMBERS = {"Meta de cantidad", "Cantidad entregada"}


def csv_rows(response, columns):
    """The ``columns`` of each row of a CSV export; numbers as Decimals (a database may give
    3 or 3.00 for a computed figure), None when empty."""
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))

    def value(name, text):
        if name not in NUMBERS:
            return text
        return D(text) if text else None

    return [[value(name, row[header.index(name)]) for name in columns] for row in rows]


def test_action_list_and_export_show_the_quantity_delivered(
    client, planner, responsible, action, plain_action, t1
):
    approved_3_of_4(action, t1)
    client.force_login(planner)
    plan = {"plan": action.goal.objective.plan_id}

    page = client.get(reverse("planning:action-list"), plan).content.decode()
    export = client.get(reverse("planning:action-export", kwargs={"fmt": "csv"}), plan)

    assert "3 de 4 capacitaciones (75,00 %)" in page
    assert csv_rows(export, QUANTITY_COLUMNS) == [
        ["A1", D("4"), D("3"), "3 de 4 capacitaciones (75,00 %)"],
        ["A2", None, None, ""],
    ]


def test_report_list_and_export_show_the_quantity(
    client, planner, responsible, action, plain_action, t1
):
    factories.ProgressReportFactory(
        action=action, period=t1, quantity=D("1"), quantity_target=D("3"), progress=D("33.33")
    )
    factories.ProgressReportFactory(action=plain_action, period=t1, progress=D("40"))
    client.force_login(planner)

    page = client.get(reverse("management:report-list")).content.decode()
    export = client.get(reverse("management:report-export", kwargs={"fmt": "csv"}))

    assert "1 de 3 capacitaciones (33,33 %)" in page
    assert csv_rows(export, ["Código actividad", *QUANTITY_COLUMNS[1:]]) == [
        ["A1", D("3"), D("1"), "1 de 3 capacitaciones (33,33 %)"],
        ["A2", None, None, ""],
    ]
