"""Imported first by the benchmark scripts: puts the project on the path, uses
``DATABASE_URL`` (a scratch SQLite file when unset) and sets Django up."""

import os
import sys
import tempfile
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mipg.settings")
django.setup()
