"""Measurements through the browser views: the whole review cycle, figures given as a value
or as numerator/denominator, bad input, locked periods and permissions per role."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import Measurement, MeasurementEvidence
from mipg.core.models import ReviewStatus
from tests.builders import LOCKED_PERIOD, PDF, messages_of, open_plan, pdf, post_in_locked_period
from tests.factories import MeasurementFactory, UserFactory

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def draft(data, responsible):
    return MeasurementFactory(
        indicator=data.indicator, period=data.period, created_by=responsible, value=Decimal("4")
    )


@pytest.fixture
def submitted(draft, responsible):
    draft.status, draft.submitted_by = ReviewStatus.SUBMITTED, responsible
    draft.save()
    return draft


def create_url(data):
    return reverse("evaluation:measurement-create", args=[data.indicator.pk, data.period.pk])


def test_measurement_workflow_end_to_end(client, data, responsible, planner, media_root):
    client.force_login(responsible)
    page = client.get(create_url(data)).content.decode()
    assert "Personas capacitadas" in page and "Numerador" in page
    assert "Meta del periodo" in page and "10 Número" in page

    response = client.post(
        create_url(data), {"value": "7", "narrative": "Listas", "intent": "submit", "file": [pdf()]}
    )
    measurement = Measurement.objects.get()
    assert response["Location"] == measurement.get_absolute_url()
    assert (measurement.status, measurement.value) == (ReviewStatus.SUBMITTED, Decimal("7"))
    evidence = measurement.evidence.get()
    assert (media_root / evidence.file.name).read_bytes() == PDF

    client.force_login(planner)
    assert "Personas capacitadas" in client.get(reverse("management:review-queue")).content.decode()
    download = client.get(reverse("evaluation:evidence-download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="acta.pdf"'
    return_url = reverse("evaluation:measurement-return", args=[measurement.pk])
    response = client.post(return_url, {"review_comment": ""})
    assert response.context["form"].errors["review_comment"] == [
        "Explique al responsable por qué se devuelve el reporte."
    ]
    client.post(return_url, {"review_comment": "El dato no cuadra con la fuente."})
    measurement.refresh_from_db()
    assert measurement.status == ReviewStatus.RETURNED

    client.force_login(responsible)
    assert (
        "El dato no cuadra con la fuente."
        in client.get(reverse("management:my-pending")).content.decode()
    )
    assert (
        "El dato no cuadra con la fuente."
        in client.get(measurement.get_absolute_url()).content.decode()
    )
    client.post(
        reverse("evaluation:measurement-edit", args=[measurement.pk]),
        {"numerator": "3", "denominator": "4", "narrative": "Corregido", "intent": "submit"},
    )
    measurement.refresh_from_db()
    assert (measurement.status, measurement.value, measurement.numerator) == (
        ReviewStatus.SUBMITTED,
        Decimal("0.75"),
        Decimal("3"),
    )

    client.force_login(planner)
    client.post(reverse("evaluation:measurement-approve", args=[measurement.pk]))
    measurement.refresh_from_db()
    assert measurement.status == ReviewStatus.APPROVED
    detail = client.get(measurement.get_absolute_url()).content.decode()
    assert "Devuelto" in detail and "Aprobado" in detail and "El dato no cuadra" in detail


def test_measurement_with_value_and_ratio_shows_message_and_saves_nothing(
    client, data, responsible
):
    client.force_login(responsible)
    response = client.post(
        create_url(data),
        {"value": "5", "numerator": "1", "denominator": "2", "intent": "draft"},
    )
    assert (
        response.context["form"]
        .errors["value"][0]
        .startswith("Indique el valor ejecutado o el numerador y el denominador, no ambos")
    )
    assert Measurement.objects.count() == 0


def test_measurement_with_zero_denominator_shows_message(client, data, responsible):
    client.force_login(responsible)
    response = client.post(
        create_url(data), {"numerator": "1", "denominator": "0", "intent": "draft"}
    )
    assert response.context["form"].errors["denominator"] == ["El denominador no puede ser cero."]
    assert Measurement.objects.count() == 0


def test_measurement_with_bad_file_saves_nothing(client, data, responsible):
    client.force_login(responsible)
    response = client.post(
        create_url(data), {"value": "5", "intent": "draft", "file": [pdf("datos.html")]}
    )
    assert "Tipo de archivo no permitido (.html)" in response.context["form"].errors["file"][0]
    assert Measurement.objects.count() == MeasurementEvidence.objects.count() == 0


def test_measurement_edit_shows_ratio_not_value(client, data, responsible):
    measurement = MeasurementFactory(
        indicator=data.indicator,
        period=data.period,
        created_by=responsible,
        value=Decimal("0.5"),
        numerator=Decimal("1"),
        denominator=Decimal("2"),
    )
    client.force_login(responsible)
    form = client.get(reverse("evaluation:measurement-edit", args=[measurement.pk])).context["form"]
    assert form.initial == {"narrative": "", "numerator": Decimal("1"), "denominator": Decimal("2")}


def test_measurement_create_in_locked_period_is_refused(client, unit, responsible):
    data = open_plan(unit, locked=True)
    client.force_login(responsible)
    response = client.get(create_url(data), follow=True)
    assert LOCKED_PERIOD in messages_of(response)
    assert Measurement.objects.count() == 0


def test_measurement_submit_in_locked_period_shows_message(client, draft, data, responsible):
    url = reverse("evaluation:measurement-submit", args=[draft.pk])
    assert LOCKED_PERIOD in post_in_locked_period(client, responsible, data.period, url)
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT


@pytest.mark.parametrize("persona", ["outsider", "auditor", "director", "planner"])
def test_measurement_writes_are_forbidden_to_non_reporters(client, data, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    form = {"value": "99", "intent": "submit"}
    create = create_url(data)  # refused before looking at the existing draft
    edit = reverse("evaluation:measurement-edit", args=[draft.pk])
    assert client.get(create).status_code == 403
    assert client.post(create, form).status_code == 403
    # Another unit's Responsable does not even see the draft.
    refused = 404 if persona == "outsider" else 403
    assert client.get(edit).status_code == refused
    assert client.post(edit, form).status_code == refused
    submit = reverse("evaluation:measurement-submit", args=[draft.pk])
    assert client.post(submit).status_code == refused
    draft.refresh_from_db()
    assert (draft.value, draft.status) == (Decimal("4"), ReviewStatus.DRAFT)


@pytest.mark.parametrize("persona", ["responsible", "outsider", "auditor", "director"])
def test_measurement_review_is_forbidden_to_non_reviewers(client, submitted, persona, request):
    client.force_login(request.getfixturevalue(persona))
    approve = reverse("evaluation:measurement-approve", args=[submitted.pk])
    # Another unit's Responsable does not even see the submitted measurement.
    assert client.post(approve).status_code == (404 if persona == "outsider" else 403)
    give_back = reverse("evaluation:measurement-return", args=[submitted.pk])
    assert client.get(give_back).status_code == 403
    assert client.post(give_back, {"review_comment": "No"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED


def test_measurement_pages_send_anonymous_users_to_login(client, data, draft):
    for url in (
        create_url(data),
        draft.get_absolute_url(),
        reverse("evaluation:measurement-edit", args=[draft.pk]),
    ):
        assert client.get(url)["Location"] == f"{reverse('login')}?next={url}"


def test_measurement_detail_is_forbidden_without_a_role(client, draft):
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 403


def test_measurement_save_flashes_spanish_message(client, data, responsible):
    client.force_login(responsible)
    response = client.post(create_url(data), {"value": "2", "intent": "draft"}, follow=True)
    assert messages_of(response) == ["Medición guardada como borrador."]
    assert Measurement.objects.get().status == ReviewStatus.DRAFT
