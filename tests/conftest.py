"""Shared fixtures: personas per role (in the style of healthchecks' hc/test.py) and a
query-count helper that prints the SQL when the count is wrong."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mipg import roles
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def unit(db):
    return UnitFactory(code="SPL", name="Secretaría de Planeación")


@pytest.fixture
def other_unit(db):
    return UnitFactory(code="SGO", name="Secretaría de Gobierno")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def planner(db):
    return UserFactory(username="planeacion", roles=[roles.PLANEACION])


@pytest.fixture
def responsible(db, unit):
    """A Responsable of `unit` (first line of defence)."""
    return UserFactory(username="responsable", roles=[roles.RESPONSABLE], member_of=[unit])


@pytest.fixture
def outsider(db, other_unit):
    """A Responsable of another unit."""
    return UserFactory(username="otro", roles=[roles.RESPONSABLE], member_of=[other_unit])


@pytest.fixture
def director(db):
    return UserFactory(username="directivo", roles=[roles.DIRECTIVO])


@pytest.fixture
def auditor(db):
    return UserFactory(username="control", roles=[roles.CONTROL_INTERNO])


class _QueryCounter:
    def __call__(self, expected=None):
        return _Counting(expected)


class _Counting(CaptureQueriesContext):
    def __init__(self, expected):
        super().__init__(connection)
        self.expected = expected

    @property
    def count(self):
        return len(self.captured_queries)

    def __exit__(self, exc_type, exc, tb):
        super().__exit__(exc_type, exc, tb)
        if exc_type is None and self.expected is not None and self.count != self.expected:
            sql = "\n".join(
                f"{i}. {q['sql']}" for i, q in enumerate(self.captured_queries, start=1)
            )
            pytest.fail(f"Expected {self.expected} queries, ran {self.count}:\n{sql}")


@pytest.fixture
def count_queries(db):
    """`with count_queries() as q: ...; q.count` or `with count_queries(3): ...`."""
    return _QueryCounter()
