"""The one permission check, used by pages, the API, exports and commands alike.

    can(user, "view" | "add" | "change" | "delete" | "export", Model or instance) -> bool
    scope(user, queryset) -> only the rows the user may see
    require(user, action, target) -> raises PermissionDenied

Rules: administrators do everything; the director and technicians see and edit the council's records;
institutional liaisons read, and make their own institution's footage requests; a parish president reads and edits
only the records of their own parish.
Every record says how to reach its parish through `parish_path` on its model.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from centinela.accounts.models import Role

ACTIONS = {"view", "add", "change", "delete", "export"}
STAFF = {Role.ADMIN, Role.DIRECTOR, Role.TECHNICIAN}
READERS = STAFF | {Role.LIAISON, Role.PARISH_PRESIDENT}
COMMITTEE_KEEPERS = STAFF | {Role.PARISH_PRESIDENT}

# Per model, who may do what beyond reading. Models not listed: staff and (in their parish) parish presidents.
RULES: dict[str, dict[str, set]] = {
    "territory.parish": {"add": {Role.ADMIN}, "delete": {Role.ADMIN}, "change": STAFF},
    "territory.parishpopulation": {"add": STAFF, "delete": STAFF, "change": STAFF},
    "territory.barriopopulation": {"add": STAFF, "delete": STAFF, "change": STAFF},
    "territory.canton": {"add": {Role.ADMIN}, "delete": {Role.ADMIN}, "change": {Role.ADMIN}},
    "cameras.sighting": {"add": STAFF, "change": STAFF, "delete": STAFF},  # linking footage to incidents: council staff
    # Footage requests name the requester and the police/prosecutor's case (LOPDP, least privilege): the council's
    # staff see and answer them all; a liaison makes their institution's requests and sees only those
    # (INSTITUTION_PATH).
    "cameras.footagerequest": {
        "view": STAFF | {Role.LIAISON},
        "export": STAFF | {Role.LIAISON},
        "add": STAFF | {Role.LIAISON},
        "change": STAFF,
        "delete": STAFF,
    },
    # User administration: the council administrator only. Accounts are deactivated, never deleted.
    "accounts.user": {a: {Role.ADMIN} for a in ("view", "export", "add", "change")} | {"delete": set()},
    # Citizen reports (issue 12): residents file them on a public page (participation.services.file_report, no
    # account); staff and, in their parish, parish presidents triage them; a liaison reads those assigned to their
    # institution (INSTITUTION_PATH), with its updates and photos (read through the report). Reports and their
    # history are never deleted; categories are the administrators' (the Django admin).
    "participation.report": {"add": STAFF, "delete": set()},
    "participation.reportupdate": {"view": STAFF | {Role.PARISH_PRESIDENT}, "change": set(), "delete": set()},
    "participation.reportphoto": {"view": STAFF | {Role.PARISH_PRESIDENT}, "change": set(), "delete": set()},
    "participation.reportcategory": {"add": {Role.ADMIN}, "change": {Role.ADMIN}, "delete": set()},
    # Open311 clients (outside applications and their API keys): the administrators' (Django admin, open311_key).
    "participation.open311client": {
        "view": {Role.ADMIN},
        "export": {Role.ADMIN},
        "add": {Role.ADMIN},
        "change": {Role.ADMIN},
        "delete": set(),
    },
    # Barrio security committees (issue 12): the council's staff manage them all and a parish president those of
    # their parish; liaisons have no business with the residents' own organisation (and its members' personal
    # data). Nothing is deleted: a committee is made inactive, a member leaves, an agreement ends not fulfilled.
    **{
        f"participation.{model}": {"view": COMMITTEE_KEEPERS, "export": COMMITTEE_KEEPERS, "delete": set()}
        for model in ("committee", "committeemember", "committeemeeting", "committeeagreement", "agreementfollowup")
    },
    # The yearly report's versions: staff generate drafts, the director alone approves one ("change": an approved
    # version is frozen, a draft is replaced by generating again); nothing is deleted.
    "reports.reportversion": {"add": STAFF, "change": {Role.DIRECTOR}, "delete": set()},
    "reports.demodataset": {"add": {Role.ADMIN}, "change": {Role.ADMIN}, "delete": {Role.ADMIN}},
}
DEFAULT_WRITERS = STAFF | {Role.PARISH_PRESIDENT}
# Records with no parish that every role may still read: the directory of institutions the council works with.
SHARED_DIRECTORY = {"partners.institution"}
# Records a liaison reaches only when they are their own institution's: model -> path to the institution's id.
INSTITUTION_PATH = {
    "cameras.footagerequest": "institution_id",
    "participation.report": "assigned_institution_id",
}


def _role(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Role.ADMIN if user.is_superuser else user.role


def _allowed_roles(model, action: str) -> set:
    rules = RULES.get(model._meta.label_lower, {})
    if action in rules:
        return rules[action]
    return READERS if action in ("view", "export") else DEFAULT_WRITERS


def parish_id_of(obj: Model):
    """The id of the parish a record belongs to, following its model's `parish_path`."""
    path = type(obj).parish_path
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


def can(user, action: str, target) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    role = _role(user)
    model = target if isinstance(target, type) else type(target)
    if role is None or role not in _allowed_roles(model, action):
        return False
    if role == Role.LIAISON and model._meta.label_lower in INSTITUTION_PATH:
        if user.institution_id is None:
            return False
        if not isinstance(target, type):
            return getattr(target, INSTITUTION_PATH[model._meta.label_lower]) == user.institution_id
    if role == Role.PARISH_PRESIDENT:
        if action in ("view", "export") and model._meta.label_lower in SHARED_DIRECTORY:
            return True
        if getattr(model, "parish_path", None) is None or user.parish_id is None:
            return False
        if not isinstance(target, type):  # a record, saved or about to be: it must be in their parish
            return parish_id_of(target) == user.parish_id
    return True


def require(user, action: str, target) -> None:
    if not can(user, action, target):
        raise PermissionDenied


def scope(user, queryset: QuerySet) -> QuerySet:
    model = queryset.model
    if not can(user, "view", model):
        return queryset.none()
    if _role(user) == Role.PARISH_PRESIDENT and model._meta.label_lower not in SHARED_DIRECTORY:
        return queryset.filter(**{model.parish_path: user.parish_id})
    if _role(user) == Role.LIAISON and model._meta.label_lower in INSTITUTION_PATH:
        return queryset.filter(**{INSTITUTION_PATH[model._meta.label_lower]: user.institution_id})
    return queryset


def can_administer_users(user) -> bool:
    """The user administration pages: the council administrator only."""
    return _role(user) == Role.ADMIN


def can_see_personal_data(user) -> bool:
    """Cédula and phone numbers (LOPDP): only administrators and the director."""
    return _role(user) in {Role.ADMIN, Role.DIRECTOR}


def is_staff(user) -> bool:
    """The council's own staff: administrators, the director and technicians."""
    return _role(user) in STAFF


# How to reach a camera: its addresses and credentials. Only the network managers see or change them, in pages,
# forms, exports and the audit trail alike; every other role sees where a camera is and how it is.
NETWORK_MANAGERS = {Role.ADMIN, Role.TECHNICIAN}
NETWORK_FIELDS = ("stream_url", "snapshot_url", "onvif_url", "host", "port", "username", "password")


def can_manage_network(user) -> bool:
    """Whether the user may see and change cameras' addresses and credentials: administrators and technicians."""
    return _role(user) in NETWORK_MANAGERS


def can_read_audit(user) -> bool:
    return _role(user) in {Role.ADMIN, Role.DIRECTOR}


def can_record_in_cantonal_programmes(user) -> bool:
    """A parish president records their parish's activities under the cantonal plan's programmes (choosing them, not
    reading the plan's other records): the choice lists offer those programmes to them."""
    return _role(user) == Role.PARISH_PRESIDENT and user.parish_id is not None
