"""Uploaded workbooks kept between the preview and the confirmation, and error workbooks
kept for download: files under MEDIA_ROOT/imports named by a random id, reached only
through a signed token that names the plan and the user (valid one day)."""

import uuid

from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage

FOLDER = "imports"
SALT = "mipg.traceability.spreadsheet"
MAX_AGE = 24 * 3600


def store(file, *, plan, user, filename):
    """Keep ``file`` and return the token that finds it again."""
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.xlsx", File(file))
    return signing.dumps(
        {"name": name, "plan": plan.pk, "user": user.pk, "filename": filename}, salt=SALT
    )


def load(token, *, plan, user):
    """{name, filename} of the token, or None when it is forged, stale, of another plan or
    user, or its file is gone."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("plan") != plan.pk or data.get("user") != user.pk:
        return None
    if not default_storage.exists(data["name"]):
        return None
    return data


def open_stored(data):
    return default_storage.open(data["name"], "rb")


def discard(data):
    default_storage.delete(data["name"])
