"""The portal's verify page: every stored file hashed again, the chain walked back to the
plan's first report, in words; the same checks as ``manage.py verify_reports``."""

import pytest
from django.urls import reverse

from accountability.models import AccountabilityReport
from accountability.services import publish_report, withdraw_report
from tests.builders import dashboard_example, generated_report


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


def _verify(client, report):
    response = client.get(reverse("public:report-verify", args=[report.pk]))
    return " ".join(response.content.decode().split())


def test_verify_page_says_everything_matches_for_an_intact_chain(client, example, planner):
    first = publish_report(generated_report(example, planner, ("t1",)), by=planner)
    second = publish_report(generated_report(example, planner), by=planner)
    withdraw_report(second, reason="Cifras en revisión", by=planner)
    page = _verify(client, second)
    assert '<p class="h4 mb-1">Verificado: todo coincide.</p>' in page
    names = sorted(second.files.values_list("name", flat=True))
    assert len(names) == 12
    for name in names:
        assert f"El archivo {name} coincide con la huella publicada." in page
    assert "enlaza con el informe anterior, «Seguimiento t1»." in page
    assert "es el primer informe publicado de este plan." in page
    assert page.count("la huella del informe corresponde a sus archivos.") == 2
    assert f"sha256sum informe-{second.pk}-informe.pdf" in page
    assert f"Get-FileHash informe-{second.pk}-informe.pdf -Algorithm SHA256" in page
    assert f'href="/transparencia/informes/{first.pk}/"' in page


def test_verify_page_names_an_altered_file(client, example, planner, media_root):
    report = publish_report(generated_report(example, planner), by=planner)
    altered = report.files.get(name="informe.pdf")
    (media_root / altered.file.name).write_bytes(b"%PDF-1.7 otro contenido")
    page = _verify(client, report)
    assert '<p class="h4 mb-1">Atención: algo no coincide.</p>' in page
    assert (
        "<strong>No coincide:</strong> El archivo informe.pdf no coincide con la huella "
        "publicada: fue modificado después de publicarse." in page
    )
    assert f'Huella publicada: <code class="text-break">{altered.sha256}</code>' in page
    assert "El archivo metas.csv coincide con la huella publicada." in page


def test_verify_page_names_a_broken_chain_link(client, example, planner):
    publish_report(generated_report(example, planner, ("t1",)), by=planner)
    second = publish_report(generated_report(example, planner), by=planner)
    AccountabilityReport.objects.filter(pk=second.pk).update(previous_sha256="0" * 64)
    page = _verify(client, second)
    assert '<p class="h4 mb-1">Atención: algo no coincide.</p>' in page
    # The report's hash covers previous_sha256: both its manifest and its link fail.
    assert (
        "<strong>No coincide:</strong> la huella del informe no corresponde a la lista de "
        "sus archivos y sus huellas." in page
    )
    assert (
        "<strong>No coincide:</strong> el enlace con el informe anterior, «Seguimiento t1», "
        "está roto" in page
    )
    assert "El archivo informe.pdf coincide con la huella publicada." in page


def test_verify_page_of_an_unpublished_report_is_not_found(client, example, planner):
    draft = generated_report(example, planner)
    assert client.get(reverse("public:report-verify", args=[draft.pk])).status_code == 404


def test_verify_page_runs_the_same_queries_for_chains_of_one_and_three(
    client, example, planner, count_queries
):
    reports = [publish_report(generated_report(example, planner, ("t1",)), by=planner)]
    counts = []
    for size in (1, 3):
        while len(reports) < size:
            reports.append(publish_report(generated_report(example, planner), by=planner))
        with count_queries() as q:
            page = _verify(client, reports[-1])
        assert page.count("la huella del informe corresponde a sus archivos.") == size
        counts.append(q.count)
    assert counts[0] == counts[1]
