"""Secrets encrypted at rest, today the cameras' credentials (Fernet: AES-128-CBC + HMAC-SHA256), with a key from
the settings (CAMERA_CREDENTIALS_KEY; by default derived from SECRET_KEY). Never shown back in full, and never read
as "" when the key cannot decrypt it: callers get UnreadableSecret and say so ("credenciales ilegibles")."""

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

log = logging.getLogger("centinela.lib.crypto")


# Every column holding a secret encrypted with this key (app label, model, field): a backup names them and a restore
# re-encrypts them. Each app registers its own columns when it is ready (cameras: Device.password_encrypted).
ENCRYPTED_FIELDS: list[tuple[str, str, str]] = []


def register_encrypted_field(app_label: str, model: str, field: str) -> None:
    """A column of `model` that holds secrets encrypted with this module's key."""
    if (app_label, model, field) not in ENCRYPTED_FIELDS:
        ENCRYPTED_FIELDS.append((app_label, model, field))


def current_key() -> str:
    """The Fernet key in use: CAMERA_CREDENTIALS_KEY, or one derived from SECRET_KEY."""
    key = getattr(settings, "CAMERA_CREDENTIALS_KEY", "") or ""
    if not key:
        key = base64.urlsafe_b64encode(
            hashlib.sha256(("centinela-cameras:" + settings.SECRET_KEY).encode()).digest()
        ).decode()
    return key.decode() if isinstance(key, bytes) else key


def key_material() -> list[str]:
    """What a backup must carry to read the stored credentials elsewhere: the keys that decrypt them."""
    return [current_key()]


def _fernet() -> Fernet:
    return Fernet(current_key().encode())


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


class UnreadableSecret(ValueError):
    """A stored secret that the current key cannot decrypt: CAMERA_CREDENTIALS_KEY (or SECRET_KEY) changed."""


_warned: set[str] = set()  # tokens already reported, so a monitor probing every minute does not flood the log


def decrypt(token: str) -> str:
    """The secret, or "" when none is stored. A token the current key cannot read is logged (once) and raises
    UnreadableSecret: it never reads as "" (the monitor would try an empty password, the pages would show none)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        marker = hashlib.sha256(token.encode()).hexdigest()[:16]
        if marker not in _warned:
            if len(_warned) > 10_000:
                _warned.clear()
            _warned.add(marker)
            log.warning(
                "a camera credential cannot be decrypted (token %s): CAMERA_CREDENTIALS_KEY or SECRET_KEY "
                "changed since it was saved; enter the password again",
                marker,
            )
        raise UnreadableSecret(marker) from None


def readable(token: str) -> bool:
    """Whether the current key can decrypt a stored secret (True when none is stored)."""
    try:
        decrypt(token)
    except UnreadableSecret:
        return False
    return True


def masked(token: str) -> str:
    """What a page shows of a stored secret: its last two characters, or that it cannot be read."""
    try:
        return mask(decrypt(token))
    except UnreadableSecret:
        return ""


def mask(secret: str) -> str:
    return "" if not secret else ("•" * 6 + secret[-2:] if len(secret) > 4 else "•" * 6)


def reencrypt(token: str, old_keys: list[str]) -> str | None:
    """The token readable with the current key: itself if it already is, else decrypted with one of old_keys (a
    restored backup's) and encrypted again; None when no key reads it."""
    try:
        _fernet().decrypt(token.encode())
        return token
    except (InvalidToken, ValueError):
        pass
    for key in old_keys:
        try:
            secret = Fernet(key.encode()).decrypt(token.encode()).decode()
        except (InvalidToken, ValueError):
            continue
        return encrypt(secret)
    return None
