"""manage.py backup / restore: the demo goes through a backup into an emptied database and
MEDIA_ROOT and comes back with the same rows in every table and the same files (SHA-256),
on SQLite and on PostgreSQL (CI runs the suite on both)."""

import hashlib
import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from mipg.core.backup import FORMAT, MANIFEST, tables_with_rows
from mipg.core.models import Unit


def database_contents():
    """Every table (Django's and the history tables included) with its rows, sorted."""
    contents = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            contents[table] = sorted(repr(row) for row in cursor.fetchall())
    return contents


def file_hashes(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def empty_media(root):
    for child in root.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


# The database must be committed for pg_dump to see it; serialized_rollback gives the next
# transactional tests back the reference data of the migrations after the final flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_round_trip_the_demo(media_root, tmp_path_factory):
    call_command("seed_demo", stdout=StringIO())
    before, files = database_contents(), file_hashes(media_root)
    backup = tmp_path_factory.mktemp("copias") / "demo"

    call_command("backup", "--output", str(backup), stdout=StringIO())

    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["media"] == files
    evidence = [name for name in files if name.startswith("evidence/")]
    assert len(evidence) == sum(1 for name in evidence if name.endswith(".pdf")) > 20
    # and the 12 files of the demo's published accountability report
    assert len(files) == len(evidence) + 12
    # Refused: the database is not empty, and the folder already holds a backup.
    with pytest.raises(CommandError, match="La base de datos no está vacía"):
        call_command("restore", str(backup))
    with pytest.raises(CommandError, match="ya existe y no está vacía"):
        call_command("backup", "--output", str(backup))

    call_command("flush", interactive=False)
    empty_media(media_root)
    assert tables_with_rows() == []
    assert file_hashes(media_root) == {}

    # A damaged copy is refused before anything is written.
    damaged = backup.parent / "danada"
    shutil.copytree(backup, damaged)
    evidence = damaged / "media" / next(iter(files))
    evidence.write_bytes(evidence.read_bytes() + b"x")
    with pytest.raises(CommandError, match="no coincide con la copia"):
        call_command("restore", str(damaged))
    assert tables_with_rows() == []

    output = StringIO()
    call_command("restore", str(backup), stdout=output)

    assert database_contents() == before
    assert file_hashes(media_root) == files
    assert f"{len(files)} archivos" in output.getvalue()
    # The id sequences came back too: a new row gets the next id.
    last = Unit.objects.order_by("pk").last().pk
    assert Unit.objects.create(code="NEW", name="Dependencia nueva").pk > last


def test_backup_refuses_a_folder_inside_media_root(media_root):
    with pytest.raises(CommandError, match="dentro de MEDIA_ROOT"):
        call_command("backup", "--output", str(media_root / "copia"))


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="no es una copia de MIPG: falta manifest.json"):
        call_command("restore", str(tmp_path))


def test_restore_refuses_a_backup_of_another_engine(tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest = {"format": FORMAT, "engine": other, "database": {}, "media": {}}
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=f"La copia es de {other}"):
        call_command("restore", str(tmp_path))


def test_restore_refuses_a_file_name_outside_media_root(tmp_path, media_root):
    backup = tmp_path / "copia"
    backup.mkdir()
    (backup / "database.bin").write_bytes(b"")
    manifest = {
        "format": FORMAT,
        "engine": connection.vendor,
        "database": {"file": "database.bin", "sha256": hashlib.sha256(b"").hexdigest()},
        "media": {"../fuera.txt": "0" * 64},
    }
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="fuera de MEDIA_ROOT: ../fuera.txt"):
        call_command("restore", str(backup))
