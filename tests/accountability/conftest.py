"""The PDF of a report is drawn by WeasyPrint in about two seconds; most tests here are about
what surrounds it (publication, the chain, the portal, questions), so they get a stand-in
PDF of a few bytes, stored, hashed and served like the real one. Tests marked
``real_pdf`` (the PDF's own tests and the generation through Celery) draw it for real, and
so does every generation outside this folder (the demo's report in tests/wiring)."""

import pytest

from accountability import outputs
from tests.builders import PDF


@pytest.fixture(autouse=True)
def _stand_in_pdf(request, monkeypatch):
    if request.node.get_closest_marker("real_pdf") is None:
        monkeypatch.setattr(outputs, "report_pdf", lambda context: PDF)
