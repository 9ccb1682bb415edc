"""Changing accounts: the first administrator of an install, the council administrator's user
administration (create, edit, deactivate, set-password links), the second factor (TOTP and backup codes), API
tokens. Every change is recorded in the audit trail with the acting user."""

import contextlib

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connections, router, transaction
from django.db.models.signals import pre_save
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from centinela.accounts.models import ApiToken, Role, User
from centinela.accounts.permissions import require


@transaction.atomic
def create_administrator(username: str, password: str, *, email: str = "", full_name: str = "") -> User:
    """An account with the council administrator's role (not a Django superuser): how a fresh install gets its first
    login (`manage.py create_admin`). The password must pass the install's password rules; recorded in the audit."""
    username = username.strip()
    if not username:
        raise ValidationError(_("A user name is required."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("There is already a user named %(username)s.") % {"username": username})
    first, _sep, last = full_name.strip().partition(" ")
    user = User(username=username, email=email.strip(), first_name=first, last_name=last, role=Role.ADMIN)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def issue_token(user: User, name: str) -> str:
    _token, key = ApiToken.issue(user, name)
    return key


# --- user administration (the council administrator) ----------------------------------------------------------------


def _live_actor():
    """The actor of an auditlog `set_actor` still in force (the request's, set by auditlog's middleware, or an
    enclosing `acting`), else None. auditlog's `set_actor` never resets its context variable when it ends: it only
    disconnects the receiver that writes the actor into entries. The value it leaves behind (in a worker that ran
    another user's job, a test, a command) is stale: trusting it would record changes without an actor."""
    try:
        value = auditlog_value.get()
    except LookupError:
        return None
    duid = value.get("signal_duid")
    if value.get("actor") is None or not any(key[0] == duid for key, *_rest in pre_save.receivers):
        return None
    return value["actor"]


@contextlib.contextmanager
def _set_actor(actor):
    """auditlog's `set_actor`, leaving the context as it found it (see `_live_actor`)."""
    token = auditlog_value.set(auditlog_value.get({}))  # reset below: the variable as it was, even unset
    try:
        with set_actor(actor):
            yield
    finally:
        auditlog_value.reset(token)


def acting(actor):
    """The audit trail's actor for changes made here: the request's (set by auditlog's middleware) when there is
    one in force, else `actor` (commands, tests, jobs). The one helper for every app's services."""
    if _live_actor() is not None:
        return contextlib.nullcontext()
    return _set_actor(actor)


def audit_event(actor, user: User, what: str, detail: str = "") -> None:
    """An action on an account that changes no field of it (a set-password link sent, a second factor reset): one
    entry in the audit trail, read as "what: detail"."""
    LogEntry.objects.log_create(
        user,
        action=LogEntry.Action.UPDATE,
        changes={what: ["", detail or what]},
        actor=actor if getattr(actor, "pk", None) else None,
        force_log=True,
    )


def _active_admins():
    return User.objects.filter(is_active=True).filter(role=Role.ADMIN)


def _keeps_an_administrator(user: User, *, role: str, active: bool) -> bool:
    """Whether the install still has an active administrator once `user` has this role and state."""
    if role == Role.ADMIN and active:
        return True
    return _active_admins().exclude(pk=user.pk).exists()


@transaction.atomic
def save_user(actor, user: User) -> User:
    """Create or change an account from the user administration pages. The rules: a parish president has a parish,
    a liaison an institution (User.clean); an administrator does not take away their own administration, and the
    last active administrator stays one. A new account gets no password: it is set through the link it is sent."""
    require(actor, "change" if user.pk else "add", User)
    if user.pk:
        locked = User.objects.select_for_update().get(pk=user.pk)
        if user.pk == actor.pk and (user.role != Role.ADMIN or not user.is_active):
            raise ValidationError({"role": _("You cannot take away your own administrator role.")})
        if locked.role == Role.ADMIN and not _keeps_an_administrator(user, role=user.role, active=user.is_active):
            raise ValidationError({"role": _("This is the last active administrator: make another one first.")})
    else:
        user.set_unusable_password()
    user.username = user.username.strip()
    if User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists():
        raise ValidationError(
            {"username": _("There is already a user named %(username)s.") % {"username": user.username}}
        )
    user.full_clean(exclude=["password"])
    with acting(actor):
        user.save()
    return user


@transaction.atomic
def set_active(actor, user: User, active: bool) -> User:
    """Deactivate (never delete: the audit trail and the records keep naming the account) or reactivate."""
    require(actor, "change", User)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not active:
        if user.pk == actor.pk:
            raise ValidationError(_("You cannot deactivate your own account."))
        if user.role == Role.ADMIN and not _keeps_an_administrator(user, role=user.role, active=False):
            raise ValidationError(_("This is the last active administrator: make another one first."))
    if user.is_active != active:
        user.is_active = active
        with acting(actor):
            user.save(update_fields=["is_active", "is_staff"])
    return user


def set_password_link(user: User, *, domain: str, secure: bool = True) -> str:
    """A link to choose a password, made with Django's password reset tokens (valid for PASSWORD_RESET_TIMEOUT and
    spent once the password changes)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{'https' if secure else 'http'}://{domain}{path}"


def send_set_password_link(actor, user: User, *, domain: str, secure: bool = True) -> None:
    """E-mails the account a link to set its password (a new account, or one whose owner forgot it), through the
    install's e-mail settings; recorded in the audit trail."""
    require(actor, "change", User)
    if not user.is_active:
        raise ValidationError(_("The account is deactivated: reactivate it first."))
    if not user.email:
        raise ValidationError(_("The account has no e-mail address."))
    context = {
        "user": user,
        "link": set_password_link(user, domain=domain, secure=secure),
        "site": domain,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    send_mail(
        render_to_string("accounts/set_password_subject.txt", context).strip(),
        render_to_string("accounts/set_password_email.txt", context),
        None,
        [user.email],
    )
    with acting(actor):
        audit_event(actor, user, "set_password_link", _("sent to %(email)s") % {"email": user.email})


# --- second factor (TOTP, with backup codes) ------------------------------------------------------------------------

# The password reset page (anonymous): at most this many requests an hour from one address and for one e-mail
# address. Past either, the page answers as always and sends nothing: otherwise anyone could have the council's mail
# server send an account's owner reset messages without end.
PASSWORD_RESETS_PER_ADDRESS = 10
PASSWORD_RESETS_PER_EMAIL = 3
PASSWORD_RESET_WINDOW = 3600


def _count(key: str, window: int) -> int:
    """One more in the window that starts with the key's first count (Django's cache, shared by the web workers)."""
    from django.core.cache import cache

    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def password_reset_allowed(address: str, email: str) -> bool:
    """Counts a reset request from `address` for `email`; whether a message may be sent for it."""
    import hashlib

    mailbox = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()  # no address in the cache's keys
    by_address = _count(f"accounts:password-reset:from:{address}", PASSWORD_RESET_WINDOW)
    by_email = _count(f"accounts:password-reset:for:{mailbox}", PASSWORD_RESET_WINDOW)
    return by_address <= PASSWORD_RESETS_PER_ADDRESS and by_email <= PASSWORD_RESETS_PER_EMAIL


BACKUP_CODES = 10


def needs_second_factor(user) -> bool:
    """Administrators must use a second factor; anyone else who enrolled one uses it too."""
    return bool(user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser or has_second_factor(user)))


def has_second_factor(user) -> bool:
    """Whether the user has a confirmed authenticator, asked of the database each time (SecondFactorMiddleware asks
    on every page of an account that is not an administrator's, so a device enrolled in another session is required
    at once). In SQL rather than through the ORM: the query is the same as
    `TOTPDevice.objects.filter(user=user, confirmed=True).exists()`, without the ORM's building and compiling of it,
    which cost more than the rest of a small page's request handling (issue 10's web load;
    tests/test_request_fixed_costs.py compares the two)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user.pk is None:
        return False
    meta = TOTPDevice._meta
    connection = connections[router.db_for_read(TOTPDevice)]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT 1 FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('user').column)} = %s"
        f" AND {quote(meta.get_field('confirmed').column)} = %s LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, True])
        return cursor.fetchone() is not None


def pending_totp_device(user):
    """The device being enrolled (unconfirmed until the user types a code from it); one per user."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def confirm_totp(user, device, code: str) -> list[str] | None:
    """Confirms an enrolment when `code` comes from the device: the other devices of the user are replaced, and new
    backup codes are returned (shown once). None when the code is wrong."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if device.user_id != user.pk or not device.verify_token(code.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    with acting(user):
        audit_event(user, user, "second_factor", _("enrolled"))
    return new_backup_codes(user)


def new_backup_codes(user) -> list[str]:
    """Ten single-use codes for when the phone is lost; making new ones voids the old ones."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def verify_second_factor(user, code: str):
    """The device that accepts `code` (a TOTP code or an unused backup code, spent by this), or None."""
    from django_otp import match_token

    code = (code or "").strip().replace(" ", "")
    return match_token(user, code) if code else None


@transaction.atomic
def reset_second_factor(actor, user: User) -> None:
    """An administrator removes another user's second factor (a lost phone and no backup codes): the user enrols
    again at their next login (administrators must). Recorded in the audit trail."""
    require(actor, "change", User)
    _remove_devices(user)
    with acting(actor):
        audit_event(actor, user, "second_factor", _("reset"))


def _remove_devices(user: User) -> None:
    from django_otp import devices_for_user

    for device in devices_for_user(user, confirmed=None):
        device.delete()


@transaction.atomic
def reset_second_factor_on_the_server(user: User) -> None:
    """`manage.py reset_second_factor USERNAME`: for the one administrator who lost both phone and backup codes
    (whoever runs commands on the server is trusted already); recorded in the audit trail without an actor."""
    _remove_devices(user)
    audit_event(None, user, "second_factor", _("reset on the server"))


@transaction.atomic
def remove_own_second_factor(user: User) -> None:
    """A user removes their own second factor (after giving a code in this session); an administrator is then sent
    to enrol a new one at once."""
    _remove_devices(user)
    with acting(user):
        audit_event(user, user, "second_factor", _("removed by the user"))


@transaction.atomic
def enrol_totp_now(user: User) -> tuple[str, str, list[str]]:
    """A confirmed TOTP device made without a code typed back (for `create_admin --totp`, whose output the installer
    keeps): its base32 secret, its otpauth:// URI and new backup codes."""
    from base64 import b32encode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    audit_event(None, user, "second_factor", _("enrolled by create_admin"))
    return b32encode(device.bin_key).decode(), device.config_url, new_backup_codes(user)
