"""The demo year: the council's 2020 account (shared/seed) recorded as plan, programmes, activities and partners.

`load_demo_year_2020()` is safe to re-run: every row is matched by its natural key (a name, a code, a title, a
cédula), rows already there are only updated, nothing is duplicated. The institutions are real except the private
company marked "(ficticia)"; every person is invented (common Ecuadorian names drawn by a seeded generator, and
cédulas from a block of Loja numbers far beyond those issued so far, with a valid check digit).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from centinela.activities.cedula import cedula_is_valid
from centinela.activities.models import (
    Activity,
    ActivityPartner,
    Attendance,
    Campaign,
    CouncilSession,
    Evidence,
    Indicator,
    IndicatorTarget,
    Material,
    Operation,
    OperationType,
    Person,
    Placement,
    Plan,
    Programme,
    Resolution,
    SessionAttendance,
    Speaker,
    Training,
    WorkingGroup,
    WorkingGroupMember,
)
from centinela.partners.models import Agreement, Institution, Obligation
from centinela.territory.models import Barrio, Parish, Place

TZ = ZoneInfo("America/Guayaquil")
YEAR_START, YEAR_END = date(2020, 1, 1), date(2020, 12, 31)
COVID = "en el contexto de la emergencia sanitaria por el COVID-19"

PURPOSE = (
    "El Concejo Cantonal de Seguridad Ciudadana de Loja es un organismo público vinculado al Ilustre Municipio de "
    "Loja que tiene como finalidad gestionar políticas y estrategias destinadas a reducir los niveles de violencia y "
    "delincuencia en el cantón Loja, mediante la participación activa de la ciudadanía, de las instituciones públicas "
    "y privadas, proponiendo generar un modelo eficiente de seguridad ciudadana con el fin de reducir los índices de "
    "inseguridad existentes, mejorar las condiciones de seguridad y convivencia ciudadana mediante acciones enfocadas "
    "en la prevención y reducción de delitos, contravenciones y distintas clases de violencia que afecten a los "
    "ciudadanos."
)
OBJECTIVES = "\n".join(
    [
        "1. Reducir los niveles de violencia y delincuencia en el cantón Loja con la participación activa de la "
        "ciudadanía y de las instituciones públicas y privadas.",
        "2. Capacitar de manera planificada a las 6 parroquias urbanas del cantón en normas de seguridad ciudadana.",
        "3. Recuperar los sistemas de videovigilancia en abandono y ampliar el circuito a lugares públicos con "
        "necesidades de vigilancia.",
        "4. Apoyar la respuesta a la pandemia del COVID-19 con fumigaciones y campañas de información sobre normas de "
        "seguridad ciudadana y sanitarias.",
        "5. Articular las funciones del Concejo con el SIS ECU 911 y con los actores de seguridad del cantón.",
    ]
)

# (name, short name, kind, council member, notes)
INSTITUTIONS = [
    ("Concejo Cantonal de Seguridad Ciudadana de Loja", "CCSC", "public", True, ""),
    ("Municipio de Loja", "Municipio", "public", True, "Ilustre Municipio de Loja."),
    (
        "Dependencias de cobranzas municipales (Municipio de Loja)",
        "Cobranzas municipales",
        "public",
        False,
        "Oficinas de recaudación del centro de la ciudad.",
    ),
    ("Policía Nacional", "Policía", "public", True, "Subzona de Policía Loja N.º 11."),
    ("Cuerpo de Bomberos de Loja", "Bomberos", "public", True, ""),
    ("SIS ECU 911", "ECU 911", "public", True, "Servicio Integrado de Seguridad ECU 911, centro zonal Loja."),
    ("Gobernación de la Provincia de Loja", "Gobernación", "public", True, ""),
    ("Fiscalía Provincial de Loja", "Fiscalía", "public", True, ""),
    ("Coordinación Zonal 7 de Educación", "Zonal 7 Educación", "public", False, "Ministerio de Educación."),
    ("Cruz Roja Ecuatoriana, Junta Provincial de Loja", "Cruz Roja", "community", False, ""),
    ("Banco de Guayaquil", "", "financial", False, ""),
    ("Banco Pichincha", "", "financial", False, ""),
    ("Banco de Loja", "", "financial", False, ""),
    (
        "Servicios Fitosanitarios del Sur (ficticia)",
        "Fitosanitarios del Sur",
        "private",
        False,
        "Empresa privada ficticia de la demostración: donó las fumigaciones con amonio cuaternario de 2020.",
    ),
]

# Places the 2020 account needs that the gazetteer does not list (positions approximate, to verify on the ground).
EXTRA_PLACES = [
    ("Puerta de la Ciudad", "other", -3.9894, -79.2044),
    ("Plaza de San Francisco", "park", -3.9943, -79.2027),
    ("Plaza de Santo Domingo", "park", -3.9989, -79.2015),
    ("Parque Daniel Álvarez Burneo", "park", -4.0047, -79.2061),
    ("Centro zonal SIS ECU 911 Loja", "facility", -3.9790, -79.2050),
]
EXTRA_PLACE_NOTE = "Lugar de la demostración 2020: posición aproximada; verificar en el terreno."

FIRST_F = [
    "María",
    "Rosa",
    "Carmen",
    "Gabriela",
    "Lucía",
    "Paola",
    "Verónica",
    "Andrea",
    "Diana",
    "Silvia",
    "Patricia",
    "Fernanda",
    "Sofía",
    "Daniela",
    "Ximena",
    "Mónica",
    "Jimena",
    "Lorena",
    "Elena",
    "Martha",
]
FIRST_M = [
    "José",
    "Luis",
    "Carlos",
    "Jorge",
    "Fernando",
    "Diego",
    "Andrés",
    "Marco",
    "Pablo",
    "Santiago",
    "Edwin",
    "Patricio",
    "Ramiro",
    "Galo",
    "Vinicio",
    "Hernán",
    "Fabián",
    "Rodrigo",
    "Mauricio",
    "Iván",
]
LAST = [
    "Jaramillo",
    "Ojeda",
    "Castillo",
    "Cueva",
    "Valdivieso",
    "Riofrío",
    "Torres",
    "Sarango",
    "Ordóñez",
    "Merino",
    "Granda",
    "Rojas",
    "Abad",
    "Paladines",
    "Carrión",
    "Armijos",
    "Celi",
    "Guamán",
    "Pineda",
    "Quezada",
    "Tapia",
    "Vivanco",
    "Espinosa",
    "Aguirre",
    "Burneo",
    "Loaiza",
    "Jiménez",
    "Romero",
    "Alvarado",
    "Montaño",
]

# (parish code, date, residents, planned USD, executed USD): the account names no dates; these are plausible, with the
# gap of the 2020 lockdown between March and September.
TRAININGS = [
    ("110101", "2020-02-13", 19, "250.00", "228.50"),
    ("110102", "2020-03-05", 21, "250.00", "236.00"),
    ("110103", "2020-09-17", 15, "250.00", "174.20"),
    ("110104", "2020-10-08", 17, "250.00", "181.75"),
    ("110105", "2020-10-29", 14, "250.00", "169.90"),
    ("110106", "2020-11-19", 16, "250.00", "177.40"),
]

# (title item, place name, place kind or None for a barrio code, date, area m², in-kind USD, requested by)
FUMIGATIONS = [
    (
        "Teatro Bolívar",
        "Teatro Bolívar",
        "municipal",
        "2020-04-14",
        1200,
        "260.00",
        "Dirección de Cultura del Municipio de Loja",
    ),
    (
        "Museo Matilde Hidalgo de Procel",
        "Museo Matilde Hidalgo de Procel",
        "municipal",
        "2020-04-14",
        650,
        "180.00",
        "Dirección de Cultura del Municipio de Loja",
    ),
    (
        "Hogar San Camilo de Lellis",
        "Hogar San Camilo de Lellis",
        "care_home",
        "2020-04-21",
        900,
        "220.00",
        "Dirección del hogar",
    ),
    (
        "Clínica Municipal Julia Esther González Delgado",
        "Clínica Municipal Julia Esther González Delgado",
        "health",
        "2020-04-28",
        1100,
        "240.00",
        "Dirección de Salud del Municipio de Loja",
    ),
    (
        "Centro de acopio de víveres",
        "Centro de acopio de víveres",
        "facility",
        "2020-05-05",
        1500,
        "280.00",
        "Comité de Operaciones de Emergencia cantonal",
    ),
    (
        "barrio Cuarto Centenario",
        None,
        "LOJA-B-CUARTO-CENTENARIO",
        "2020-05-19",
        3500,
        "390.00",
        "Directiva del barrio",
    ),
    (
        "barrio San Cayetano Bajo",
        None,
        "LOJA-B-SAN-CAYETANO-BAJO",
        "2020-05-26",
        3000,
        "350.00",
        "Directiva del barrio",
    ),
    ("barrio Ciudadela Zamora", None, "LOJA-B-CIUDADELA-ZAMORA", "2020-06-02", 3000, "350.00", "Directiva del barrio"),
    ("barrio Jipiro", None, "LOJA-B-JIPIRO", "2020-06-09", 4200, "420.00", "Directiva del barrio"),
    ("barrio La Tebaida", None, "LOJA-B-LA-TEBAIDA", "2020-06-16", 4000, "410.00", "Directiva del barrio"),
    ("barrio Pucará", None, "LOJA-B-PUCARA", "2020-06-23", 2800, "330.00", "Directiva del barrio"),
]

# (stem, item, place name, place kind, date, planned USD, executed USD)
SURVEILLANCE = [
    *[
        ("Reactivación de sistemas de videovigilancia en abandono", item, place, kind, day, "900.00", spent)
        for item, place, kind, day, spent in [
            ("barrio Cuarto Centenario", "Barrio Cuarto Centenario (cámaras)", "other", "2020-06-10", "812.40"),
            ("barrio San Cayetano Bajo", "Barrio San Cayetano Bajo (cámaras)", "other", "2020-06-24", "768.00"),
            ("Ciudadela Zamora", "Barrio Ciudadela Zamora (cámaras)", "other", "2020-07-08", "845.10"),
            ("Parque Bolívar", "Parque Bolívar (Simón Bolívar)", "park", "2020-07-22", "690.00"),
            ("Parque San Sebastián", "Plaza San Sebastián (Plaza de la Independencia)", "park", "2020-08-05", "720.35"),
            ("Parque Pucará", "Parque Pucará", "park", "2020-08-19", "880.00"),
            ("Parque Jipiro", "Parque Recreacional Jipiro", "park", "2020-09-02", "895.60"),
            ("Parque Lineal La Tebaida", "Parque Lineal La Tebaida", "park", "2020-09-16", "860.00"),
            ("Puerta de la Ciudad", "Puerta de la Ciudad", "other", "2020-09-30", "655.00"),
            ("Plaza de San Francisco", "Plaza de San Francisco", "park", "2020-10-14", "702.80"),
            ("Plaza de Santo Domingo", "Plaza de Santo Domingo", "park", "2020-10-28", "731.00"),
            ("Parque Daniel Álvarez Burneo", "Parque Daniel Álvarez Burneo", "park", "2020-11-11", "799.90"),
        ]
    ],
    (
        "Ampliación del circuito de videovigilancia",
        "Centro de Revisión Vehicular",
        "Centro de Revisión Vehicular",
        "facility",
        "2020-11-25",
        "3500.00",
        "3280.00",
    ),
    (
        "Ampliación del circuito de videovigilancia",
        "Puerto Seco Comercial",
        "Puerto Seco Comercial",
        "facility",
        "2020-12-09",
        "3500.00",
        "3410.50",
    ),
    *[
        ("Reactivación de cámaras en centros de abasto", place, place, "market", day, "600.00", spent)
        for place, day, spent in [
            ("Mercado Centro Comercial Loja", "2020-08-26", "540.00"),
            ("Mercado Gran Colombia", "2020-09-09", "566.30"),
            ("Mercado San Sebastián", "2020-09-23", "512.75"),
        ]
    ],
]
NAMED_IN_ACCOUNT = {
    "barrio Cuarto Centenario",
    "barrio San Cayetano Bajo",
    "Ciudadela Zamora",
    "Parque Bolívar",
    "Parque San Sebastián",
    "Parque Pucará",
    "Parque Jipiro",
    "Parque Lineal La Tebaida",
}

BANNER_PLACEMENTS = [  # (place name, partner, banners, installed on)
    ("Banco de Guayaquil (matriz Loja)", "Banco de Guayaquil", 3, "2020-06-15"),
    ("Banco Pichincha (agencia centro)", "Banco Pichincha", 3, "2020-06-15"),
    ("Banco de Loja (matriz)", "Banco de Loja", 3, "2020-06-16"),
    ("Recaudación municipal (centro)", "Dependencias de cobranzas municipales (Municipio de Loja)", 3, "2020-06-17"),
]


@dataclass
class _Ctx:
    admin: object
    technician: object
    plan: Plan | None = None
    people_made: int = 0


def _at(day: str, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), TZ)


def _upsert(model, keys: dict, **values):
    """The row with these natural keys, created or brought up to date (validated; saved only when it changed)."""
    obj = model.objects.filter(**keys).first()
    if obj is None:
        obj = model(**keys, **values)
    elif all(getattr(obj, field) == value for field, value in values.items()):
        return obj
    else:
        for field, value in values.items():
            setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    return obj


def _cedula(n: int) -> str:
    """A valid cédula of Loja (province 11) from the block 1159990000-1159999999, which the Registro Civil has not
    reached: the check digit is the one cedula.py accepts."""
    body = f"115999{n:03d}"
    return next(body + str(d) for d in range(10) if cedula_is_valid(body + str(d)))


def _person(
    ctx: _Ctx, rng: random.Random, serial: int, *, parish=None, barrio=None, sex=None, consent_at=None
) -> Person:
    sex = sex or rng.choice("FM")
    first = rng.choice(FIRST_F if sex == "F" else FIRST_M)
    last = f"{rng.choice(LAST)} {rng.choice(LAST)}"
    age = rng.choice(["18-29", "30-44", "30-44", "45-64", "45-64", "65+"])
    return _upsert(
        Person,
        {"cedula": _cedula(serial)},
        first_names=first,
        last_names=last,
        sex=sex,
        age_band=age,
        parish=parish,
        barrio=barrio,
        consent=True,
        consent_at=consent_at,
    )


def _partner(activity, institution, role, value="0", what=""):
    return _upsert(
        ActivityPartner,
        {"activity": activity, "institution": institution, "role": role},
        in_kind_value=Decimal(value),
        in_kind_description=what,
    )


def _activity(
    ctx: _Ctx,
    programme,
    title: str,
    day: str,
    *,
    kind,
    hours=2,
    place=None,
    parish=None,
    barrios=(),
    description="",
    planned="0",
    executed="0",
    hour=9,
    working_group=None,
) -> Activity:
    starts = _at(day, hour)
    activity = _upsert(
        Activity,
        {"programme": programme, "title": title},
        kind=kind,
        description=description,
        starts_at=starts,
        ends_at=_at(day, hour + hours),
        parish=parish if parish is not None else (place.parish if place else None),
        place=place,
        responsible=ctx.technician,
        working_group=working_group,
        budget_planned=Decimal(planned),
        budget_executed=Decimal(executed),
        status=Activity.Status.DONE,
    )
    if barrios:
        activity.barrios.set(barrios)
    return activity


def _place(name: str, kind: str | None = None) -> Place:
    qs = Place.objects.filter(name=name)
    return (qs.filter(kind=kind) if kind else qs).get()


def _extra_places(ctx: _Ctx) -> None:
    from centinela.territory.services import save_place

    for name, kind, lat, lon in EXTRA_PLACES:
        if not Place.objects.filter(name=name, kind=kind).exists():
            save_place(ctx.admin, Place(name=name, kind=kind, lat=lat, lon=lon, notes=EXTRA_PLACE_NOTE))


def _institutions() -> dict[str, Institution]:
    out = {}
    for name, short, kind, member, notes in INSTITUTIONS:
        out[name] = _upsert(
            Institution, {"name": name}, short_name=short, kind=kind, is_council_member=member, notes=notes
        )
    places = {
        "Banco de Guayaquil": "Banco de Guayaquil (matriz Loja)",
        "Banco Pichincha": "Banco Pichincha (agencia centro)",
        "Banco de Loja": "Banco de Loja (matriz)",
        "Municipio de Loja": "Salón de los Alcaldes (Municipio de Loja)",
        "Dependencias de cobranzas municipales (Municipio de Loja)": "Recaudación municipal (centro)",
        "SIS ECU 911": "Centro zonal SIS ECU 911 Loja",
    }
    for name, place in places.items():
        _upsert(Institution, {"name": name}, place=Place.objects.filter(name=place).first())
    return out


def _plan(ctx: _Ctx) -> dict[str, Programme]:
    ctx.plan = _upsert(
        Plan,
        {"name": "Plan Cantonal de Seguridad Ciudadana 2020", "level": Plan.Level.CANTONAL},
        starts_on=YEAR_START,
        ends_on=YEAR_END,
        objectives=OBJECTIVES,
        purpose=PURPOSE,
        slogan="Una Loja para todos",
    )
    rows = [
        (
            "P1",
            "Capacitación preventiva en normas de seguridad ciudadana",
            "training",
            "Capacitar de manera planificada a presidentes y moradores de los barrios de las 6 parroquias urbanas en "
            "normas de seguridad ciudadana, con el apoyo de la Policía Nacional y del Cuerpo de Bomberos.",
        ),
        (
            "P2",
            "Videovigilancia",
            "surveillance",
            "Reactivar los sistemas de videovigilancia que se encontraban en abandono y ampliar el circuito a lugares "
            "públicos con necesidades de vigilancia, para una vigilancia operativa y de calidad.",
        ),
        (
            "P3",
            "Operativos de sanitización",
            "operations",
            "Combatir el virus COVID-19 con fumigaciones gratuitas con amonio cuaternario de inmediaciones "
            "municipales y "
            "barrios del cantón, en conjunción con la empresa privada.",
        ),
        (
            "P4",
            "Campañas de información",
            "campaign",
            "Difundir normas de seguridad ciudadana y sanitarias (COVID-19) al público en general con banners "
            "informativos colocados de manera planificada en instituciones crediticias y dependencias municipales.",
        ),
        (
            "P5",
            "Yo Aprendo Seguridad",
            "education",
            "Iniciar la conformación del grupo de trabajo para los proyectos educativos «Yo Aprendo Seguridad» con los "
            "diferentes actores de seguridad del cantón.",
        ),
        (
            "P6",
            "Convenio con el SIS ECU 911",
            "agreement",
            "Articular las funciones del Concejo con el SIS ECU 911 y capacitar a su personal operativo sobre el uso "
            "de "
            "los sistemas y normas de videovigilancia.",
        ),
    ]
    return {
        code: _upsert(
            Programme,
            {"plan": ctx.plan, "code": code},
            name=name,
            kind=kind,
            objective=objective,
            responsible=ctx.technician,
        )
        for code, name, kind, objective in rows
    }


def _indicators(programmes: dict[str, Programme]) -> None:
    # (programme, code, name, metric, unit, cantonal target, per-urban-parish target or None)
    rows = [
        ("P1", "P1.1", "Capacitaciones preventivas realizadas", "trainings_held", "capacitaciones", 6, 1),
        ("P1", "P1.2", "Personas capacitadas", "people_trained", "personas", 150, 25),
        ("P1", "P1.3", "Mujeres capacitadas", "women_trained", "personas", 60, None),
        ("P1", "P1.4", "Presidentes parroquiales capacitados", "presidents_trained", "personas", 6, None),
        ("P2", "P2.1", "Puntos de videovigilancia reactivados o ampliados", "activities_done", "puntos", 20, None),
        ("P2", "P2.2", "Presupuesto de videovigilancia ejecutado", "budget_executed", "USD", 19500, None),
        ("P3", "P3.1", "Fumigaciones realizadas", "operations_done", "fumigaciones", 10, None),
        ("P3", "P3.2", "Superficie fumigada", "area_treated_m2", "m²", 25000, None),
        ("P3", "P3.3", "Aportes en especie de la empresa privada", "in_kind_value", "USD", 3000, None),
        ("P4", "P4.1", "Banners colocados", "placements_installed", "banners", 12, None),
        ("P5", "P5.1", "Reuniones del grupo de trabajo", "meetings_held", "reuniones", 4, None),
        (
            "P6",
            "P6.1",
            "Capacitaciones al personal operativo del SIS ECU 911",
            "trainings_held",
            "capacitaciones",
            1,
            None,
        ),
        ("P6", "P6.2", "Personal operativo capacitado", "people_trained", "personas", 20, None),
    ]
    urban = list(Parish.objects.filter(kind=Parish.Kind.URBAN).order_by("code"))
    for prog, code, name, metric, unit, cantonal, per_parish in rows:
        indicator = _upsert(
            Indicator, {"programme": programmes[prog], "code": code}, name=name, metric=metric, unit=unit
        )
        keys = {"indicator": indicator, "starts_on": YEAR_START, "ends_on": YEAR_END}
        _upsert(IndicatorTarget, {**keys, "parish": None}, target=Decimal(cantonal))
        for parish in urban if per_parish else []:
            _upsert(IndicatorTarget, {**keys, "parish": parish}, target=Decimal(per_parish))


def _trainings(ctx: _Ctx, programme: Programme, inst: dict, rng: random.Random) -> Activity:
    salon = _place("Salón de los Alcaldes (Municipio de Loja)")
    police, fire, city = inst["Policía Nacional"], inst["Cuerpo de Bomberos de Loja"], inst["Municipio de Loja"]
    first = None
    for code, day, residents, planned, executed in TRAININGS:
        parish = Parish.objects.get(code=code)
        covid = day >= "2020-03-16"
        description = (
            f"Capacitación preventiva sobre normas de seguridad ciudadana dirigida al presidente y a los moradores de "
            f"los barrios de la parroquia {parish.name}, en el Salón de los Alcaldes. Por solicitud del Concejo "
            f"asistieron miembros de la Policía Nacional y del Cuerpo de Bomberos para brindar información de "
            f"seguridad a los asistentes."
            + (f" Realizada con aforo reducido y medidas de bioseguridad, {COVID}." if covid else "")
        )
        # Held at the Salón (in El Sagrario) for another parish: the parish is the audience's, the place the venue's.
        activity = _activity(
            ctx,
            programme,
            f"Capacitación preventiva en normas de seguridad ciudadana: parroquia {parish.name}",
            day,
            kind=Activity.Kind.TRAINING,
            hours=3,
            hour=15,
            place=salon,
            parish=parish,
            description=description,
            planned=planned,
            executed=executed,
        )
        first = first or activity
        training = _upsert(
            Training,
            {"activity": activity},
            topic="Normas de seguridad ciudadana",
            audience=f"Presidente parroquial y moradores de los barrios de la parroquia {parish.name}",
            hours=Decimal("3"),
        )
        _upsert(
            Speaker,
            {"training": training, "name": f"Sgto. {rng.choice(FIRST_M)} {rng.choice(LAST)}"},
            institution=police,
            subject="Prevención de delitos y contravenciones en el barrio",
        )
        _upsert(
            Speaker,
            {"training": training, "name": f"Tnte. {rng.choice(FIRST_M)} {rng.choice(LAST)}"},
            institution=fire,
            subject="Prevención de incendios y plan familiar de emergencia",
        )
        _partner(
            activity, police, ActivityPartner.Role.SPEAKER, what="Expositor y personal de apoyo de la Policía Nacional"
        )
        _partner(
            activity, fire, ActivityPartner.Role.SPEAKER, what="Expositor y personal de apoyo del Cuerpo de Bomberos"
        )
        _partner(activity, city, ActivityPartner.Role.HOST, "80.00", "Uso del Salón de los Alcaldes")

        barrios = list(Barrio.objects.filter(parish=parish))
        consent_at = activity.starts_at
        trainee, support = Attendance.Participation.TRAINEE, Attendance.Participation.SUPPORT
        attendees = [
            (
                Attendance.Role.PARISH_PRESIDENT,
                None,
                trainee,
                _person(ctx, rng, _serial(ctx), parish=parish, consent_at=consent_at),
            )
        ]
        for i in range(residents):
            barrio = barrios[i % len(barrios)] if barrios else None
            person = _person(
                ctx, rng, _serial(ctx), parish=parish, barrio=barrio, sex="F" if i % 2 else None, consent_at=consent_at
            )
            attendees.append((Attendance.Role.RESIDENT, None, trainee, person))
        # The police officers and firefighters came "to give the attendees important security information" (the
        # account): with the speakers, not to be trained.
        for role, institution in ((Attendance.Role.POLICE, police), (Attendance.Role.FIREFIGHTER, fire)):
            for _i in range(2):
                attendees.append((role, institution, support, _person(ctx, rng, _serial(ctx), consent_at=consent_at)))
        for role, institution, participation, person in attendees:
            _upsert(
                Attendance,
                {"training": training, "person": person},
                role=role,
                institution=institution,
                participation=participation,
                attended=True,
            )
    return first


def _serial(ctx: _Ctx) -> int:
    ctx.people_made += 1
    return ctx.people_made


def _fumigations(ctx: _Ctx, programme: Programme, inst: dict) -> Activity:
    fumigation, _ = OperationType.objects.get_or_create(
        name="Fumigación", defaults={"default_product": "amonio cuaternario"}
    )
    donor = inst["Servicios Fitosanitarios del Sur (ficticia)"]
    first = None
    for item, place_name, kind_or_barrio, day, area, value, requested_by in FUMIGATIONS:
        place = _place(place_name, kind_or_barrio) if place_name else None
        barrio = None if place else Barrio.objects.get(code=kind_or_barrio)
        activity = _activity(
            ctx,
            programme,
            f"Fumigación con amonio cuaternario: {item}",
            day,
            kind=Activity.Kind.OPERATION,
            hours=3,
            place=place,
            parish=barrio.parish if barrio else None,
            barrios=[barrio] if barrio else (),
            description=(
                f"Fumigación gratuita con amonio cuaternario de {item}, gestionada por el Concejo en conjunción con la "
                f"empresa privada para combatir el virus COVID-19 ({COVID})."
            ),
        )
        first = first or activity
        _upsert(
            Operation,
            {"activity": activity},
            operation_type=fumigation,
            stage=Operation.Stage.DONE,
            requested_on=date.fromisoformat(day).replace(day=1),
            requested_by=requested_by,
            product="amonio cuaternario",
            dose="Dilución al 0,4 % (400 ppm)",
            area_m2=Decimal(area),
        )
        _partner(
            activity,
            donor,
            ActivityPartner.Role.DONOR,
            value,
            "Producto (amonio cuaternario), equipos de aspersión y personal técnico, sin costo para el Concejo",
        )
    return first


def _surveillance(ctx: _Ctx, programme: Programme) -> list[Activity]:
    done = []
    for stem, item, place_name, kind, day, planned, executed in SURVEILLANCE:
        place = _place(place_name, kind)
        if stem.startswith("Ampliación"):
            text = (
                f"Ampliación del circuito de videovigilancia a {item}, "
                "inmediación pública con necesidades de vigilancia."
            )
        elif kind == "market":
            text = (
                f"Reactivación de las cámaras de video de {item}, "
                "uno de los tres centros de abasto que cuentan con este sistema."
            )
        else:
            text = f"Reactivación del sistema de videovigilancia de {item}, que se encontraba en abandono."
            if item not in NAMED_IN_ACCOUNT:
                text += " Ejemplo de la demostración: el informe de 2020 no nombra los demás sistemas reactivados."
        done.append(
            _activity(
                ctx,
                programme,
                f"{stem}: {item}",
                day,
                kind=Activity.Kind.OTHER,
                hours=6,
                place=place,
                description=text + " Vigilancia operativa y de calidad.",
                planned=planned,
                executed=executed,
            )
        )
    return done


def _campaign(ctx: _Ctx, programme: Programme, inst: dict) -> Activity:
    activity = _activity(
        ctx,
        programme,
        "Banners informativos con normas de seguridad ciudadana y sanitaria",
        "2020-06-15",
        kind=Activity.Kind.CAMPAIGN,
        hours=8,
        description=(
            "Colocación planificada de banners informativos con normas de seguridad ciudadana y sanitaria para "
            f"conocimiento del público en general, {COVID}, con el apoyo de instituciones crediticias y de las "
            "dependencias de cobranzas municipales del centro de la ciudad."
        ),
        planned="480.00",
        executed="456.00",
    )
    campaign = _upsert(
        Campaign,
        {"activity": activity},
        theme=Campaign.Theme.BOTH,
        message="Normas de seguridad ciudadana y de bioseguridad: uso de mascarilla, distanciamiento, cuidado de sus "
        "pertenencias al salir de la agencia y números de emergencia (ECU 911).",
    )
    banner = _upsert(
        Material,
        {"campaign": campaign, "description": "Banner roll-up 80 × 200 cm: normas de seguridad ciudadana y sanitaria"},
        kind=Material.Kind.BANNER,
        quantity=sum(q for _p, _i, q, _d in BANNER_PLACEMENTS),
    )
    for place_name, partner_name, quantity, day in BANNER_PLACEMENTS:
        partner = inst[partner_name]
        _upsert(
            Placement,
            {"campaign": campaign, "material": banner, "place": _place(place_name)},
            partner=partner,
            quantity=quantity,
            installed_on=date.fromisoformat(day),
            removed_on=date(2020, 12, 18),
        )
        _partner(activity, partner, ActivityPartner.Role.HOST, what="Espacio para los banners en sus oficinas")
    return activity


def _education(ctx: _Ctx, programme: Programme, inst: dict) -> WorkingGroup:
    group = _upsert(
        WorkingGroup,
        {"programme": programme, "name": "Grupo de trabajo Yo Aprendo Seguridad"},
        purpose="Preparar los proyectos educativos «Yo Aprendo Seguridad» con los diferentes actores de seguridad del "
        "cantón, para las unidades educativas de Loja.",
        # the 2020 account says its formation was begun ("se logró iniciar la conformación"): no record says it was
        # formed, so it stays "en conformación" (the report reads it so)
        formed_on=None,
    )
    members = [
        ("Policía Nacional", "Delegado/a de Policía Comunitaria", "Contenidos de prevención del delito"),
        ("Cuerpo de Bomberos de Loja", "Delegado/a de prevención", "Contenidos de gestión de riesgos"),
        ("SIS ECU 911", "Delegado/a de vinculación con la comunidad", "Uso responsable de la línea 911"),
        (
            "Coordinación Zonal 7 de Educación",
            "Delegado/a de la Coordinación Zonal",
            "Unidades educativas participantes",
        ),
        ("Cruz Roja Ecuatoriana, Junta Provincial de Loja", "Delegado/a de la Junta Provincial", "Primeros auxilios"),
    ]
    for name, representative, role in members:
        _upsert(
            WorkingGroupMember, {"group": group, "institution": inst[name]}, representative=representative, role=role
        )
    salon = _place("Salón de los Alcaldes (Municipio de Loja)")
    meetings = [
        ("conformación del grupo", "2020-10-20", salon, "Reunión de conformación del grupo de trabajo."),
        (
            "contenidos del proyecto",
            "2020-11-17",
            None,
            f"Reunión virtual por la emergencia sanitaria ({COVID}): contenidos del proyecto educativo.",
        ),
        ("cronograma 2021", "2020-12-10", salon, "Cronograma de trabajo en las unidades educativas para 2021."),
    ]
    for item, day, place, text in meetings:
        _activity(
            ctx,
            programme,
            f"Reunión del grupo de trabajo Yo Aprendo Seguridad: {item}",
            day,
            kind=Activity.Kind.MEETING,
            place=place,
            description=text,
            working_group=group,
            hour=10,
        )
    return group


def _agreement(
    ctx: _Ctx, programme: Programme, inst: dict, surveillance: list[Activity], rng: random.Random
) -> Agreement:
    ecu, council = inst["SIS ECU 911"], inst["Concejo Cantonal de Seguridad Ciudadana de Loja"]
    agreement = _upsert(
        Agreement,
        {"code": "CCSC-ECU911-2020-01"},
        title="Convenio de cooperación interinstitucional entre el Concejo Cantonal de Seguridad Ciudadana de Loja y "
        "el SIS ECU 911",
        counterpart=ecu,
        signed_on=date(2020, 7, 15),
        valid_until=date(2022, 7, 14),
        purpose="Articular las funciones del Concejo Cantonal de Seguridad Ciudadana con el SIS ECU 911 en la "
        "videovigilancia del cantón Loja y en la capacitación de su personal operativo.",
    )
    centre = _place("Centro zonal SIS ECU 911 Loja", "facility")
    training_activity = _activity(
        ctx,
        programme,
        "Capacitación al personal operativo del SIS ECU 911 sobre sistemas y normas de videovigilancia",
        "2020-08-20",
        kind=Activity.Kind.TRAINING,
        hours=4,
        place=centre,
        description="Capacitación a todo el personal operativo del SIS ECU 911 sobre el uso de los sistemas y normas "
        "de "
        "videovigilancia, en cumplimiento del convenio con el Concejo.",
        planned="150.00",
        executed="95.00",
    )
    training = _upsert(
        Training,
        {"activity": training_activity},
        topic="Uso de los sistemas y normas de videovigilancia",
        audience="Personal operativo del SIS ECU 911",
        hours=Decimal("4"),
    )
    _upsert(
        Speaker,
        {"training": training, "name": f"Ing. {rng.choice(FIRST_F)} {rng.choice(LAST)}"},
        institution=council,
        subject="Sistemas de videovigilancia del Concejo y normas de uso",
    )
    _partner(
        training_activity, ecu, ActivityPartner.Role.HOST, "120.00", "Sala de capacitación y equipos del centro zonal"
    )
    for _i in range(18):
        person = _person(ctx, rng, _serial(ctx), consent_at=training_activity.starts_at)
        _upsert(
            Attendance,
            {"training": training, "person": person},
            role=Attendance.Role.OTHER,
            institution=ecu,
            attended=True,
        )
    obligations = [
        (
            "council",
            "Mantener operativos los sistemas de videovigilancia reactivados por el Concejo y enlazarlos a la "
            "sala de operaciones del SIS ECU 911.",
            surveillance,
        ),
        (
            "council",
            "Capacitar al personal operativo del SIS ECU 911 sobre el uso de los sistemas y las normas de "
            "videovigilancia.",
            [training_activity],
        ),
        (
            "counterpart",
            "Monitorear las cámaras del Concejo desde la sala de operaciones del centro zonal y despachar "
            "los recursos ante emergencias.",
            [],
        ),
        (
            "counterpart",
            "Facilitar sus instalaciones y a todo su personal operativo para la capacitación sobre videovigilancia.",
            [training_activity],
        ),
    ]
    for party, text, activities in obligations:
        obligation = _upsert(Obligation, {"agreement": agreement, "description": text}, party=party, due_on=YEAR_END)
        obligation.activities.set(activities)
    return agreement


def _sessions(ctx: _Ctx, inst: dict) -> None:
    salon = _place("Salón de los Alcaldes (Municipio de Loja)")
    members = [i for i in inst.values() if i.is_council_member and i.short_name != "CCSC"]
    sessions = [
        (
            CouncilSession.Kind.ORDINARY,
            1,
            "2020-01-30",
            salon,
            "1. Aprobación del Plan Cantonal de Seguridad Ciudadana 2020.\n2. Calendario de capacitaciones "
            "preventivas.",
            [
                (
                    "CCSC-2020-001",
                    "Aprobar el Plan Cantonal de Seguridad Ciudadana 2020.",
                    "Municipio de Loja",
                    "2020-01-31",
                    "2020-01-30",
                ),
                (
                    "CCSC-2020-002",
                    "Programar capacitaciones preventivas en las 6 parroquias urbanas en el Salón de los "
                    "Alcaldes, con expositores de la Policía Nacional y del Cuerpo de Bomberos.",
                    "Policía Nacional",
                    "2020-11-30",
                    "2020-11-19",
                ),
            ],
        ),
        (
            CouncilSession.Kind.EXTRAORDINARY,
            1,
            "2020-03-26",
            None,
            "Acciones del Concejo ante la emergencia sanitaria por el COVID-19 (sesión virtual).",
            [
                (
                    "CCSC-2020-003",
                    "Gestionar con la empresa privada fumigaciones gratuitas con amonio cuaternario de "
                    "inmediaciones municipales y barrios.",
                    "Municipio de Loja",
                    "2020-06-30",
                    "2020-06-23",
                ),
                (
                    "CCSC-2020-004",
                    "Colocar banners informativos con normas de seguridad ciudadana y sanitaria en instituciones "
                    "crediticias y dependencias de cobranzas municipales.",
                    "Municipio de Loja",
                    "2020-06-30",
                    "2020-06-17",
                ),
            ],
        ),
        (
            CouncilSession.Kind.ORDINARY,
            2,
            "2020-07-09",
            salon,
            "1. Convenio con el SIS ECU 911.\n2. Reactivación de los sistemas de videovigilancia en abandono.\n"
            "3. Proyecto educativo Yo Aprendo Seguridad.",
            [
                (
                    "CCSC-2020-005",
                    "Autorizar la suscripción del convenio con el SIS ECU 911.",
                    "SIS ECU 911",
                    "2020-07-31",
                    "2020-07-15",
                ),
                (
                    "CCSC-2020-006",
                    "Conformar el grupo de trabajo Yo Aprendo Seguridad con los actores de seguridad del cantón.",
                    "Policía Nacional",
                    "2020-10-31",
                    "2020-10-20",
                ),
                (
                    "CCSC-2020-007",
                    "Presentar el diagnóstico de los sistemas de videovigilancia que siguen sin funcionar.",
                    "SIS ECU 911",
                    "2021-03-31",
                    None,
                ),
            ],
        ),
    ]
    for kind, number, day, place, agenda, resolutions in sessions:
        session = _upsert(
            CouncilSession,
            {"kind": kind, "number": number},
            held_at=_at(day, 10),
            place=place,
            agenda=agenda,
            minutes="Acta aprobada por los miembros del Concejo.",
        )
        for institution in members:
            _upsert(SessionAttendance, {"session": session, "institution": institution}, present=True)
        for code, text, owner, due, done in resolutions:
            _upsert(
                Resolution,
                {"session": session, "number": code},
                text=text,
                owner_institution=inst[owner],
                due_on=date.fromisoformat(due),
                done_on=date.fromisoformat(done) if done else None,
                status=Resolution.Status.DONE if done else Resolution.Status.IN_PROGRESS,
                follow_up="" if done else "Diagnóstico en curso con el SIS ECU 911.",
            )


def photo_font(size: int):
    """DejaVu Sans (shipped with matplotlib, which draws the report's charts): it has the Spanish letters. Pillow's
    own default font has none of them and drew "Fumigación" as "Fumigaci□n" on the photos of the report's annex."""
    from pathlib import Path

    import matplotlib
    from PIL import ImageFont

    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), size)


def _photo(ctx: _Ctx, activity: Activity, title: str, colour: tuple, caption: str) -> None:
    """A drawn stand-in for a photo (the demo has no real ones), stored like any uploaded evidence."""
    evidence = Evidence.objects.filter(activity=activity, title=title).first()
    if evidence is not None and evidence.file and default_storage.exists(evidence.file.name):
        return
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 380), outline=(255, 255, 255), width=4)
    for x in range(60, 600, 90):
        draw.ellipse((x, 250, x + 50, 300), fill=(255, 255, 255))
        draw.rectangle((x + 5, 300, x + 45, 360), fill=(255, 255, 255))
    draw.text((40, 50), caption, fill=(255, 255, 255), font=photo_font(26))
    draw.text((40, 90), "Imagen de demostración · 2020", fill=(255, 255, 255), font=photo_font(18))
    out = io.BytesIO()
    image.save(out, format="PNG")
    data = out.getvalue()
    if evidence is None:
        evidence = Evidence(
            activity=activity, kind=Evidence.Kind.PHOTO, title=title, include_in_report=True, uploaded_by=ctx.admin
        )
    evidence.content_type, evidence.size = "image/png", len(data)
    evidence.file.save(f"demo-{activity.pk}.png", ContentFile(data), save=False)
    evidence.save()


@transaction.atomic
def load_demo_year_2020() -> dict:
    """Record the council's 2020 account. Needs the gazetteer and the demo users (load_demo runs both first)."""
    from centinela.accounts.models import User

    ctx = _Ctx(admin=User.objects.get(username="admin"), technician=User.objects.filter(username="tecnico").first())
    rng = random.Random(2020)
    _extra_places(ctx)
    inst = _institutions()
    programmes = _plan(ctx)
    _indicators(programmes)
    first_training = _trainings(ctx, programmes["P1"], inst, rng)
    first_fumigation = _fumigations(ctx, programmes["P3"], inst)
    surveillance = _surveillance(ctx, programmes["P2"])
    campaign = _campaign(ctx, programmes["P4"], inst)
    _education(ctx, programmes["P5"], inst)
    _agreement(ctx, programmes["P6"], inst, surveillance, rng)
    _sessions(ctx, inst)
    _photo(
        ctx,
        first_training,
        "Capacitación preventiva en el Salón de los Alcaldes",
        (26, 82, 118),
        "Capacitación preventiva: El Sagrario",
    )
    _photo(
        ctx,
        first_fumigation,
        "Fumigación con amonio cuaternario en el Teatro Bolívar",
        (30, 132, 73),
        "Fumigación: Teatro Bolívar",
    )
    _photo(ctx, campaign, "Banner informativo en el Banco de Loja", (176, 58, 46), "Banner informativo: Banco de Loja")
    activities = Activity.objects.filter(programme__plan=ctx.plan)
    return {
        "plan": ctx.plan.name,
        "programmes": len(programmes),
        "activities": activities.count(),
        "people": Attendance.objects.trained()
        .filter(training__activity__in=activities)
        .values("person")
        .distinct()
        .count(),
        "institutions": len(inst),
    }
