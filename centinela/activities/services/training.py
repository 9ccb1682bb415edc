"""Changing trainings: saving a training with its activity, speakers and invited institutions; registering people
and their attendance (by staff, by QR self check-in, by an imported sheet); opening check-in; issuing certificates.

Every function that acts for a signed-in user starts with the one permission check; the public self check-in is
authorised by the training's secret token instead, and is limited per client and per training."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, require
from centinela.activities import certificates
from centinela.activities.models import Activity, ActivityPartner, Attendance, Person, Speaker, Training
from centinela.activities.selectors.training import TRAINING_PROGRAMME_KINDS, find_person, normalise
from centinela.activities.services import plans as activity_services

SELF_CHECKIN_CAP = 400  # self check-ins per training: far above any real session, low enough to stop a flood
SELF_CHECKIN_PER_DEVICE = 8  # per browser and training: a family may share one phone
DEVICE_KEY = "training_checkins"  # in the browser's session: {training id: registrations made from it}


# --- the training ----------------------------------------------------------------------------------------------


@transaction.atomic
def save_training(
    user, activity: Activity, training: Training, *, barrios=(), speakers: list[dict] = (), institutions=()
) -> Training:
    """Create or update a training: its Activity (kind training, saved through services.plans.save_activity so
    the parish rules and validation apply), its Training row, its speakers ([{"institution", "name", "subject"}])
    and its invited institutions (kept as the activity's partners in the speaker role, with the speakers' own)."""
    created = activity.pk is None
    activity.kind = Activity.Kind.TRAINING
    activity.title = (activity.title or "").strip() or training.topic
    barrios = list(barrios)
    if not activity.parish_id and not (activity.place_id and activity.place.parish_id):
        parishes = {b.parish_id for b in barrios}
        if len(parishes) == 1:  # the barrios say which parish the training is for
            activity.parish_id = parishes.pop()

    errors: dict[str, list] = {}
    if activity.programme_id and activity.programme.kind not in TRAINING_PROGRAMME_KINDS:
        errors["programme"] = [_("Choose a programme of preventive training or education.")]
    try:
        training.full_clean(exclude=["activity"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:  # report the activity's own problems at the same time, then stop before anything is written
        try:
            activity.full_clean()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
        raise ValidationError(errors)

    try:
        activity_services.save_activity(user, activity, barrios=barrios)
        training.activity = activity
        training.save()
        training.speakers.all().delete()
        for row in speakers:
            Speaker.objects.create(training=training, **row)
        invited = {i.pk: i for i in institutions}
        invited.update({row["institution"].pk: row["institution"] for row in speakers})
        roles = activity.partner_roles.filter(role=ActivityPartner.Role.SPEAKER)
        roles.exclude(institution__in=invited.keys()).delete()
        have = set(roles.values_list("institution_id", flat=True))
        for pk, institution in invited.items():
            if pk not in have:
                ActivityPartner.objects.create(
                    activity=activity, institution=institution, role=ActivityPartner.Role.SPEAKER
                )
    except Exception:
        if created:  # the transaction is rolled back: the form must not believe the records exist
            activity.pk = training.pk = None
        raise
    return training


def set_status(user, training: Training, status: str, reason: str = "") -> Training:
    """Done, postponed or cancelled: self check-in closes with it (late sign-ins would inflate the count)."""
    activity_services.set_status(user, training.activity, status, reason)
    if status != Activity.Status.PLANNED and training.checkin_open:
        training.checkin_open = False
        training.save(update_fields=["checkin_open"])
    return training


def set_checkin(user, training: Training, open_: bool) -> Training:
    require(user, "change", training)
    if open_ and training.activity.status in (Activity.Status.CANCELLED, Activity.Status.POSTPONED):
        raise ValidationError(_("Self check-in cannot open for a postponed or cancelled training."))
    training.checkin_open = open_
    training.save(update_fields=["checkin_open"])
    return training


# --- people and attendance ------------------------------------------------------------------------------------


@dataclass
class PersonData:
    first_names: str
    last_names: str
    cedula: str | None = None
    age_band: str = ""
    sex: str = ""
    barrio: object = None  # territory.Barrio
    phone: str = ""
    consent: bool = False

    def cleaned(self) -> PersonData:
        self.first_names = " ".join((self.first_names or "").split())
        self.last_names = " ".join((self.last_names or "").split())
        self.cedula = "".join((self.cedula or "").split()) or None
        self.phone = (self.phone or "").strip()
        return self


def _check_attendance_allowed(training: Training) -> None:
    if training.activity.status in (Activity.Status.CANCELLED, Activity.Status.POSTPONED):
        raise ValidationError(_("This training was postponed or cancelled: attendance cannot be taken."))


def _new_person(data: PersonData, training: Training) -> Person:
    if not data.consent:
        raise ValidationError({"consent": _("Without consent to data processing the person's data cannot be stored.")})
    person = Person(
        first_names=data.first_names,
        last_names=data.last_names,
        cedula=data.cedula,
        age_band=data.age_band,
        sex=data.sex,
        barrio=data.barrio,
        phone=data.phone,
        parish_id=data.barrio.parish_id if data.barrio else training.activity.parish_id,
        consent=True,
        consent_at=timezone.now(),
    )
    person.full_clean()
    return person


def _fill_blanks(person: Person, data: PersonData) -> None:
    """A known person registered again: what was missing is completed, nothing already recorded is overwritten."""
    changed = []
    for name in ("age_band", "sex", "phone", "barrio"):
        if not getattr(person, name) and getattr(data, name):
            setattr(person, name, getattr(data, name))
            changed.append(name)
    if changed:
        person.save(update_fields=changed)


def same_surname(person: Person, last_names: str) -> bool:
    """The first surname, compared without case or accents: enough to catch a cédula typed for the wrong person
    while accepting "Guamán" for "Guamán Quizhpe"."""
    return normalise(person.last_names).split()[:1] == normalise(last_names).split()[:1]


def same_names(person: Person, data: PersonData) -> bool:
    """The first given name and the first surname, compared without case or accents: a person typing "Pineda
    Ríos" for a record "Pineda" is the same person; someone holding only a stranger's cédula is not."""
    return normalise(person.first_names).split()[:1] == normalise(data.first_names).split()[:1] and same_surname(
        person, data.last_names
    )


# Roles an attendee may declare on the public form; police, firefighters and parish presidents are recorded by staff
# (they feed indicators such as "parish presidents trained").
PUBLIC_ROLES = (Attendance.Role.RESIDENT, Attendance.Role.BARRIO_LEADER, Attendance.Role.OTHER)
CHECKIN_REFUSED = _("We could not register you with these data. Please ask the staff at the training.")


def register_person(user, training: Training, data: PersonData) -> Person:
    """The person an attendance refers to: the one already known by cédula (or, for a minor without one, by name
    within this training), or a new one, stored only with consent."""
    require(user, "change", training)
    data.cleaned()
    person = find_person(
        cedula=data.cedula, first_names=data.first_names, last_names=data.last_names, training=training
    )
    if person is not None:
        if not same_surname(person, data.last_names):  # most likely a mistyped cédula: do not attach it to someone else
            raise ValidationError(
                {
                    "cedula": _(
                        "This cédula is registered for someone with other last names. Check the number, or search for "
                        "the person."
                    )
                }
            )
        if can(user, "change", person):
            _fill_blanks(person, data)
        return person
    person = _new_person(data, training)
    require(user, "add", person)
    person.save()
    return person


def mark_present(
    user,
    training: Training,
    person: Person,
    *,
    role: str = "",
    via: str = Attendance.Via.STAFF,
    institution=None,
    participation: str = "",
) -> tuple[Attendance, bool]:
    """Idempotent: marking someone present twice leaves one attendance. Returns (attendance, newly marked)."""
    require(user, "change", training)
    _check_attendance_allowed(training)
    return _mark(training, person, role=role, via=via, institution=institution, participation=participation)


def _mark(
    training, person, *, role, via, institution=None, present=True, participation: str = ""
) -> tuple[Attendance, bool]:
    """`present=False` registers the person ahead of the session (attended stays false until marked present).
    `participation`: trainee (the default) or support to the speakers; it applies to a new attendance, an existing
    one keeps its own (changed with set_participation)."""
    role = role or Attendance.Role.RESIDENT
    if role not in Attendance.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    participation = participation or Attendance.Participation.TRAINEE
    if participation not in Attendance.Participation.values:
        raise ValidationError({"participation": _("Unknown kind of participation.")})
    try:
        with transaction.atomic():
            attendance, created = Attendance.objects.get_or_create(
                training=training,
                person=person,
                defaults={
                    "role": role,
                    "via": via,
                    "institution": institution,
                    "attended": present,
                    "participation": participation,
                },
            )
    except IntegrityError:  # marked by someone else at the same instant
        return Attendance.objects.get(training=training, person=person), False
    if not present:
        return attendance, created
    if not created and not attendance.attended:
        attendance.attended = True
        attendance.save(update_fields=["attended"])
        return attendance, True
    return attendance, created


@transaction.atomic
def add_attendee(
    user,
    training: Training,
    data: PersonData,
    *,
    role: str = "",
    institution=None,
    present: bool = True,
    participation: str = "",
) -> tuple[Attendance, bool]:
    """Register a person for the training and, unless `present` is false (registration ahead of the session),
    mark them present. `participation`: trainee (the default) or support to the speakers."""
    person = register_person(user, training, data)
    if present:
        return mark_present(user, training, person, role=role, institution=institution, participation=participation)
    require(user, "change", training)
    if training.activity.status in (Activity.Status.CANCELLED, Activity.Status.POSTPONED):
        raise ValidationError(_("This training was postponed or cancelled: attendance cannot be taken."))
    return _mark(
        training,
        person,
        role=role,
        via=Attendance.Via.STAFF,
        institution=institution,
        present=False,
        participation=participation,
    )


def set_attended(user, attendance: Attendance, attended: bool) -> Attendance:
    """Undo a mistaken mark (kept as a row, not deleted, so the audit trail tells the story)."""
    require(user, "change", attendance)
    if not attended and attendance.certificate_code:
        raise ValidationError(_("A certificate was issued for this attendance; it cannot be unmarked."))
    attendance.attended = attended
    attendance.save(update_fields=["attended"])
    return attendance


def check_participation(attendance: Attendance, participation: str) -> None:
    """Whether `attendance` may take `participation` (raises ValidationError): a known kind, and someone whose
    certificate was issued took part as a trainee and stays one (the certificate says so). Apart from
    set_participation so that an attendance sheet can report the row before anything is applied."""
    if participation not in Attendance.Participation.values:
        raise ValidationError({"participation": _("Unknown kind of participation.")})
    if participation != Attendance.Participation.TRAINEE and attendance.certificate_code:
        raise ValidationError(_("A certificate was issued for this attendance; the person stays a trainee."))


def set_participation(user, attendance: Attendance, participation: str) -> Attendance:
    """Trainee or support to the speakers: whether the person counts among the people trained (check_participation
    says which changes are refused). Audited: the attendance is a registered model, the change its entry."""
    require(user, "change", attendance)
    check_participation(attendance, participation)
    if attendance.participation != participation:
        attendance.participation = participation
        attendance.save(update_fields=["participation"])
    return attendance


# --- self check-in (public) -----------------------------------------------------------------------------------


class CheckInRefused(ValidationError):
    pass


def checkin_is_open(training: Training) -> bool:
    return training.checkin_open and training.activity.status == Activity.Status.PLANNED


def _throttle(training: Training, device) -> None:
    """Counted in the browser's session, not by address: everyone at a venue shares its Wi-Fi's address, and behind
    a proxy every request comes from the proxy. A robot that drops its cookies still meets the per-training cap."""
    counts = dict(device.get(DEVICE_KEY, {}))
    key = str(training.pk)
    if counts.get(key, 0) >= SELF_CHECKIN_PER_DEVICE:
        raise CheckInRefused(_("Too many registrations from this device. Please ask the staff at the training."))
    counts[key] = counts.get(key, 0) + 1
    device[DEVICE_KEY] = counts


@transaction.atomic
def self_check_in(
    training: Training, data: PersonData, *, role: str = "", participation: str = "", device=None
) -> tuple[Attendance, bool]:
    """An attendee registers on their own phone through the training's QR code. Only while check-in is open; an
    already-registered person is not registered twice; a known cédula must come with the same surname, so the form
    cannot be used to put someone else's name on a list; and there is a cap per device and per training.
    `participation`: how the person says they attend, trainee (the default) or support to the speakers (a police
    officer or firefighter who came with them). It is recorded on a new attendance only: an existing one keeps its
    own (staff change it with set_participation), so the caller compares and tells the person when they differ.
    `device`: a mapping that lives as long as the visitor's browser session (the session itself, in the view)."""
    if not checkin_is_open(training):
        raise CheckInRefused(_("Self check-in for this training is closed."))
    data.cleaned()
    if not data.consent:
        raise ValidationError({"consent": _("Without consent to data processing the person's data cannot be stored.")})
    if role not in PUBLIC_ROLES:
        role = Attendance.Role.RESIDENT
    if participation not in Attendance.Participation.values:
        participation = Attendance.Participation.TRAINEE
    person = find_person(
        cedula=data.cedula, first_names=data.first_names, last_names=data.last_names, training=training
    )
    if person is not None:
        # A known cédula needs all the names as stored; the refusal says nothing of what is stored (no echo of
        # names, no hint that the cédula exists), so the form cannot be used to probe the registry.
        if data.cedula and not same_names(person, data):
            raise CheckInRefused(CHECKIN_REFUSED)
        existing = Attendance.objects.filter(training=training, person=person, attended=True).first()
        if existing:
            return existing, False
    _throttle(training, {} if device is None else device)
    if Attendance.objects.filter(training=training, via=Attendance.Via.SELF).count() >= SELF_CHECKIN_CAP:
        raise CheckInRefused(_("This training has reached its limit of self check-ins. Please ask the staff."))
    if person is None:
        person = _new_person(data, training)
        person.save()
    return _mark(training, person, role=role, via=Attendance.Via.SELF, participation=participation)


# --- certificates ---------------------------------------------------------------------------------------------


def _unique_code() -> str:
    for _attempt in range(20):
        code = certificates.new_code()
        if not Attendance.objects.filter(certificate_code=code).exists():
            return code
    raise RuntimeError("could not draw an unused certificate code")  # 31^10 codes: never in practice


@transaction.atomic
def issue_certificates(user, training: Training) -> int:
    """A certificate for everyone trained at a training that was held (not those who came with the speakers to
    inform); those already issued keep their code. Returns how many were issued now."""
    require(user, "change", training)
    if training.activity.status != Activity.Status.DONE:
        raise ValidationError(_("Certificates are issued once the training is marked as done."))
    issued = 0
    now = timezone.now()
    for attendance in training.attendances.trained().filter(certificate_code=None):
        attendance.certificate_code = _unique_code()
        attendance.certificate_issued_at = now
        attendance.save(update_fields=["certificate_code", "certificate_issued_at"])
        issued += 1
    return issued
