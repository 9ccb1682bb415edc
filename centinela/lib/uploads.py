"""Uploaded files between the preview and the confirmation of an import: checked for type and size, kept under
var/imports with a random name tied to the user's session, and removed once applied or abandoned."""
from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SESSION_KEY = "pending_imports"
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
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size).1f MB; at most %(max).0f MB).")
            % {"size": uploaded.size / 1e6, "max": max_bytes / 1e6}
        )
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


def discard(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry:
        (_folder() / entry["path"]).unlink(missing_ok=True)


def _cleanup() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
