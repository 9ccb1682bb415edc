"""Every page needs a login except those marked public with `login_not_required`. The API (under /api/)
authenticates each endpoint itself (session or token) and answers 401 instead of redirecting.

The second factor: a signed-in administrator without a confirmed TOTP device is sent to enrol one before anything
else, and a session that a second factor has not verified (an account that has one) is sent to type a code. Bearer
tokens of the API are unaffected; a browser session that still owes its second factor is anonymous to the API."""
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from centinela.accounts import services


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


# Pages a session that owes its second factor may still reach: enrolment, the code, leaving.
SECOND_FACTOR_PAGES = {"second_factor", "second_factor_verify", "logout", "set_language"}


def owes_second_factor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and not user.is_verified()
                and services.needs_second_factor(user))


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if request.path.startswith("/api/"):
            if not request.headers.get("Authorization") and owes_second_factor(user):
                request.user = AnonymousUser()
            return None
        match = request.resolver_match
        if match is None or match.view_name in SECOND_FACTOR_PAGES or match.view_name in ("admin:login", "admin:logout"):
            return None
        # Public pages (check-in, certificate verification, health) need nothing; the Django admin marks its views
        # public because it checks the login itself, so it is held to the second factor here.
        if not getattr(view_func, "login_required", True) and not match.view_name.startswith("admin:"):
            return None
        if not owes_second_factor(user):
            return None
        target = "second_factor_verify" if services.has_second_factor(user) else "second_factor"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")
