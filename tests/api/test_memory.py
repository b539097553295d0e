"""An API response is freed as soon as it is closed: no reference cycle keeps it (with its
data: 12 MB of JSON for a 20,000-action roll-up) waiting for the collector's next full
pass (mipg.core.api.views.ApiViewSet.finalize_response)."""

import gc
import weakref

from django.urls import resolve
from rest_framework.test import APIRequestFactory, force_authenticate

from tests.builders import build_plan


def _served(path, user):
    """The response of `path` as the server sends it: rendered, then closed."""
    request = APIRequestFactory().get(path)
    force_authenticate(request, user=user)
    match = resolve(path)
    response = match.func(request, *match.args, **match.kwargs)
    response.render()
    response.close()
    return response


def test_a_closed_api_response_is_freed_without_the_cycle_collector(planner):
    plan = build_plan(3)
    path = f"/api/v1/plans/{plan.pk}/rollup/"
    gc.collect()
    gc.disable()
    try:
        response = _served(path, planner)
        assert response.status_code == 200 and response.data["actions"]
        freed = weakref.ref(response)
        del response
        assert freed() is None  # by reference counting alone, its data with it
    finally:
        gc.enable()
