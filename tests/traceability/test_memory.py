"""The heavy pages and exports leave no reference cycle behind: once a response is closed,
reference counting frees it with what it holds (the dashboard, the plan tree, thousands of
rows), without waiting for the collector's next full pass (as API responses do since
ApiViewSet.finalize_response, tests/api/test_memory.py)."""

import gc
import weakref

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import resolve, reverse

from tests.builders import build_plan

PAGES = {
    "dashboard": lambda plan: (reverse("dashboard"), {"plan": plan.pk}),
    "dashboard XLSX": lambda plan: (reverse("dashboard-export"), {"plan": plan.pk}),
    "plan page": lambda plan: (plan.get_absolute_url(), {}),
    "action list XLSX": lambda plan: (
        reverse("planning:action-export", args=["xlsx"]),
        {"plan": plan.pk},
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_a_served_page_is_freed_without_the_cycle_collector(planner, page):
    path, params = PAGES[page](build_plan(3))
    request = RequestFactory().get(path, params)
    request.user, request.session = planner, SessionStore()
    request._messages = FallbackStorage(request)
    match = resolve(path)
    gc.collect()
    gc.disable()
    try:
        response = match.func(request, *match.args, **match.kwargs)
        if response.streaming:
            b"".join(response.streaming_content)
        response.close()
        assert response.status_code == 200
        freed = weakref.ref(response)
        del response
        assert freed() is None  # by reference counting alone
    finally:
        gc.enable()
