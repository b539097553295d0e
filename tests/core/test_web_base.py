import pytest
from django.urls import reverse

from mipg.core.web import UrlPattern
from tests.factories import PlanFactory


@pytest.mark.django_db
def test_staff_pages_require_login_and_redirect_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith("/cuenta/login/")


@pytest.mark.django_db
def test_login_page_is_spanish(client):
    body = client.get("/cuenta/login/").content.decode()
    assert "Iniciar sesión" in body
    assert 'lang="es"' in body


@pytest.mark.django_db
def test_home_lists_plans_for_a_logged_in_user(client, planner):
    PlanFactory(name="Plan de Acción 2026")
    client.force_login(planner)
    body = client.get("/").content.decode()
    assert "Plan de Acción 2026" in body
    assert "Planeación" in body  # role shown in the navigation bar


@pytest.mark.django_db
def test_unknown_page_renders_spanish_404(client, planner):
    client.force_login(planner)
    response = client.get("/no-existe/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_url_pattern_gives_what_reverse_gives_for_any_id():
    edit = UrlPattern("planning:goal-edit")
    trace = UrlPattern("trace", "planning.goal")
    assert [edit(7), edit(2147483646), trace(12)] == [
        reverse("planning:goal-edit", args=[7]),
        reverse("planning:goal-edit", args=[2147483646]),
        reverse("trace", args=["planning.goal", 12]),
    ]
