"""Every page needs a login except those marked public with `login_not_required`. The API (under /api/)
authenticates each endpoint itself (session or token) and answers 401 instead of redirecting.

The second factor: a signed-in administrator without a confirmed TOTP device is sent to enrol one before anything
else, and a session that a second factor has not verified (an account that has one) is sent to type a code. Bearer
tokens of the API are unaffected; a browser session that still owes its second factor is anonymous to the API."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django_otp import middleware as otp_middleware

from centinela.accounts import services
from centinela.accounts.backends import read_by_pk


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


# Pages a session that owes its second factor may still reach: enrolment, the code, leaving.
SECOND_FACTOR_PAGES = {"second_factor", "second_factor_verify", "logout", "set_language"}


def owes_second_factor(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and not user.is_verified() and services.needs_second_factor(user)
    )


def unwrapped(user):
    """The user itself out of the lazy proxies around it (django-otp's SimpleLazyObject over auth's), loaded if it
    was not yet."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware, with a session's authenticator (a TOTP device: the only kind enrolled here) read by
    accounts.backends.read_by_pk instead of a queryset compiled on every request of a verified session (every page
    of an administrator, issue 10's web load). The device is read each time, so a device removed or reset ends
    the session's verification at once, as before (django-otp then checks that it is the user's and confirmed).
    A persistent id of any other kind is read by django-otp."""

    def _device_from_persistent_id(self, persistent_id: str):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label != TOTPDevice.model_label():
            return super()._device_from_persistent_id(persistent_id)
        try:
            return read_by_pk(TOTPDevice, int(device_id))
        except ValueError:  # not an id: no device, as Device.from_persistent_id answers
            return None


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # request.user is the user itself from here on, not two lazy proxies (auth's, and django-otp's over it): every
        # attribute read through them went through two LazyObject.__getattribute__ and two getattr calls, thousands per
        # page (templates, permissions), some 5% of the server's Python calls (bench/web_pages.py). The user is loaded
        # here rather than later: every request loaded it anyway (this middleware's and the audit log's checks).
        if hasattr(request, "user"):
            request.user = unwrapped(request.user)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if request.path.startswith("/api/"):
            if not request.headers.get("Authorization") and owes_second_factor(user):
                request.user = AnonymousUser()
            return None
        match = request.resolver_match
        if (
            match is None
            or match.view_name in SECOND_FACTOR_PAGES
            or match.view_name in ("admin:login", "admin:logout")
        ):
            return None
        # Public pages (check-in, certificate verification, health) need nothing; the Django admin marks its views
        # public because it checks the login itself, so it is held to the second factor here.
        if not getattr(view_func, "login_required", True) and not match.view_name.startswith("admin:"):
            return None
        if not owes_second_factor(user):
            return None
        target = "second_factor_verify" if services.has_second_factor(user) else "second_factor"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")
