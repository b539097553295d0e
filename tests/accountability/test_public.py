"""The citizen portal (/transparencia/): no login, only published reports, the entity's
identity, and the site root sending anonymous visitors there."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from accountability.models import AccountabilityReport
from accountability.selectors import published_reports, report_list
from accountability.services import publish_report, withdraw_report
from mipg.core.models import Entity, validate_portal_color, white_text_contrast
from tests.builders import dashboard_example, generated_report

Status = AccountabilityReport.Status


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


def test_anonymous_visitors_at_the_root_go_to_the_portal(client, db):
    assert client.get("/").url == reverse("public:home")


def test_staff_at_the_root_keep_their_home(client, planner):
    client.force_login(planner)
    assert client.get("/").status_code == 200


def test_white_on_govco_blue_has_the_hand_computed_contrast():
    # #3366CC: channels 0.2, 0.4, 0.8 → linear 0.0331, 0.1329, 0.6038;
    # luminance 0.2126·0.0331 + 0.7152·0.1329 + 0.0722·0.6038 = 0.1457;
    # contrast (1 + 0.05) / (0.1457 + 0.05) = 5.37.
    assert round(white_text_contrast("#3366CC"), 2) == 5.37
    assert round(white_text_contrast("#000000"), 2) == 21.0


@pytest.mark.parametrize(
    ("color", "message"),
    [
        ("3366CC", "Escriba el color en formato #RRGGBB, por ejemplo #3366CC."),
        ("#3366GG", "Escriba el color en formato #RRGGBB, por ejemplo #3366CC."),
        # #FFCC00: luminance 0.2126 + 0.7152·0.6038 = 0.6444; 1.05 / 0.6944 = 1.51.
        ("#FFCC00", "contraste 1,51 a 1"),
    ],
)
def test_a_portal_colour_must_be_hex_and_readable_under_white_text(color, message):
    with pytest.raises(ValidationError) as error:
        validate_portal_color(color)
    assert message in error.value.messages[0]


def test_the_portal_shows_the_entity_identity_and_colour(client, db):
    entity = Entity.current()
    entity.name, entity.nit, entity.primary_color = "Alcaldía de Prueba", "800.123.456-7", "#004884"
    entity.phone, entity.office_hours = "(601) 555 0000", "Lunes a viernes"
    entity.save()
    page = client.get(reverse("public:home")).content.decode()
    assert '<a class="portal-entity" href="/transparencia/">Alcaldía de Prueba</a>' in page
    assert "NIT 800.123.456-7" in page
    assert "<dd>(601) 555 0000</dd>" in page and "<dd>Lunes a viernes</dd>" in page
    assert '<a href="https://www.gov.co/" class="govco-link">GOV.CO' in page
    assert 'href="#contenido"' in page and '<html lang="es">' in page
    css = client.get(reverse("public:identity-css"))
    assert css["Content-Type"] == "text/css"
    assert css.content.decode() == ":root { --entity-color: #004884; }\n"


def test_only_published_and_withdrawn_reports_are_listed(client, example, planner):
    draft = generated_report(example, planner, ("t1",), title="Borrador interno XQZ")
    published = publish_report(
        generated_report(example, planner, title="Rendición publicada"), by=planner
    )
    page = client.get(reverse("public:report-list")).content.decode()
    assert f'href="/transparencia/informes/{published.pk}/"' in page
    assert "Borrador interno XQZ" not in page
    assert client.get(reverse("public:report-detail", args=[draft.pk])).status_code == 404
    name = draft.files.first().name
    assert client.get(reverse("public:report-file", args=[draft.pk, name])).status_code == 404


def test_a_published_report_page_shows_its_figures_and_downloads(client, example, planner):
    report = publish_report(generated_report(example, planner), by=planner)
    page = client.get(reverse("public:report-detail", args=[report.pk])).content.decode()
    assert "Al corte, el plan lleva un avance de 44,00 %" in page
    for file in report.files.all():
        assert f'<code class="small text-break">{file.sha256}</code>' in page
    pdf = client.get(reverse("public:report-file", args=[report.pk, "informe.pdf"]))
    assert pdf["Content-Disposition"] == f'attachment; filename="informe-{report.pk}-informe.pdf"'
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_withdrawn_report_stays_public_with_its_reason(client, example, planner):
    report = publish_report(generated_report(example, planner), by=planner)
    withdraw_report(report, reason="Cifras de T2 corregidas por la Oficina XQZ.", by=planner)
    page = client.get(reverse("public:report-detail", args=[report.pk])).content.decode()
    assert "Motivo: Cifras de T2 corregidas por la Oficina XQZ." in page


def test_portal_lists_run_the_same_queries_for_one_and_three_reports(
    client, example, planner, count_queries
):
    publish_report(generated_report(example, planner, ("t1",)), by=planner)
    counts = []
    for _ in range(2):
        cache.clear()  # measure pages built, not served from the portal's cache
        with count_queries() as q:
            list_page = client.get(reverse("public:report-list"))
            client.get(reverse("public:home"))
        counts.append((q.count, len(list_page.context["page"].object_list)))
        publish_report(generated_report(example, planner, ("t1",)), by=planner)
        publish_report(generated_report(example, planner), by=planner)
    assert [c for c, _ in counts] == [counts[0][0]] * 2
    assert [n for _, n in counts] == [1, 3]


def test_report_lists_never_read_the_snapshots(example, planner):
    publish_report(generated_report(example, planner), by=planner)
    generated_report(example, planner, ("t1",))
    public = list(published_reports())
    staff = list(report_list())
    assert [("snapshot" in r.get_deferred_fields()) for r in public + staff] == [True] * 3
