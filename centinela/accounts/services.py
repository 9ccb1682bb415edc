"""Changing accounts: demo users, the first administrator of an install, API tokens."""
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centinela.accounts.models import ApiToken, Institution, Role, User

DEMO_PASSWORD = "Loja-demo-2026"

# (username, role, institution, parish code, full name)
DEMO_USERS = [
    ("admin", Role.ADMIN, Institution.COUNCIL, None, "Administración Centinela"),
    ("directora", Role.DIRECTOR, Institution.COUNCIL, None, "Directora del CCSC"),
    ("tecnico", Role.TECHNICIAN, Institution.COUNCIL, None, "Técnico del CCSC"),
    ("enlace.policia", Role.LIAISON, Institution.POLICE, None, "Enlace Policía Nacional"),
    ("enlace.ecu911", Role.LIAISON, Institution.ECU911, None, "Enlace SIS ECU 911"),
    ("presidente.sagrario", Role.PARISH_PRESIDENT, Institution.PARISH_COUNCIL, "110101", "Presidencia El Sagrario"),
    ("presidente.valle", Role.PARISH_PRESIDENT, Institution.PARISH_COUNCIL, "110104", "Presidencia El Valle"),
]


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str, str]]:
    from centinela.territory.models import Parish

    created = []
    for username, role, institution, parish_code, full_name in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "institution": institution,
                "parish": Parish.objects.get(code=parish_code) if parish_code else None,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@centinela.invalid",
            },
        )
        if _created:  # an existing demo user keeps the password it has now: re-running never resets a login
            user.set_password(DEMO_PASSWORD)
            user.save()
        created.append((username, DEMO_PASSWORD if _created or user.check_password(DEMO_PASSWORD) else "(cambiada)", str(Role(role).label)))
    return created


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
    user = User(username=username, email=email.strip(), first_name=first, last_name=last,
                role=Role.ADMIN, institution=Institution.COUNCIL)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def issue_token(user: User, name: str) -> str:
    _token, key = ApiToken.issue(user, name)
    return key
