"""The portal's start page: each plan's figures from its latest published report, the
latest reports and where to ask a question."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import AccountabilityReport
from accountability.selectors import forget_portal_state
from accountability.services import publish_report, withdraw_report
from tests.builders import dashboard_example, generated_report
from tests.factories import PlanFactory


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


def _figures(page, plan_id):
    """The text of the figures' list of one plan's block."""
    block = page.split(f'<h3 id="plan-{plan_id}">', 1)[1].split("</article>", 1)[0]
    return " ".join(block.split())


def test_home_shows_the_latest_published_report_figures_of_each_plan(client, example, planner):
    publish_report(generated_report(example, planner, ("t1",)), by=planner)
    latest = publish_report(generated_report(example, planner), by=planner)
    page = client.get(reverse("public:home")).content.decode()
    figures = _figures(page, example["plan"].pk)
    # The dashboard example at T2: planned 82, executed 44; definitive $ 4.000.000 (A1's
    # 1.000.000 + A3's 3.000.000), committed 500.000 = 12,50 %, nothing paid.
    assert "Cifras con corte al 30 de Junio de 2026 (T2)." in figures
    assert '<dt>Avance esperado</dt><dd class="portal-figure">82,00 %</dd>' in figures
    assert '<dt>Avance logrado</dt><dd class="portal-figure">44,00 %</dd>' in figures
    assert '<dt>Presupuesto disponible</dt><dd class="portal-figure">$ 4.000.000</dd>' in figures
    assert '<dt>Comprometido</dt><dd class="portal-figure">$ 500.000</dd>' in figures
    assert "contratos u otras obligaciones (12,50 % del presupuesto)" in figures
    assert '<dt>Pagado</dt><dd class="portal-figure">$ 0</dd>' in figures
    assert f'href="/transparencia/informes/{latest.pk}/#preguntas"' in page


def test_home_falls_back_to_the_previous_report_when_the_latest_is_withdrawn(
    client, example, planner
):
    first = publish_report(generated_report(example, planner, ("t1",)), by=planner)
    latest = publish_report(generated_report(example, planner), by=planner)
    withdraw_report(latest, reason="Cifras en revisión", by=planner)
    figures = _figures(client.get(reverse("public:home")).content.decode(), example["plan"].pk)
    # T1: planned 0.3·50 + 0.3·20 + 0.4·50 = 41; executed 0.3·30 + 0.4·20 = 17.
    assert "Cifras con corte al 31 de Marzo de 2026 (T1)." in figures
    assert '<dt>Avance esperado</dt><dd class="portal-figure">41,00 %</dd>' in figures
    assert '<dt>Avance logrado</dt><dd class="portal-figure">17,00 %</dd>' in figures
    assert f'href="/transparencia/informes/{first.pk}/">Ver el informe' in figures


def test_home_without_published_reports_says_figures_will_come(client, db):
    page = client.get(reverse("public:home")).content.decode()
    assert "Todavía no hay cifras publicadas" in page
    assert "Podrá preguntar sobre los informes cuando la entidad publique el primero." in page


def _published_copy(report, plan):
    """Another plan's published report with the same snapshot (rows only: the home page
    reads nothing else)."""
    copy = AccountabilityReport.objects.create(
        plan=plan,
        kind=report.kind,
        title=f"Informe de {plan.name}",
        status=AccountabilityReport.Status.PUBLISHED,
        snapshot=report.snapshot,
        sha256=report.sha256,
        created_by=report.created_by,
        published_at=timezone.now(),
    )
    forget_portal_state()  # what publish_report does: rows written here bypass it
    return copy


def test_home_runs_the_same_queries_for_one_and_three_plans(
    client, example, planner, count_queries
):
    report = publish_report(generated_report(example, planner), by=planner)
    counts = []
    for size in (1, 3):
        while AccountabilityReport.objects.values("plan").distinct().count() < size:
            _published_copy(report, PlanFactory())
        with count_queries() as q:
            page = client.get(reverse("public:home"))
        assert page.content.decode().count('class="portal-plan ') == size
        counts.append(q.count)
    assert counts[0] == counts[1]
