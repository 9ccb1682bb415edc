"""Account pages: the audit trail (administrators and the director), the council administrator's user
administration, the login with its second factor and the enrolment of one. Logout and password reset are Django's own
views with our templates."""

import time
from base64 import b32encode
from urllib.parse import urlsplit

import segno
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from centinela.accounts import selectors, services
from centinela.accounts.audit_display import Described, describe_changes, with_names
from centinela.accounts.filters import ACTIONS, AuditFilter, UserFilter
from centinela.accounts.forms import CodeForm, UserForm
from centinela.accounts.models import User
from centinela.accounts.permissions import (
    NETWORK_FIELDS,
    can_administer_users,
    can_manage_network,
    can_read_audit,
    can_see_personal_data,
)
from centinela.lib.client import client_address
from centinela.lib.exports import Column
from centinela.lib.views import form_view, get_scoped_or_404, list_view

AUDIT_COLUMNS = [
    Column("timestamp", gettext_lazy("When"), lambda e: e.timestamp),
    Column("actor", gettext_lazy("Who"), lambda e: e.actor.username if e.actor else gettext_lazy("system")),
    Column("action", gettext_lazy("Action"), lambda e: ACTIONS.get(e.action, e.action)),
    Column("object_type", gettext_lazy("Record type"), lambda e: e.content_type.name if e.content_type else ""),
    Column("object", gettext_lazy("Record"), lambda e: e.object_repr),
    Column("changes", gettext_lazy("What changed"), describe_changes),
    Column("remote_addr", gettext_lazy("Address"), lambda e: e.remote_addr or ""),
]


def _network_hidden(entry) -> tuple:
    """A camera's addresses and credentials in its audit entries: shown to network managers only."""
    ct = entry.content_type
    return (
        NETWORK_FIELDS + ("credentials",)
        if ct is not None and (ct.app_label, ct.model) == ("cameras", "device")
        else ()
    )


def audit_columns(user) -> list[Column]:
    if can_manage_network(user):
        return AUDIT_COLUMNS
    masked = Column("changes", gettext_lazy("What changed"), lambda e: describe_changes(e, hide=_network_hidden(e)))
    return [masked if c.key == "changes" else c for c in AUDIT_COLUMNS]


def audit_log(request):
    if not can_read_audit(request.user):
        raise PermissionDenied
    return list_view(
        request,
        queryset=LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp"),
        filterset_class=AuditFilter,
        columns=audit_columns(request.user),
        title=_("Audit trail"),
        basename="auditoria",
        permission_checked=True,
        rows=Described,  # related records named with one query per model for the page, not one per row
    )


# --- user administration (the council administrator) ----------------------------------------------------------------


def _require_user_admin(request):
    if not can_administer_users(request.user):
        raise PermissionDenied


USER_COLUMNS = [
    Column("username", gettext_lazy("User name"), lambda u: u.username, link=True),
    Column("name", gettext_lazy("Name"), lambda u: u.get_full_name()),
    Column("email", gettext_lazy("E-mail"), lambda u: u.email),
    Column("role", gettext_lazy("Role"), lambda u: u.role, display=lambda u: u.get_role_display()),
    Column("institution", gettext_lazy("Institution"), lambda u: str(u.institution or "")),
    Column("parish", gettext_lazy("Parish"), lambda u: str(u.parish or "")),
    Column(
        "is_active",
        gettext_lazy("Active account"),
        lambda u: u.is_active,
        display=lambda u: _("yes") if u.is_active else _("no"),
    ),
    Column(
        "last_login",
        gettext_lazy("Last login"),
        lambda u: u.last_login,
        display=lambda u: date_format(localtime(u.last_login), "d/m/Y H:i") if u.last_login else _("never"),
    ),
]


def user_list(request):
    _require_user_admin(request)
    return list_view(
        request,
        queryset=selectors.users_for(request.user),
        filterset_class=UserFilter,
        columns=USER_COLUMNS,
        title=_("Users"),
        basename="usuarios",
        add_url=reverse("user_create"),
    )


def user_detail(request, pk):
    _require_user_admin(request)
    account = get_scoped_or_404(selectors.users_for(request.user), pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "is_self": account.pk == request.user.pk,
            "show_personal_data": can_see_personal_data(request.user),
            "second_factor": selectors.second_factor_of(account),
            "history": [
                (entry, describe_changes(entry, hide=("phone", "cedula")))
                for entry in with_names(
                    list(
                        LogEntry.objects.get_for_object(account)
                        .select_related("actor", "content_type")
                        .order_by("-timestamp")[:20]
                    )
                )
            ],
        },
    )


def _save_user(request, send_link=False):
    def save(actor, user):
        services.save_user(actor, user)
        if send_link:
            try:
                services.send_set_password_link(actor, user, domain=request.get_host(), secure=request.is_secure())
            except ValidationError as exc:
                messages.warning(request, " ".join(exc.messages))
            else:
                messages.info(request, _("A link to set the password was sent to %(email)s.") % {"email": user.email})
        return user

    return save


def user_create(request):
    _require_user_admin(request)
    send_link = request.method == "POST" and bool(request.POST.get("send_link"))
    return form_view(
        request,
        form_class=UserForm,
        instance=User(),
        save=_save_user(request, send_link),
        title=_("New user"),
        success_url=lambda obj: obj.get_absolute_url(),
        extra={"cancel_url": reverse("user_list")},
    )


def user_edit(request, pk):
    _require_user_admin(request)
    account = get_scoped_or_404(selectors.users_for(request.user), pk)
    return form_view(
        request,
        form_class=UserForm,
        instance=account,
        save=_save_user(request),
        title=_("Edit user"),
        success_url=lambda obj: obj.get_absolute_url(),
    )


def _user_action(request, pk, action, done):
    _require_user_admin(request)
    account = get_scoped_or_404(selectors.users_for(request.user), pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        action(request.user, account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done(account))
    return redirect(account.get_absolute_url())


def user_set_active(request, pk):
    active = request.POST.get("active") == "1"
    return _user_action(
        request,
        pk,
        lambda actor, account: services.set_active(actor, account, active),
        lambda account: _("Account reactivated.") if active else _("Account deactivated."),
    )


def user_password_link(request, pk):
    return _user_action(
        request,
        pk,
        lambda actor, account: services.send_set_password_link(
            actor, account, domain=request.get_host(), secure=request.is_secure()
        ),
        lambda account: _("A link to set the password was sent to %(email)s.") % {"email": account.email},
    )


def user_reset_second_factor(request, pk):
    return _user_action(
        request,
        pk,
        services.reset_second_factor,
        lambda account: _("The second factor was removed: the user will enrol again."),
    )


# --- password reset --------------------------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with a limit (services.password_reset_allowed): past it the page answers as always, so it says
    nothing of the account either, and no message is sent."""

    def form_valid(self, form):
        if not services.password_reset_allowed(client_address(self.request), form.cleaned_data["email"]):
            return redirect(self.get_success_url())
        return super().form_valid(form)


# --- login with a second factor, enrolment ---------------------------------------------------------------------------

PENDING = "centinela_pending_login"  # session key: a password checked, a code still owed
PENDING_SECONDS = 300
PENDING_ATTEMPTS = 5


class LoginView(auth_views.LoginView):
    """Django's login, with one more step for accounts that have a second factor: the password alone logs nobody
    in; the session remembers who typed it (for five minutes) and asks for the code."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not services.has_second_factor(user):
            return super().form_valid(form)  # administrators without one are sent to enrol (the middleware)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
            "attempts": 0,
        }
        return redirect("second_factor_verify")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS or pending["attempts"] >= PENDING_ATTEMPTS:
        request.session.pop(PENDING, None)
        return None, None
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending


def _safe_next(request, fallback):
    """`next` when it is an address of this site; else the fallback. A `next` that is not an address ("home", "ab")
    would be taken by redirect() for a view's name, a NoReverseMatch (500): refused as well."""
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and urlsplit(target).path.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return resolve_url(fallback)


@login_not_required
def second_factor_verify(request):
    """The code after the password (or for a session that has not given it yet)."""
    if request.user.is_authenticated:
        if request.user.is_verified() or not services.has_second_factor(request.user):
            return redirect(_safe_next(request, settings.LOGIN_REDIRECT_URL))
        user, pending = request.user, None
    else:
        user, pending = _pending_user(request)
        if user is None:
            messages.info(request, _("Log in again, please."))
            return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("The code is not valid. Type the one your app shows now, or a backup code."))
            if pending is not None:
                pending["attempts"] += 1
                request.session[PENDING] = pending
        else:
            target = pending["next"] if pending else _safe_next(request, settings.LOGIN_REDIRECT_URL)
            if pending is not None:
                request.session.pop(PENDING, None)
                auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            if getattr(device, "persistent_id", "").startswith("otp_static"):
                left = selectors.second_factor_of(user)["backup_codes"]
                messages.warning(
                    request,
                    _("You used a backup code; %(n)s remain. Make new ones on your second factor page if few are left.")
                    % {"n": left},
                )
            return redirect(target)
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


def second_factor(request):
    """The user's own second factor: enrol an authenticator app (QR code and secret, confirmed with a code), make
    new backup codes, or remove it (administrators are then sent to enrol again)."""
    user = request.user
    status = selectors.second_factor_of(user)
    if status["totp"] and not user.is_verified():
        return redirect(f"{reverse('second_factor_verify')}?next={request.path}")
    action = request.POST.get("action") if request.method == "POST" else None
    codes, form = None, CodeForm(request.POST if action == "confirm" else None)
    if action == "confirm" and not status["totp"]:
        device = services.pending_totp_device(user)
        if form.is_valid():
            codes = services.confirm_totp(user, device, form.cleaned_data["code"])
            if codes is None:
                form.add_error("code", _("The code is not valid. Type the one your app shows now."))
            else:
                otp_login(request, device)
    elif action == "backup_codes" and status["totp"]:
        codes = services.new_backup_codes(user)
    elif action == "remove" and status["totp"]:
        services.remove_own_second_factor(user)
        messages.success(request, _("Second factor removed."))
        return redirect("second_factor")
    if codes is not None:
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _safe_next(request, "home")})
    context = {
        "status": status,
        "form": form,
        "required": services.needs_second_factor(user) and not status["totp"],
        "next": request.GET.get("next", ""),
    }
    if not status["totp"]:
        device = services.pending_totp_device(user)
        context.update(
            secret=b32encode(device.bin_key).decode(),
            qr=segno.make(device.config_url, error="m").svg_inline(scale=4, border=2),
        )
    return render(request, "accounts/second_factor.html", context)
