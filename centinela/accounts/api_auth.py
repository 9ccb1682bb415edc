"""API authentication: a bearer token for programs, the browser session (with CSRF) for pages."""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from centinela.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


API_AUTH = [TokenAuth(), SessionAuth()]
