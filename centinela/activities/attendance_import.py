"""Attendance sheets (CSV or XLSX) on the one import pipeline: parse -> validate -> preview -> apply atomically.

A sheet with problems is shown row by row before anything is saved. The user may then confirm the valid rows
alone: the importer is built again with those row numbers to skip, validated again, and applied in one
transaction, so a sheet is never half-imported.

A row for someone already on the training marks them present and, when its participation column says otherwise
than what is recorded, changes their participation (through services.training.set_participation, audited like a
change made on the training's page); an empty cell leaves it as recorded. Nothing else of their attendance
changes."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import override

from centinela.accounts.permissions import scope
from centinela.activities.cedula import cedula_is_valid
from centinela.activities.models import Activity, Attendance, Person, Training
from centinela.activities.selectors.training import find_person, normalise
from centinela.activities.services import training as training_services
from centinela.lib.imports import Importer, Problem, Row
from centinela.lib.tables import read_table
from centinela.territory.models import Barrio

EXTENSIONS = {".csv", ".xlsx"}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

# Header (normalised: lower case, no accents, spaces as underscores) -> field. Spanish first; the English keys
# are what the attendance export writes, so an exported sheet reads back.
HEADERS = {
    "nombres": "first_names",
    "nombre": "first_names",
    "first_names": "first_names",
    "apellidos": "last_names",
    "apellido": "last_names",
    "last_names": "last_names",
    "cedula": "cedula",
    "ci": "cedula",
    "cedula_de_identidad": "cedula",
    "rol": "role",
    "role": "role",
    "participo_como": "participation",
    "participacion": "participation",
    "took_part_as": "participation",
    "participation": "participation",
    "sexo": "sex",
    "sex": "sex",
    "edad": "age",
    "rango_de_edad": "age",
    "age": "age",
    "age_band": "age",
    "barrio": "barrio",
    "consentimiento": "consent",
    "consent": "consent",
    "telefono": "phone",
    "celular": "phone",
    "phone": "phone",
}
REQUIRED = ("first_names", "last_names", "cedula")
# Documented on the upload page, in this order.
DOCUMENTED = [
    "nombres",
    "apellidos",
    "cedula",
    "rol",
    "participo_como",
    "sexo",
    "edad",
    "barrio",
    "consentimiento",
    "telefono",
]

YES = {"si", "s", "x", "1", "true", "yes", "y", "verdadero", "acepta"}
SEX = {
    "f": "F",
    "mujer": "F",
    "femenino": "F",
    "female": "F",
    "m": "M",
    "h": "M",
    "hombre": "M",
    "masculino": "M",
    "male": "M",
    "x": "X",
    "otro": "X",
    "otra": "X",
    "other": "X",
    "prefiere no decir": "X",
}
ROLE_WORDS = {
    "presidente": "parish_president",
    "presidenta": "parish_president",
    "presidente parroquial": "parish_president",
    "presidenta parroquial": "parish_president",
    "presidente de la junta parroquial": "parish_president",
    "presidenta de la junta parroquial": "parish_president",
    "dirigente": "barrio_leader",
    "dirigente barrial": "barrio_leader",
    "lider barrial": "barrio_leader",
    "presidente barrial": "barrio_leader",
    "presidenta barrial": "barrio_leader",
    "morador": "resident",
    "moradora": "resident",
    "vecino": "resident",
    "vecina": "resident",
    "residente": "resident",
    "policia": "police",
    "policia nacional": "police",
    "bombero": "firefighter",
    "bombera": "firefighter",
    "otro": "other",
    "otra": "other",
}
# How a sheet says someone came with the speakers rather than to be trained (the export writes the labels).
PARTICIPATION_WORDS = {
    "capacitado": "trainee",
    "capacitada": "trainee",
    "participante": "trainee",
    "asistente": "trainee",
    "apoyo": "support",
    "apoyo al expositor": "support",
    "apoyo a los expositores": "support",
    "equipo del expositor": "support",
    "equipo de los expositores": "support",
    "expositor": "support",
    "expositora": "support",
}


def _participations() -> dict[str, str]:
    known = dict(PARTICIPATION_WORDS)
    for value, label in Attendance.Participation.choices:
        known[value] = value
        for language in ("es", "en"):
            with override(language):
                known[normalise(str(label))] = value
    return known


def _roles() -> dict[str, str]:
    known = dict(ROLE_WORDS)
    for value, label in Attendance.Role.choices:
        known[normalise(value.replace("_", " "))] = value
        known[value] = value
        for language in ("es", "en"):
            with override(language):
                known[normalise(str(label))] = value
    return known


def _sexes() -> dict[str, str]:
    """The sheet's words for sex, and the labels the export writes, in either language."""
    known = dict(SEX)
    for value, label in Person.Sex.choices:
        for language in ("es", "en"):
            with override(language):
                known[normalise(str(label))] = value
    return known


def age_band(value) -> str | None:
    """An age in years or a band as written on the sheet -> Person.AgeBand; None when it cannot be read."""
    if value in (None, ""):
        return ""
    text = normalise(str(value))
    try:
        years = float(text.replace(",", "."))
    except ValueError:
        bands = {normalise(v): v for v in Person.AgeBand.values}
        for value, label in Person.AgeBand.choices:  # the labels the export writes, in either language
            for language in ("es", "en"):
                with override(language):
                    bands[normalise(str(label))] = value
        bands.update(
            {"menor de 18": "0-17", "menor": "0-17", "under 18": "0-17", "65 o mas": "65+", "65 or over": "65+"}
        )
        return bands.get(text)
    if years < 0 or years > 120:
        return None
    for limit, band in ((18, "0-17"), (30, "18-29"), (45, "30-44"), (65, "45-64")):
        if years < limit:
            return band
    return "65+"


def _cedula_text(value, notes: list[str]) -> str:
    """Spreadsheets turn 0102030405 into the number 102030405: put the leading zero back and say so."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if len(text) == 9:
            notes.append(_("leading zero of the cédula restored"))
            return text.zfill(10)
        return text
    return "".join(str(value or "").split()).replace("-", "")


# --- reading the file -----------------------------------------------------------------------------------------


def _blank(cells) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


# --- the importer ---------------------------------------------------------------------------------------------


class AttendanceImporter(Importer):
    """An attendance sheet of one training. `skip`: row numbers the user chose to leave out (those the preview
    showed with problems)."""

    columns = HEADERS
    required = REQUIRED

    def __init__(self, user, training: Training, *, skip: frozenset[int] = frozenset()):
        super().__init__()
        self.user, self.training, self.skip = user, training, skip
        self.skipped: list[int] = []

    def audit_target(self):
        return self.training

    # reading

    def parse(self, path):
        path = Path(path)
        if self.training.activity.status in (Activity.Status.CANCELLED, Activity.Status.POSTPONED):
            return [], [Problem(None, "", _("This training was postponed or cancelled: attendance cannot be taken."))]
        try:
            table = read_table(path)
        except Exception as exc:  # any unreadable file: a corrupt XLSX, a binary renamed .csv
            return [], [Problem(None, path.name, _("The file cannot be read as CSV or XLSX (%(e)s).") % {"e": exc})]
        while table and _blank(table[0]):
            table.pop(0)
        if not table:
            return [], [Problem(None, "", _("The file is empty."))]
        header = [normalise(str(h or "")).replace(" ", "_") for h in table[0]]
        columns = self._find_columns(header)
        missing = [f for f in self.required if f not in columns]
        if missing:
            return [], self._missing_columns(missing, header)
        body = table[1:]
        if len(body) > MAX_ROWS:
            return [], [Problem(None, "", _("The sheet has more than %(n)s rows; split it.") % {"n": MAX_ROWS})]
        return self._rows(body, header, columns), []

    def _find_columns(self, header: list[str]) -> dict[str, int]:
        """field -> index of the first column whose header names it."""
        columns: dict[str, int] = {}
        for index, name in enumerate(header):
            if name in self.columns and self.columns[name] not in columns:
                columns[self.columns[name]] = index
        return columns

    def _missing_columns(self, missing: list[str], header: list[str]) -> list[Problem]:
        wanted = {"first_names": "nombres", "last_names": "apellidos", "cedula": "cedula"}
        return [
            Problem(
                None,
                "",
                _("Column %(c)s is missing; the file has: %(all)s")
                % {
                    "c": wanted[f],
                    "all": ", ".join(h for h in header if h),
                },
            )
            for f in missing
        ]

    def _rows(self, body: list, header: list[str], columns: dict[str, int]) -> list[Row]:
        rows = []
        for offset, cells in enumerate(body):
            number = offset + 2  # as the spreadsheet numbers it: the header is row 1
            if _blank(cells):
                continue
            if number in self.skip:
                self.skipped.append(number)
                continue
            rows.append(self._row(number, list(cells) + [None] * (len(header) - len(cells)), columns))
        return rows

    @staticmethod
    def _row(number: int, cells: list, columns: dict[str, int]) -> Row:
        notes: list[str] = []
        data = {field: cells[i] for field, i in columns.items()}
        data["cedula"] = _cedula_text(data.get("cedula"), notes)
        for key in ("first_names", "last_names", "role", "participation", "sex", "barrio", "phone"):
            data[key] = " ".join(str(data.get(key) or "").split())
        label = ", ".join(x for x in (data["last_names"], data["first_names"]) if x) or data["cedula"] or "—"
        return Row(number, label, data, notes)

    # checking

    def prepare(self, rows):
        self.roles = _roles()
        self.participations = _participations()
        self.sexes = _sexes()
        self.barrios: dict[str, Barrio] = {}
        for b in scope(self.user, Barrio.objects.select_related("parish")):  # a president: barrios of their parish
            key = normalise(b.name)
            if key not in self.barrios or b.parish_id == self.training.activity.parish_id:  # the training's parish wins
                self.barrios[key] = b
        self.seen_cedulas: dict[str, int] = {}
        self.seen_minors: dict[tuple, int] = {}

    def validate_row(self, row):
        d = row.data
        yield from self._check_names(d)
        yield from self._read_age(d)
        yield from self._check_cedula(row)
        yield from self._read_role(d)
        yield from self._read_participation(d)
        yield from self._read_sex(d)
        yield from self._find_barrio(d)
        yield from self._check_consent(d)
        yield from self._check_known_person(d)
        yield from self._check_participation_change(d)

    @staticmethod
    def _check_names(d):
        if not d["first_names"]:
            yield _("the first names are missing")
        if not d["last_names"]:
            yield _("the last names are missing")

    @staticmethod
    def _read_age(d):
        band = age_band(d.get("age"))
        if band is None:
            yield _("age %(v)s cannot be read (a number of years or a band such as 18-29)") % {"v": d.get("age")}
        d["age_band"] = band or ""

    def _check_cedula(self, row):
        """A valid cédula, once in the sheet; none only for people under 18, then once by name."""
        d = row.data
        cedula = d["cedula"] or None
        if cedula and not cedula_is_valid(cedula):
            yield _("cédula %(v)s is not valid (10 digits with a correct check digit)") % {"v": cedula}
        elif cedula:
            if cedula in self.seen_cedulas:
                yield _("cédula repeated: already in row %(n)s") % {"n": self.seen_cedulas[cedula]}
            else:
                self.seen_cedulas[cedula] = row.number
        elif d["age_band"] != Person.AgeBand.UNDER_18:
            yield _("the cédula is missing (it may be left empty only for people under 18)")
        elif d["first_names"] and d["last_names"]:
            key = (normalise(d["first_names"]), normalise(d["last_names"]))
            if key in self.seen_minors:
                yield _("the same person is already in row %(n)s") % {"n": self.seen_minors[key]}
            else:
                self.seen_minors[key] = row.number
        d["cedula"] = cedula

    def _read_role(self, d):
        role = self.roles.get(normalise(d["role"])) if d["role"] else Attendance.Role.RESIDENT
        if role is None:
            yield _("unknown role %(v)s") % {"v": d["role"]}
        d["role_value"] = role or ""

    def _read_participation(self, d):
        """Trainee unless the sheet says otherwise (a sheet without the column lists trainees). Only a stated
        participation changes that of someone already on the training: a sheet without the column must not turn
        the support staff registered on the page into trainees."""
        text = d["participation"]
        value = self.participations.get(normalise(text)) if text else Attendance.Participation.TRAINEE
        if value is None:
            yield _("unknown participation %(v)s (trainee, or support to the speakers)") % {"v": text}
        d["participation_value"] = value or ""
        d["participation_stated"] = bool(text)

    def _read_sex(self, d):
        sex = self.sexes.get(normalise(d["sex"])) if d["sex"] else ""
        if sex is None:
            yield _("sex %(v)s cannot be read (F, M or X)") % {"v": d["sex"]}
        d["sex_value"] = sex or ""

    def _find_barrio(self, d):
        barrio = self.barrios.get(normalise(d["barrio"])) if d["barrio"] else None
        if d["barrio"] and barrio is None:
            yield _("unknown barrio %(v)s") % {"v": d["barrio"]}
        d["barrio_obj"] = barrio

    @staticmethod
    def _check_consent(d):
        if normalise(str(d.get("consent") or "")) not in YES:
            yield _("no consent to data processing: the person's data cannot be stored")

    @staticmethod
    def _check_known_person(d):
        cedula = d["cedula"]
        if cedula and cedula_is_valid(cedula):
            known = Person.objects.filter(cedula=cedula).only("last_names").first()
            if known and not training_services.same_surname(known, d["last_names"]):
                yield _("cédula %(v)s is registered with other names") % {"v": cedula}

    def _check_participation_change(self, d):
        """A change the service would refuse (a certified trainee made support) is the row's problem now, not a
        failure of the whole sheet once confirmed."""
        if not (d["participation_stated"] and d["participation_value"]):
            return
        person = self._person_of(d)
        if person is None or not training_services.same_surname(person, d["last_names"]):
            return  # a new person, or a cédula of someone else (reported above)
        attendance = self._attendance_of(person)
        change = self._participation_change(d, attendance)
        if attendance is not None and change:
            try:
                training_services.check_participation(attendance, change)
            except ValidationError as exc:
                yield from exc.messages

    # saving

    def _person_of(self, d):
        return find_person(
            cedula=d["cedula"], first_names=d["first_names"], last_names=d["last_names"], training=self.training
        )

    def _attendance_of(self, person: Person | None) -> Attendance | None:
        if person is None:
            return None
        return Attendance.objects.filter(training=self.training, person=person).first()

    @staticmethod
    def _participation_change(d, attendance: Attendance | None) -> str:
        """The participation the row gives an attendance already recorded ("": none, the row leaves it as is)."""
        value = d["participation_value"]
        if attendance is None or not d["participation_stated"] or not value or value == attendance.participation:
            return ""
        return value

    def _counts(self) -> dict[str, int]:
        return {
            "people_new": 0,
            "people_known": 0,
            "attendance_new": 0,
            "already_present": 0,
            "participation_changed": 0,
            "skipped": len(self.skipped),
        }

    @staticmethod
    def _count(counts: dict[str, int], *, marked: bool, changed: bool) -> None:
        """Each count says what happens to a row: marked present (a new attendance, or one registered ahead),
        participation changed (someone registered ahead may be both), or nothing ("already present": present,
        and as the sheet says)."""
        if marked:
            counts["attendance_new"] += 1
        elif not changed:
            counts["already_present"] += 1
        if changed:
            counts["participation_changed"] += 1

    def preview(self, rows):
        counts = self._counts()
        for row in rows:
            person = self._person_of(row.data)
            counts["people_known" if person else "people_new"] += 1
            attendance = self._attendance_of(person)
            changed = bool(self._participation_change(row.data, attendance))
            self._count(counts, marked=attendance is None or not attendance.attended, changed=changed)
        return counts

    def apply(self, rows):
        counts = self._counts()
        for row in rows:
            d = row.data
            known = self._person_of(d) is not None
            person = training_services.register_person(
                self.user,
                self.training,
                training_services.PersonData(
                    first_names=d["first_names"],
                    last_names=d["last_names"],
                    cedula=d["cedula"],
                    age_band=d["age_band"],
                    sex=d["sex_value"],
                    barrio=d["barrio_obj"],
                    phone=d["phone"][:20],
                    consent=True,
                ),
            )
            attendance, marked = training_services.mark_present(
                self.user,
                self.training,
                person,
                role=d["role_value"],
                via=Attendance.Via.IMPORT,
                participation=d["participation_value"],
            )
            change = self._participation_change(d, attendance)  # a new attendance already has the row's
            if change:
                training_services.set_participation(self.user, attendance, change)
            counts["people_known" if known else "people_new"] += 1
            self._count(counts, marked=marked, changed=bool(change))
        return counts


def attendance_importer(user, training: Training, *, skip: frozenset[int] = frozenset()) -> AttendanceImporter:
    """The entry point of the upload page and of scripts."""
    return AttendanceImporter(user, training, skip=skip)
