"""The citizen portal's plans and open data (accountability.views.public_plans): each plan
at its latest published snapshot (version 2 with actions, version 1 with goals only), the
filters, the actions' timelines, and the open-data pages. Figures: dashboard_example (see
mipg.traceability.dashboard's docstring), cut at T2 unless said otherwise."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from accountability import outputs
from accountability.models import AccountabilityReport
from accountability.selectors import report_snapshot
from accountability.services import publish_report, withdraw_report
from accountability.views import public_plans
from mipg.core.models import Entity
from mipg.traceability.dashboard import plan_dashboard
from tests.builders import approved, build_plan, dashboard_example, generated_report

D = Decimal


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    # WeasyPrint takes seconds per report and no page here reads the PDF (test_pdf does).
    monkeypatch.setattr(outputs, "report_pdf", lambda context: b"%PDF-1.7 stub")


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


def published(example, by, periods=("t1", "t2"), **kwargs):
    return publish_report(generated_report(example, by, periods, **kwargs), by=by)


def page_of(client, name, *args, **params):
    return client.get(reverse(f"public:{name}", args=args), params).content.decode()


def action_rows(page):
    """(code, executed) of each row of the actions table, in order."""
    body = page.split('class="table table-sm align-middle table-stack portal-actions"')[1]
    return re.findall(
        r">(A\d) [^<]*</a></th>.*?<td class=\"text-end\">[^<]*</td>\s*"
        r"<td class=\"text-end\">([^<]*)</td>",
        body,
        re.S,
    )


# --- Snapshot version 2 ---------------------------------------------------------------


def test_snapshot_actions_have_the_dashboard_figures_and_groups(example, planner):
    plan, t1, t2 = example["plan"], example["t1"], example["t2"]
    snapshot = report_snapshot(plan, [t1, t2])
    a1, a2, a3 = example["actions"]
    actions = snapshot["actions"]
    assert snapshot["version"] == 2
    assert list(actions) == [f"a{a.pk}" for a in (a1, a2, a3)]
    figures = {
        a["code"]: (D(a["planned"]), D(a["executed"]), D(a["compliance"]), a["unit"])
        for a in actions.values()
    }
    # A1 80 of 100 planned, A2 40 of 40, A3 20 (its T1 report) of 100.
    assert figures == {
        "A1": (D(100), D(80), D(80), "Unidad A"),
        "A2": (D(40), D(40), D(100), "Unidad B"),
        "A3": (D(100), D(20), D(20), "Unidad A"),
    }
    dashboard = plan_dashboard(plan, period=t2)
    for action in actions.values():
        node = dashboard.rollup.physical.actions[int(action["key"])]
        assert (D(action["executed"]), action["state"]) == (node.physical, str(node.state))
    first = actions[f"a{a1.pk}"]
    assert (first["goal_code"], first["objective"], first["policies"]) == ("M1", "O1", ["P10"])
    assert (D(first["finance"]["definitive"]), D(first["finance"]["cdp"])) == (1_000_000, 600_000)
    assert D(first["finance"]["commitment"]) == D(500_000)
    assert actions[f"a{a2.pk}"]["institutional_plans"] == [example["pinar"].code]
    assert D(actions[f"a{a3.pk}"]["finance"]["definitive"]) == D(3_000_000)
    goals = {
        g["code"]: (g["units"], g["policies"], g["institutional_plans"]) for g in snapshot["goals"]
    }
    assert goals == {
        "M1": (["Unidad A", "Unidad B"], ["P10"], [example["pinar"].code]),
        "M2": (["Unidad A"], ["P10"], []),
    }
    # Unit A: (0.3·80 + 0.4·20) / 0.7 = 45.71; unit B: 40.
    units = {u["name"]: D(u["executed"]).quantize(D("0.01")) for u in snapshot["units"]}
    assert units == {"Unidad A": D("45.71"), "Unidad B": D("40.00")}


def test_the_actions_table_is_in_the_open_data(example, planner, media_root):
    report = generated_report(example, planner)
    csv_file = report.files.get(name="actividades.csv")
    lines = (media_root / csv_file.file.name).read_text().splitlines()
    assert lines[0].startswith("codigo,nombre,meta,objetivo,dependencia,politicas_mipg")
    a2 = lines[2].split(",")
    assert (a2[0], a2[2], a2[4], a2[5], a2[6]) == (
        "A2",
        "M1",
        "Unidad B",
        "P10",
        example["pinar"].code,
    )


# --- Plan pages -----------------------------------------------------------------------


def test_the_plan_page_shows_the_latest_published_figures_not_the_live_ones(
    client, example, planner
):
    published(example, planner, ("t1",))
    report = published(example, planner)
    a1, a2, _a3 = example["actions"]
    # Live changes after publication never reach the portal.
    approved(a2, example["t1"], 10)
    a1.progress_reports.filter(period=example["t2"]).update(progress=D(100))
    page = page_of(client, "plan-detail", example["plan"].pk)
    assert "El plan lleva un avance de 44,00 %. Para esta fecha se esperaba 82,00 %." in page
    assert f'<a href="/transparencia/informes/{report.pk}/">{report.title}</a>' in page
    # $ 4.000.000 definitive (1.000.000 + 3.000.000), $ 500.000 committed = 12,50 %.
    assert "<dd>$ 4.000.000</dd>" in page
    assert "<dd>$ 500.000 (12,50 %)</dd>" in page
    goals = reverse("public:plan-goal", args=[example["plan"].pk, a1.goal_id])
    assert f'<a href="{goals}">M1 ' in page
    assert '<label class="form-label" for="id_dependencia">Dependencia</label>' in page


def test_plans_list_each_plan_at_its_latest_published_report(client, example, planner):
    draft_plan = build_plan(3)
    published(example, planner, ("t1",))
    published(example, planner)
    page = page_of(client, "plan-list")
    url = reverse("public:plan-detail", args=[example["plan"].pk])
    assert f'<a href="{url}">Plan del tablero</a>' in page
    assert "Avance: 44,00 %. Para esta fecha se esperaba 82,00 %." in page
    assert reverse("public:plan-detail", args=[draft_plan.pk]) not in page


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"dependencia": "Unidad B"}, ["A2"]),
        ({"dependencia": "Unidad A"}, ["A1", "A3"]),
        ({"politica": "P10"}, ["A1", "A2", "A3"]),
        ({"plan612": "PINAR"}, ["A2"]),
        ({"dependencia": "Unidad A", "plan612": "PINAR"}, []),
    ],
)
def test_the_plan_filters_list_the_matching_actions(client, example, planner, params, codes):
    published(example, planner)
    params = {k: (example["pinar"].code if v == "PINAR" else v) for k, v in params.items()}
    page = page_of(client, "plan-detail", example["plan"].pk, **params)
    if codes:
        assert [code for code, _executed in action_rows(page)] == codes
        total = len(codes)
        assert f"{total} resultado" in page
    else:
        assert '<p id="sin-resultados">Ninguna actividad cumple los filtros elegidos.</p>' in page


def test_a_filter_value_not_in_the_snapshot_is_an_error_next_to_its_field(client, example, planner):
    published(example, planner)
    page = page_of(client, "plan-detail", example["plan"].pk, dependencia="Unidad XQZ")
    assert 'id="id_dependencia-error">Escoja una opción válida.' in page
    assert '<h2 id="arbol">Objetivos y metas</h2>' in page


def test_long_objectives_link_to_their_page_of_goals(client, example, planner, monkeypatch):
    published(example, planner)
    monkeypatch.setattr(public_plans, "GOALS_INLINE", 1)
    monkeypatch.setattr(public_plans, "GOALS_PER_PAGE", 1)
    plan = example["plan"]
    objective = example["actions"][0].goal.objective
    page = page_of(client, "plan-detail", plan.pk)
    url = reverse("public:plan-objective", args=[plan.pk, objective.pk])
    assert f'<a href="{url}">Ver las 2 metas del objetivo O1</a>' in page
    assert page.count('<th scope="row"><a href="/transparencia/planes/') == 1
    second = page_of(client, "plan-objective", plan.pk, objective.pk, page=2)
    # O1: 0.6·60 + 0.4·20 = 44 of 0.6·70 + 0.4·100 = 82.
    assert "El objetivo lleva un avance de 44,00 %. Para esta fecha se esperaba 82,00 %." in second
    assert "2 resultados · página 2 de 2" in second
    assert re.findall(r'<th scope="row"><a href="[^"]+">(M\d) ', second) == ["M2"]


def test_a_goal_page_paginates_its_actions(client, example, planner, monkeypatch):
    published(example, planner)
    monkeypatch.setattr(public_plans, "ACTIONS_PER_PAGE", 1)
    a1 = example["actions"][0]
    page = page_of(client, "plan-goal", example["plan"].pk, a1.goal_id)
    # M1: 0.5·80 + 0.5·40 = 60 of 0.5·100 + 0.5·40 = 70.
    assert "La meta lleva un avance de 60,00 %. Para esta fecha se esperaba 70,00 %." in page
    assert action_rows(page) == [("A1", "80,00 %")]
    assert "2 resultados · página 1 de 2" in page
    second = page_of(client, "plan-goal", example["plan"].pk, a1.goal_id, page=2)
    assert action_rows(second) == [("A2", "40,00 %")]


def test_an_action_page_shows_its_timeline_oldest_first(client, example, planner):
    first = published(example, planner, ("t1",), title="Informe T1")
    second = published(example, planner, title="Informe T2")
    a1 = example["actions"][0]
    page = page_of(client, "plan-action", example["plan"].pk, a1.pk)
    rows = re.findall(
        r'<a href="/transparencia/informes/(\d+)/">[^<]*</a></th>\s*<td>(T\d)</td>\s*'
        r'<td class="text-end">([^<]*)</td>\s*<td class="text-end">([^<]*)</td>',
        page,
    )
    # A1: T1 30 of 50 planned; T2 80 of 100.
    assert rows == [
        (str(first.pk), "T1", "50,00 %", "30,00 %"),
        (str(second.pk), "T2", "100,00 %", "80,00 %"),
    ]
    assert "<dt>Dependencia</dt><dd>Unidad A</dd>" in page


def _as_version_1(report):
    """The report's snapshot as version 1 wrote it: no actions, no units, no memberships."""
    snapshot = dict(report.snapshot, version=1)
    del snapshot["actions"], snapshot["units"]
    snapshot["goals"] = [
        {k: v for k, v in g.items() if k not in ("units", "policies", "institutional_plans")}
        for g in snapshot["goals"]
    ]
    AccountabilityReport.objects.filter(pk=report.pk).update(snapshot=snapshot)


def test_a_version_1_snapshot_shows_its_goals_with_a_note(client, example, planner):
    older = published(example, planner, ("t1",))
    _as_version_1(older)
    report = published(example, planner)
    _as_version_1(report)
    plan, a1 = example["plan"], example["actions"][0]
    page = page_of(client, "plan-detail", plan.pk, dependencia="Unidad B")
    assert '<div class="alert alert-info" role="note" id="sin-actividades">' in page
    assert "El plan lleva un avance de 44,00 %" in page
    assert '<th scope="row">M1 ' in page  # goals, without links to action lists
    assert 'id="id_dependencia"' not in page
    goal = page_of(client, "plan-goal", plan.pk, a1.goal_id)
    assert "Este informe se publicó antes de que el portal mostrara las actividades." in goal
    assert client.get(reverse("public:plan-action", args=[plan.pk, a1.pk])).status_code == 404


def test_an_action_missing_from_an_older_version_1_report_says_so(client, example, planner):
    older = published(example, planner, ("t1",))
    _as_version_1(older)
    published(example, planner)
    page = page_of(client, "plan-action", example["plan"].pk, example["actions"][0].pk)
    assert '<td colspan="5">Este informe no trae el detalle de esta actividad.</td>' in page


def test_plan_pages_are_404_without_a_published_report(client, example, planner):
    generated_report(example, planner)  # ready, never published
    plan, a1 = example["plan"], example["actions"][0]
    for name, args in (
        ("plan-detail", [plan.pk]),
        ("plan-objective", [plan.pk, a1.goal.objective_id]),
        ("plan-indicators", [plan.pk]),
        ("plan-goal", [plan.pk, a1.goal_id]),
        ("plan-action", [plan.pk, a1.pk]),
    ):
        assert client.get(reverse(f"public:{name}", args=args)).status_code == 404
    report = published(example, planner)
    assert client.get(reverse("public:plan-goal", args=[plan.pk, 999999])).status_code == 404
    # A withdrawn report is no longer the plan's published figures.
    withdraw_report(report, reason="Cifras corregidas.", by=planner)
    assert client.get(reverse("public:plan-detail", args=[plan.pk])).status_code == 404


def test_an_indicator_shows_its_formula_and_how_it_was_computed(
    client, example, planner, monkeypatch
):
    report = published(example, planner)
    indicator = {
        "code": "IND-7",
        "name": "Trámites en línea",
        "formula": "(E / P) × 100",
        "measurement_unit": "%",
        "target": "10",
        "executed": "8",
        "compliance": "80",
        "state": "amarillo",
        "explanation": "(8 / 10) × 100 = 80",
    }
    other = dict(indicator, code="IND-8", name="Quejas resueltas XQZ")
    AccountabilityReport.objects.filter(pk=report.pk).update(
        snapshot=dict(report.snapshot, indicators=[indicator, other])
    )
    monkeypatch.setattr(public_plans, "INDICATORS_INLINE", 1)
    plan = example["plan"]
    page = page_of(client, "plan-detail", plan.pk)
    assert "<summary>¿Cómo se calcula?</summary>" in page
    assert "Fórmula: <code>(E / P) × 100</code>" in page
    assert "Con las cifras del corte: (8 / 10) × 100 = 80" in page
    assert '<span class="badge text-bg-warning">Amarillo</span> 80,00 %' in page
    url = reverse("public:plan-indicators", args=[plan.pk])
    assert f'<a href="{url}">Ver los 2 indicadores</a>' in page
    assert "Quejas resueltas XQZ" not in page
    full = page_of(client, "plan-indicators", plan.pk)
    assert re.findall(r'<h3 class="h6 mb-1">(IND-\d) ', full) == ["IND-7", "IND-8"]


# --- Open data ------------------------------------------------------------------------


def test_open_data_lists_every_published_dataset_with_its_files(client, example, planner):
    report = published(example, planner)
    draft = generated_report(example, planner, title="Borrador XQZ")
    page = page_of(client, "dataset-list")
    item = page.split(f'id="conjunto-{report.pk}"')[1].split("</li>")[0]
    for name in ("datapackage.json", "informe.json", "metas.csv", "actividades.csv"):
        assert f'href="/transparencia/informes/{report.pk}/archivos/{name}"' in item
    assert "informe.pdf" not in item
    assert item.index("datapackage.json") < item.index("informe.json") < item.index("metas.csv")
    assert "Creative Commons Atribución 4.0 Internacional" in page
    assert f'id="conjunto-{draft.pk}"' not in page


def test_about_the_data_shows_metadata_and_field_descriptions(client, example, planner):
    entity = Entity.current()
    entity.name, entity.email = "Alcaldía de Prueba", "datos@prueba.gov.co"
    entity.save()
    report = published(example, planner)
    page = page_of(client, "dataset-detail", report.pk)
    assert "<dt>Entidad que publica</dt><dd>Alcaldía de Prueba</dd>" in page
    assert '<dd><a href="mailto:datos@prueba.gov.co">datos@prueba.gov.co</a></dd>' in page
    assert "<dt>Fecha de corte</dt><dd>T2 (2026-06-30)</dd>" in page
    assert "Creative Commons Atribución 4.0 Internacional</a>" in page
    assert (
        '<tr><th scope="row"><code>avance_ejecutado</code></th><td>Avance ejecutado (%)</td>'
        "<td>Número</td><td>Avance físico aprobado al corte, en porcentaje.</td></tr>"
    ) in page
    assert '<h3 class="h5" id="tabla-actividades">Avance por actividad</h3>' in page


def test_an_unpublished_dataset_is_404(client, example, planner):
    draft = generated_report(example, planner)
    assert client.get(reverse("public:dataset-detail", args=[draft.pk])).status_code == 404


def test_the_menu_links_plans_and_open_data(client, example, planner):
    published(example, planner)
    page = page_of(client, "plan-list")
    assert (
        '<a class="nav-link" href="/transparencia/planes/" aria-current="page">Planes</a>' in page
    )
    assert '<a class="nav-link" href="/transparencia/datos-abiertos/">Datos abiertos</a>' in page


# --- Query counts at two sizes ------------------------------------------------------------


def built(client, url, params=None):
    """The page built by its view: the portal's page cache (and its state) emptied first,
    so every measured request runs the same queries and none is served from memory."""
    cache.clear()
    return client.get(url, params or {})


def test_plan_list_runs_the_same_queries_for_one_and_three_plans(
    client, example, planner, count_queries
):
    published(example, planner)
    counts = []
    with count_queries() as q:
        built(client, reverse("public:plan-list"))
    counts.append(q.count)
    for _ in range(2):
        plan = build_plan(3)
        report = generated_report({"plan": plan, "t": plan.periods.first()}, planner, ("t",))
        publish_report(report, by=planner)
    with count_queries() as q:
        page = built(client, reverse("public:plan-list")).content.decode()
    counts.append(q.count)
    assert page.count('<h2 class="h4">') == 3
    assert counts[0] == counts[1]


def test_plan_pages_run_the_same_queries_for_one_and_three_actions(
    client, example, planner, count_queries, monkeypatch
):
    published(example, planner)
    plan, a1 = example["plan"], example["actions"][0]
    urls = [
        (reverse("public:plan-detail", args=[plan.pk]), {"dependencia": "Unidad B"}, 1),
        (reverse("public:plan-detail", args=[plan.pk]), {"politica": "P10"}, 3),
    ]
    counts = []
    for url, params, expected in urls:
        with count_queries() as q:
            page = built(client, url, params).content.decode()
        assert len(action_rows(page)) == expected
        counts.append(q.count)
    goal_counts = []
    for goal_id in (example["actions"][2].goal_id, a1.goal_id):  # M2: 1 action, M1: 2
        with count_queries() as q:
            built(client, reverse("public:plan-goal", args=[plan.pk, goal_id]))
        goal_counts.append(q.count)
    objective = reverse("public:plan-objective", args=[plan.pk, a1.goal.objective_id])
    for per_page in (1, 3):  # a page of one goal, then of both
        monkeypatch.setattr(public_plans, "GOALS_PER_PAGE", per_page)
        with count_queries() as q:
            built(client, objective)  # the same address: built again, not served from cache
        goal_counts.append(q.count)
    assert counts[0] == counts[1]
    assert goal_counts[0] == goal_counts[1] == goal_counts[2] == goal_counts[3]


def test_timeline_and_open_data_run_the_same_queries_for_one_and_three_reports(
    client, example, planner, count_queries
):
    report = published(example, planner, ("t1",))
    a1 = example["actions"][0]
    urls = [
        reverse("public:plan-action", args=[example["plan"].pk, a1.pk]),
        reverse("public:dataset-list"),
        reverse("public:dataset-detail", args=[report.pk]),
    ]

    def counts():
        result = []
        for url in urls:
            with count_queries() as q:
                built(client, url)
            result.append(q.count)
        return result

    before = counts()
    published(example, planner, ("t1",))
    published(example, planner)
    assert counts() == before
