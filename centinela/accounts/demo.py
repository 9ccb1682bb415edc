"""The demo's users: one per role, in the demo year's institutions and parishes (`manage.py load_demo`), all with
the one demo password."""

from django.db import transaction

from centinela.accounts.models import Role, User

DEMO_PASSWORD = "Loja-demo-2026"

# The demo's institutions the demo users belong to: (name, short name), as the demo year lists them.
COUNCIL = ("Concejo Cantonal de Seguridad Ciudadana de Loja", "CCSC")
POLICE = ("Policía Nacional", "Policía")
ECU911 = ("SIS ECU 911", "ECU 911")

# (username, role, institution, parish code, full name)
DEMO_USERS = [
    ("admin", Role.ADMIN, COUNCIL, None, "Administración Centinela"),
    ("directora", Role.DIRECTOR, COUNCIL, None, "Directora del CCSC"),
    ("tecnico", Role.TECHNICIAN, COUNCIL, None, "Técnico del CCSC"),
    ("enlace.policia", Role.LIAISON, POLICE, None, "Enlace Policía Nacional"),
    ("enlace.ecu911", Role.LIAISON, ECU911, None, "Enlace SIS ECU 911"),
    ("presidente.sagrario", Role.PARISH_PRESIDENT, None, "110101", "Presidencia El Sagrario"),
    ("presidente.valle", Role.PARISH_PRESIDENT, None, "110104", "Presidencia El Valle"),
]


def _demo_institution(name_and_short):
    """The demo year's institution (partners), once it is loaded: `load_demo` loads the year before the users. Never
    made here, so tests that start from the demo users alone meet no institution they did not make."""
    Institution = User._meta.get_field("institution").related_model  # partners' (accounts imports no app above)

    if name_and_short is None:
        return None
    return Institution.objects.filter(name=name_and_short[0]).order_by("pk").first()


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str, str]]:
    Parish = User._meta.get_field("parish").related_model  # territory's (accounts imports no app above)

    created = []
    for username, role, institution, parish_code, full_name in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "institution": _demo_institution(institution),
                "parish": Parish.objects.get(code=parish_code) if parish_code else None,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@centinela.invalid",
            },
        )
        if _created:  # an existing demo user keeps the password it has now: re-running never resets a login
            user.set_password(DEMO_PASSWORD)
            user.save()
        created.append(
            (
                username,
                DEMO_PASSWORD if _created or user.check_password(DEMO_PASSWORD) else "(cambiada)",
                str(Role(role).label),
            )
        )
    return created
