"""Uploaded workbooks kept between the preview and the confirmation, and error workbooks
kept for download: files under MEDIA_ROOT/imports named by a random id, reached only
through a signed token that names the plan and the user (valid one day)."""

import datetime
import uuid

from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "imports"
SALT = "mipg.traceability.spreadsheet"
MAX_AGE = 24 * 3600


def store(file, *, plan, user, filename):
    """Keep ``file`` and return the token that finds it again; files whose tokens have
    expired are removed on the way."""
    _remove_expired()
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.xlsx", File(file))
    return sign({"name": name, "plan": plan.pk, "user": user.pk, "filename": filename})


def sign(data):
    """The token of ``data`` (what load returns), e.g. with the rows a preview counted."""
    return signing.dumps(data, salt=SALT)


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


def _remove_expired():
    if not default_storage.exists(FOLDER):
        return
    limit = timezone.now() - datetime.timedelta(seconds=MAX_AGE)
    for name in default_storage.listdir(FOLDER)[1]:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < limit:
            default_storage.delete(path)


def open_stored(data):
    return default_storage.open(data["name"], "rb")


def discard(data):
    default_storage.delete(data["name"])
