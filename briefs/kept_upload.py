"""A hero image chosen on a form that came back with errors is kept, so it need not be chosen again.

Browsers never send a file twice: once a form with an upload is refused, the file is gone from
the page. So the upload (already through the quick checks of `briefs.images.check_upload`) is
stored, unserved, under `incoming/kept/`, and the form carries a signed token naming it and the
person who chose it. The next post of the form uses it as if it were chosen again, until the form
is saved (the brief's own upload pipeline then takes a copy and the kept file is deleted) or
another file is chosen. Tokens expire after a day; so does the kept file (`sweep_kept_uploads`).
"""

import datetime as dt
import uuid
from pathlib import PurePath

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from .models import Brief

SALT = "briefs.kept-hero-upload"
MAX_AGE = dt.timedelta(days=1)
FOLDER = "incoming/kept"


def _storage():
    return Brief._meta.get_field("hero_upload").storage


def keep(upload, *, user):
    """Store `upload` and return the token that names it for `user`."""
    suffix = PurePath(upload.name or "").suffix.lower()[:10]
    upload.seek(0)
    name = _storage().save(f"{FOLDER}/{uuid.uuid4().hex}{suffix}", upload)
    upload.seek(0)
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"name": name, "user": user.pk, "original": PurePath(upload.name or "image").name[:120]}
    )


def _unsign(token, user):
    try:
        value = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, dict) or value.get("user") != getattr(user, "pk", None):
        return None
    name = value.get("name")
    if not isinstance(name, str) or not name.startswith(f"{FOLDER}/") or ".." in name:
        return None
    return value


def restore(token, *, user):
    """The kept upload `token` names, as an uploaded file; None if the token is not valid for `user`
    or the file is gone."""
    value = _unsign(token or "", user) if token else None
    if value is None:
        return None
    storage = _storage()
    try:
        size = storage.size(value["name"])
        file = storage.open(value["name"], "rb")
    except (OSError, FileNotFoundError):
        return None
    return UploadedFile(file=file, name=value["original"], size=size)


def original_name(token, *, user):
    value = _unsign(token or "", user) if token else None
    return value["original"] if value else None


def forget_after_commit(token, *, user):
    """Delete the kept file once the save that used it is committed."""
    value = _unsign(token or "", user) if token else None
    if value is not None:
        transaction.on_commit(lambda: _storage().delete(value["name"]))


def sweep_kept_uploads(now=None):
    """Delete kept files older than their tokens: nobody can use them any more."""
    storage = _storage()
    limit = (now or timezone.now()) - MAX_AGE
    try:
        _, files = storage.listdir(FOLDER)
    except (OSError, FileNotFoundError):
        return 0
    removed = 0
    for name in files:
        path = f"{FOLDER}/{name}"
        if storage.get_modified_time(path) < limit:
            storage.delete(path)
            removed += 1
    return removed
