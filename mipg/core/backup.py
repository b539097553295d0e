"""Backup and restore of a whole site: the database and every file under MEDIA_ROOT.

The database is copied by the engine's own tools, so a restore gives back the same rows,
ids, sequences and history records, byte for byte, without running a model's ``save()``
or a signal: PostgreSQL with ``pg_dump --format=custom`` and ``pg_restore`` (the client
programs of PostgreSQL must be installed), SQLite with its online backup API. A backup is
restored on the same engine it was made on.

A backup folder holds ``manifest.json`` (engine, date, and the SHA-256 of the database copy
and of every file), the database copy and ``media/`` with the files. ``restore_backup``
checks every hash before writing anything, and writes only into an empty database (a new
one, or one emptied with ``manage.py flush``) and an empty MEDIA_ROOT: the copy replaces
the database whole, so nothing is duplicated, and nothing in use can be overwritten.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = "mipg-backup-1"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
_CHUNK = 1024 * 1024


class BackupError(CommandError):
    """A backup or restore that cannot be done; the message says why, in Spanish. A
    CommandError, so that the commands print it without a traceback."""


def create_backup(output):
    """Copy the database and MEDIA_ROOT into the new or empty folder ``output``; returns
    the manifest written there."""
    output = Path(output).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    engine = _engine()
    if output == media_root or media_root in output.parents:
        raise BackupError(f"La copia no puede quedar dentro de MEDIA_ROOT ({media_root}).")
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BackupError(f"La carpeta {output} ya existe y no está vacía.")
    output.mkdir(parents=True, exist_ok=True)

    # The database first: a file uploaded while the files are copied is only an extra
    # file, whereas a file copied before its row existed would be missing from the dump.
    database_file = output / DATABASE_FILES[engine]
    _DUMPERS[engine](database_file)
    files = {
        name: _copy_hashing(media_root / name, output / MEDIA / name)
        for name in _relative_files(media_root)
    }
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": {"file": database_file.name, "sha256": _sha256(database_file)},
        "media": files,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def restore_backup(source):
    """Restore the backup folder ``source`` into the empty database and MEDIA_ROOT;
    returns its manifest. Refuses, before writing anything, a damaged or incomplete
    backup, one of another engine, and a database or MEDIA_ROOT that is not empty."""
    source = Path(source).resolve()
    manifest = _read_manifest(source)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"La copia es de {manifest['engine']} y la base de datos configurada es {engine}: "
            "restaure en el mismo motor."
        )
    database_file = source / manifest["database"]["file"]
    _check_hash(database_file, manifest["database"]["sha256"])
    media_root = Path(settings.MEDIA_ROOT).resolve()
    for name, digest in manifest["media"].items():
        if media_root not in (media_root / name).resolve().parents:
            raise BackupError(f"La copia nombra un archivo fuera de MEDIA_ROOT: {name}.")
        _check_hash(source / MEDIA / name, digest)

    filled = tables_with_rows()
    if filled:
        raise BackupError(
            "La base de datos no está vacía (tablas con datos: "
            f"{', '.join(filled[:5])}{'…' if len(filled) > 5 else ''}). Restaure en una base "
            "de datos nueva o vacíela antes con «manage.py flush»."
        )
    if _relative_files(media_root):
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) no está vacía: restaure en una carpeta vacía."
        )

    _LOADERS[engine](database_file)
    ContentType.objects.clear_cache()
    for name in manifest["media"]:
        _copy_hashing(source / MEDIA / name, media_root / name)
    return manifest


def summary(manifest):
    """What a backup holds, in words: "base de datos postgresql y 62 archivos"."""
    return f"base de datos {manifest['engine']} y {len(manifest['media'])} archivos"


def tables_with_rows():
    """The tables of the installed models that hold at least one row, apart from content
    types and permissions, which Django writes itself after ``migrate`` and ``flush`` (the
    restore replaces them with those of the backup)."""
    tables = set(connection.introspection.django_table_names(only_existing=True))
    tables -= {ContentType._meta.db_table, Permission._meta.db_table}
    filled = []
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                filled.append(table)
    return filled


# --- engines ------------------------------------------------------------------------------


def _engine():
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"No hay copia de seguridad para el motor {connection.vendor}.")
    return connection.vendor


def _postgresql(program, options, *trailing):
    """Run a PostgreSQL client program against the configured database: ``options``, the
    connection arguments and the database name (as Django's dbshell builds them), then
    ``trailing``."""
    if shutil.which(program) is None:
        raise BackupError(
            f"No se encontró «{program}»: instale los programas cliente de PostgreSQL "
            "(paquete postgresql-client) de la misma versión del servidor o una posterior."
        )
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, options)
    result = subprocess.run(
        [program, *args[1:], *trailing],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} falló: {result.stderr.strip()}")


def _dump_postgresql(path):
    _postgresql("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"])


def _load_postgresql(path):
    # "--dbname" last among the options takes the database name that follows as its value.
    restore = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
    _postgresql(
        "pg_restore", [*restore, "--single-transaction", "--exit-on-error", "--dbname"], path
    )
    # The tables were dropped and created again: statements the connection prepared
    # against the old ones must not be reused.
    connection.close()


def _dump_sqlite(path):
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _load_sqlite(path):
    connection.ensure_connection()
    backup = sqlite3.connect(path)
    try:
        backup.backup(connection.connection)
    finally:
        backup.close()


_DUMPERS = {"postgresql": _dump_postgresql, "sqlite": _dump_sqlite}
_LOADERS = {"postgresql": _load_postgresql, "sqlite": _load_sqlite}


# --- files --------------------------------------------------------------------------------


def _relative_files(root):
    """The files under ``root`` as sorted POSIX paths relative to it."""
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _copy_hashing(source, target):
    """Copy ``source`` to ``target`` (creating its folders); returns the SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            writer.write(chunk)
    shutil.copystat(source, target)
    return digest.hexdigest()


def _sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as reader:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_hash(path, expected):
    if not path.is_file():
        raise BackupError(f"Falta el archivo {path} de la copia: la copia está incompleta.")
    if _sha256(path) != expected:
        raise BackupError(f"El archivo {path} no coincide con la copia (SHA-256): está dañado.")


def _read_manifest(source):
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} no es una copia de MIPG: falta {MANIFEST}.") from None
    except json.JSONDecodeError:
        raise BackupError(f"{source / MANIFEST} está dañado.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} no es una copia de MIPG en el formato {FORMAT}.")
    return manifest
