"""Who is on the other end of a request. Behind the trusted reverse proxy (BEHIND_PROXY: Caddy as docs/deploy.md
installs it) every connection comes from the proxy's address, so the visitor's address is the one the proxy appended
last to X-Forwarded-For (earlier entries are the client's own claims, never trusted); otherwise the connection's.
Used by the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE) and the public report page's limits alike."""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
