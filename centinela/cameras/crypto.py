"""Device credentials encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256) with a key from the settings
(CAMERA_CREDENTIALS_KEY; by default derived from SECRET_KEY). Never shown back in full."""
import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    key = getattr(settings, "CAMERA_CREDENTIALS_KEY", "") or ""
    if not key:
        key = base64.urlsafe_b64encode(hashlib.sha256(("centinela-cameras:" + settings.SECRET_KEY).encode()).digest()).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def mask(secret: str) -> str:
    return "" if not secret else ("•" * 6 + secret[-2:] if len(secret) > 4 else "•" * 6)
