"""Uploaded files: the size limit every upload obeys while it arrives (LimitedUploadHandler, UPLOAD_MAX_BYTES,
and the `size_limit` validator every upload field carries), and the files between the preview and the confirmation
of an import: checked for type and size, kept under var/imports with a random name tied to the user's session, and
removed once applied or abandoned."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

SESSION_KEY = "pending_imports"


def too_large_message(size: int, max_bytes: int) -> str:
    return _("The file is too large (%(size).1f MB; at most %(max).0f MB).") % {
        "size": size / 1e6,
        "max": max_bytes / 1e6,
    }


class OversizedUpload(SimpleUploadedFile):
    """What a form receives for a file past UPLOAD_MAX_BYTES: its name and how much arrived, none of its bytes
    (they were never stored). `size_limit` turns it into the form error."""

    def __init__(self, name: str, size: int, content_type: str):
        super().__init__(name, b"", content_type)
        self.size = size
        self.oversized = True


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes as they arrive; past UPLOAD_MAX_BYTES (or when the
    request says beforehand that it is larger) the rest is not handed on to the handlers that store it, and the
    form gets an OversizedUpload, so the user sees a clear message and the rest of what they typed."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = settings.UPLOAD_MAX_BYTES
        self.declared_too_large = bool(content_length) and content_length > self.limit + 1024 * 1024

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.declared_too_large or self.received > self.limit:
            return None  # swallowed: never written to memory or disk
        return raw_data

    def file_complete(self, file_size):
        if self.declared_too_large or self.received > self.limit:
            return OversizedUpload(self.file_name, self.received, self.content_type)
        return None


def size_limit(uploaded) -> None:
    """The validator on every upload field: refuses a file past UPLOAD_MAX_BYTES (stopped while it arrived)."""
    if getattr(uploaded, "oversized", False) or (uploaded is not None and uploaded.size > settings.UPLOAD_MAX_BYTES):
        raise ValidationError(too_large_message(uploaded.size, settings.UPLOAD_MAX_BYTES))


MAX_AGE_SECONDS = 3600


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stash(request, uploaded, *, extensions: set[str], max_bytes: int) -> str:
    name = uploaded.name.lower()
    suffix = next((ext for ext in sorted(extensions, key=len, reverse=True) if name.endswith(ext)), None)
    if suffix is None:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted: %(ext)s") % {"ext": ", ".join(sorted(extensions))}
        )
    if getattr(uploaded, "oversized", False) or uploaded.size > max_bytes:
        raise ValidationError(too_large_message(uploaded.size, min(max_bytes, settings.UPLOAD_MAX_BYTES)))
    _cleanup()
    token = secrets.token_urlsafe(16)
    path = _folder() / f"{token}{suffix}"
    with path.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"path": path.name, "original": uploaded.name}
    request.session[SESSION_KEY] = pending
    return token


def path_of(request, token: str) -> Path | None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry:
        return None
    path = _folder() / entry["path"]
    return path if path.exists() else None


def companion(request, token: str, suffix: str) -> Path | None:
    """A file kept beside a pending upload (what its preview found, such as the rejected rows' reasons): same
    random name, removed with it (discard) or with the old files (_cleanup); None when the upload is not this
    session's."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry:
        return None
    return _folder() / f"{Path(entry['path']).stem}{suffix}"


def kept_file(name: str) -> Path:
    """A file kept beside the uploads by its name (a companion's, handed to a job that has no session): only the
    name is taken, so a job's params never point outside the uploads folder."""
    return _folder() / Path(name).name


def discard(request, token: str, *, keep: tuple[str, ...] = ()) -> None:
    """Remove an upload and the files beside it; those whose suffix is in `keep` stay (and so does the upload's
    place in the session, to find them) until they are as old as an abandoned upload (_cleanup)."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token) if keep else pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry:
        stem = Path(entry["path"]).stem
        (_folder() / entry["path"]).unlink(missing_ok=True)
        for path in _folder().glob(f"{stem}.*"):
            if path.name[len(stem) :] not in keep:
                path.unlink(missing_ok=True)


def _cleanup() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
