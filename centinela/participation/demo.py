"""The demo's citizen reports (issue 12): residents' reports across Loja's barrios in 2020, in every status, with
their public updates and internal notes, routed by the council's routing rules, some published, some merged into
the report kept for the same problem. INVENTED: no real person, place of a real complaint or phone number; contact
data only with consent, names drawn from common Ecuadorian names, phones in the 099 000 block, e-mails at
example.com (reserved for examples, RFC 2606).

`load_demo_reports(n, seed)` draws report i from its own seeded generator and the reports before it, so the first
300 reports are the same whether 300 or 5,000 are loaded (the benchmark loads more). Safe to re-run: each report has
a stable code, and codes already present are skipped. Fast: rows are bulk-inserted (no audit entries, no e-mail),
and the dates, which `auto_now_add` overwrites on insert, are set afterwards with one bulk update; the insert sends
`signals.reports_created`, as bulk_create sends no post_save (the assignees are told of their reports).
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from centinela.participation.categories import ensure_categories
from centinela.participation.models import Report, ReportCategory, ReportUpdate, RoutingRule
from centinela.participation.services import CODE_ALPHABET, CODE_LENGTH, route
from centinela.participation.signals import reports_created

SEED = 2020
N = 300
TZ = ZoneInfo("America/Guayaquil")
YEAR_START = date(2020, 1, 1)
YEAR_DAYS = 366
BATCH = 1000
S = Report.Status

# The council's routing for the demo (category -> institution of activities.demo.INSTITUTIONS), created where the
# category has no rule for any parish yet: a rule the council set is never changed. "otro" has no rule: staff
# assign each one in triage.
ROUTING = {
    "alumbrado-deficiente": "Municipio de Loja",
    "lugar-abandonado": "Municipio de Loja",
    "drogas-via-publica": "Policía Nacional",
    "camara-danada": "SIS ECU 911",
    "rina-violencia-recurrente": "Policía Nacional",
    "ruido-libadores": "Policía Nacional",
    "vehiculo-abandonado": "Municipio de Loja",
}
# The liaison account of an institution (accounts.demo.DEMO_USERS), who writes its institution's updates.
LIAISONS = {"Policía Nacional": "enlace.policia", "SIS ECU 911": "enlace.ecu911"}

CATEGORY_WEIGHTS = {
    "alumbrado-deficiente": 24,
    "lugar-abandonado": 11,
    "drogas-via-publica": 12,
    "camara-danada": 6,
    "rina-violencia-recurrente": 8,
    "ruido-libadores": 20,
    "vehiculo-abandonado": 8,
    "otro": 11,
}
STATUS_WEIGHTS = {
    S.RECEIVED: 8,
    S.IN_REVIEW: 8,
    S.ASSIGNED: 12,
    S.IN_PROGRESS: 12,
    S.RESOLVED: 40,
    S.NOT_APPLICABLE: 8,
    S.DUPLICATE: 12,
}
# Barrios by how much their residents report (the centre most); barrios not listed weigh 1.
BARRIO_WEIGHTS = {
    "LOJA-B-CENTRO": 5,
    "LOJA-B-JIPIRO": 3,
    "LOJA-B-LA-TEBAIDA": 3,
    "LOJA-B-CIUDADELA-ZAMORA": 2,
    "LOJA-B-SAN-CAYETANO-BAJO": 2,
    "LOJA-B-CUARTO-CENTENARIO": 2,
    "LOJA-B-PUCARA": 2,
}
CONTACT_SHARE = 0.35  # the rest report anonymously
PUBLISHED_SHARE = 0.75  # of the reports staff have read (not received, not duplicates)

STREETS = [
    "la calle Bolívar",
    "la calle Sucre",
    "la calle 18 de Noviembre",
    "la calle Rocafuerte",
    "la calle Mercadillo",
    "la calle Lourdes",
    "la calle Colón",
    "la calle Azuay",
    "la calle Miguel Riofrío",
    "la calle Bernardo Valdivieso",
    "la calle José Antonio Eguiguren",
    "la avenida Universitaria",
    "la avenida Orillas del Zamora",
    "la avenida Manuel Agustín Aguirre",
    "la avenida Pío Jaramillo Alvarado",
    "la avenida Eugenio Espejo",
    "la avenida 8 de Diciembre",
    "la avenida Cuxibamba",
]
NEAR = [
    "junto a la escuela",
    "frente a la tienda de la esquina",
    "cerca de la parada del bus",
    "a media cuadra del parque",
    "junto a la cancha del barrio",
    "frente a la iglesia",
    "detrás del mercado",
    "en la esquina de la farmacia",
    "al lado de la casa comunal",
    "bajando las gradas",
]
SINCE = [
    "desde hace una semana",
    "desde hace varios días",
    "desde hace un mes",
    "desde el fin de semana",
    "hace ya dos semanas",
    "todas las noches",
]

# Per category: what residents write ({street}, {near}, {since}), what staff answer when it is resolved, and why it
# may not apply. Nothing here names a person or carries a number a moderator would have to remove.
TEXTS = {
    "alumbrado-deficiente": {
        "report": [
            "El poste de {street}, {near}, está sin luz {since}. De noche la calle queda completamente oscura y la "
            "gente tiene miedo de pasar.",
            "Hay tres lámparas apagadas seguidas en {street} {since}. Los estudiantes salen tarde y caminan a oscuras.",
            "La luminaria {near} parpadea y se apaga sola {since}. Ya hubo un asalto en ese tramo.",
            "El pasaje peatonal {near} no tiene iluminación. Pedimos que instalen luminarias, es el paso de muchos "
            "niños.",
            "Se quemó el foco del poste {near} en {street}; {since} está oscuro y se juntan personas a beber.",
        ],
        "resolved": [
            "La cuadrilla de alumbrado público reemplazó la luminaria. Gracias por reportar.",
            "Se cambiaron las lámparas dañadas del tramo y se revisó el cableado.",
            "Se instaló una luminaria nueva en el pasaje. Le pedimos avisar si vuelve a fallar.",
        ],
        "progress": "La cuadrilla de alumbrado público tiene programada la reparación para esta semana.",
    },
    "lugar-abandonado": {
        "report": [
            "La casa abandonada {near} en {street} está abierta y se meten personas de noche. Hay basura y se "
            "escuchan peleas.",
            "El terreno baldío {near} está lleno de maleza alta y basura; {since} lo usan para esconderse y asaltar.",
            "La construcción paralizada de {street} no tiene cerramiento, entran menores a consumir.",
            "El parque {near} está descuidado, sin luz y con juegos rotos; {since} ya nadie lo usa por miedo.",
        ],
        "resolved": [
            "El Municipio notificó al propietario y se cerró el acceso al inmueble.",
            "Se hizo una minga de limpieza con el comité barrial y se cercó el terreno.",
            "Se limpió el parque, se repararon los juegos y se coordinó el patrullaje con la Policía.",
        ],
        "progress": "Comisaría municipal inspeccionó el lugar y notificará al propietario.",
    },
    "drogas-via-publica": {
        "report": [
            "En {street}, {near}, se reúnen jóvenes a consumir droga {since}. Por las tardes pasan niños de la "
            "escuela.",
            "Hay venta de droga en la esquina {near}; llegan motos, entregan algo y se van rápido. Pasa {since}.",
            "En las gradas {near} consumen droga a toda hora y dejan jeringas y fundas.",
            "Personas desconocidas venden sustancias a los colegiales {near}, sobre todo a la salida de clases.",
        ],
        "resolved": [
            "La Policía intensificó el patrullaje en el sector y realizó controles. Si vuelve a ocurrir, repórtelo o "
            "llame al 911.",
            "Se realizó un operativo conjunto en el sector; se mantendrán patrullajes preventivos.",
        ],
        "progress": "La Policía Nacional incluyó el sector en sus patrullajes preventivos.",
    },
    "camara-danada": {
        "report": [
            "La cámara de videovigilancia {near} en {street} está girada hacia la pared {since}.",
            "La cámara del poste {near} tiene la carcasa rota y parece que no funciona.",
            "La cámara de {street} se ve apagada, ya no tiene la luz roja {since}.",
        ],
        "resolved": [
            "El técnico reorientó la cámara y el ECU 911 confirmó la imagen.",
            "Se reemplazó la carcasa y la cámara volvió a transmitir al centro ECU 911.",
        ],
        "progress": "El mantenimiento de la cámara está agendado con el técnico del sistema.",
    },
    "rina-violencia-recurrente": {
        "report": [
            "Cada fin de semana hay peleas a la salida del bar {near} en {street}.",
            "Grupos de jóvenes se pelean {near} {since}; ayer lanzaron piedras a las casas.",
            "Hay riñas frecuentes en la cancha {near} por las noches, con botellas rotas y gritos.",
        ],
        "resolved": [
            "La Policía y la Intendencia hicieron controles en el sector y clausuraron el local sin permisos.",
            "Se reforzó el patrullaje nocturno los fines de semana; no se han repetido riñas.",
        ],
        "progress": "La Unidad de Policía Comunitaria del sector visitó el lugar y reforzará el patrullaje.",
    },
    "ruido-libadores": {
        "report": [
            "En la tienda {near} venden licor y la gente bebe en la vereda hasta la madrugada.",
            "Hay libadores en {street}, {near}, {since}; orinan en las paredes y molestan a los que pasan.",
            "Fiestas con música a todo volumen en {street} {since}, pasada la medianoche.",
            "Personas beben en el parque {near} todas las tardes y dejan botellas rotas.",
        ],
        "resolved": [
            "La Policía realizó controles de libadores en el sector y la Intendencia notificó a la tienda.",
            "Se hicieron operativos de control los fines de semana; el sector está más tranquilo.",
        ],
        "progress": "La Policía incluyó el lugar en sus controles de libadores de fin de semana.",
    },
    "vehiculo-abandonado": {
        "report": [
            "Un carro sin placas está abandonado en {street}, {near}, {since}. Ya le sacaron las llantas.",
            "Hay una camioneta abandonada {near} que usan de noche para esconderse.",
            "Una moto desarmada lleva meses botada {near} en {street}.",
        ],
        "resolved": [
            "Agentes de tránsito municipal retiraron el vehículo al patio de retención.",
            "Se notificó al propietario, que retiró el vehículo.",
        ],
        "progress": "Tránsito municipal verificará el vehículo y notificará al propietario.",
    },
    "otro": {
        "report": [
            "Hay cables caídos en {street}, {near}; los niños juegan cerca.",
            "El terreno {near} tiene maleza seca y han hecho quemas; hay riesgo de incendio.",
            "Falta señalización en el paso de {street}, {near}; los carros pasan rápido.",
            "La alcantarilla {near} no tiene tapa y de noche no se ve.",
        ],
        "resolved": [
            "El equipo de la institución asignada atendió el lugar y eliminó el riesgo.",
            "Se atendió el pedido; el lugar quedó señalizado y seguro.",
        ],
        "progress": "La institución asignada visitará el lugar esta semana.",
    },
}
# "otro" has no routing rule: the institution staff choose, by what the report says (same order as its texts).
OTHER_INSTITUTIONS = [
    "Cuerpo de Bomberos de Loja",
    "Cuerpo de Bomberos de Loja",
    "Municipio de Loja",
    "Municipio de Loja",
]
NOT_APPLICABLE = [
    "Lo reportado es un trámite particular entre vecinos: le sugerimos acudir a la Comisaría municipal.",
    "En la inspección no se encontró el problema en el lugar indicado; si persiste, envíe un nuevo reporte con "
    "una referencia más precisa.",
    "Lo reportado es una emergencia: llame al 911 cuando ocurra, para recibir atención inmediata.",
]
REVIEW_TEXTS = [
    "Recibimos su reporte y lo estamos revisando.",
    "Su reporte está en revisión por el equipo técnico del Concejo.",
    "",
]
INTERNAL_NOTES = [
    "Se coordinó con el presidente del comité barrial para confirmar el lugar.",
    "Revisado en la reunión semanal de seguimiento con las instituciones.",
    "Se pidió a la institución un informe de lo actuado.",
    "El sector ya tenía reportes anteriores similares: se prioriza.",
]
REPORTER_ADDS = [
    "Sigue igual, anoche volvió a pasar.",
    "Gracias por atender. Agrego que el problema es peor los viernes.",
    "Los vecinos del barrio firmamos también este pedido.",
]
FIRST_F = ["María", "Rosa", "Carmen", "Gabriela", "Lucía", "Verónica", "Patricia", "Andrea", "Diana", "Fernanda"]
FIRST_M = ["José", "Luis", "Carlos", "Jorge", "Miguel", "Diego", "Andrés", "Fernando", "Pablo", "Santiago"]
LAST = [
    "Jaramillo",
    "Ochoa",
    "Armijos",
    "Cueva",
    "Castillo",
    "Torres",
    "Vivanco",
    "Ordóñez",
    "Sarango",
    "Quizhpe",
    "Guamán",
    "Riofrío",
    "Palacios",
    "Valarezo",
]


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans("áéíóúñ", "aeioun"))


@dataclass
class _Draft:
    """One report before it is stored: the row, and its history as (offset from the report, kwargs) pairs."""

    index: int
    report: Report
    updates: list[tuple[timedelta, dict]] = field(default_factory=list)
    kept_code: str = ""
    kept_note: tuple[datetime, dict] | None = None  # a duplicate's internal note on its kept report


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _code(rng: random.Random) -> str:
    return "R-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _received_at(rng: random.Random) -> datetime:
    """A moment of 2020, local time: fewer reports in the strict confinement (mid-March to May), most in the day
    and the evening."""
    while True:
        day = YEAR_START + timedelta(days=rng.randrange(YEAR_DAYS))
        if date(2020, 3, 17) <= day <= date(2020, 5, 31) and rng.random() < 0.6:
            continue
        break
    hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 8, 8, 7, 7, 7, 7, 7, 8, 9, 9, 8, 6, 4, 2])[0]
    return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), TZ)


def _point(rng: random.Random, barrio) -> tuple[float, float]:
    """A point in the barrio's circle (approximate areas are circles; its geometry decides in the end)."""
    radius_m = math.sqrt(barrio.area_km2 * 1e6 / math.pi) if barrio.area_km2 else 300.0
    r = 0.85 * radius_m * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    dlat = r * math.sin(angle) / 111_320
    dlon = r * math.cos(angle) / (111_320 * math.cos(math.radians(barrio.centre_lat)))
    return round(barrio.centre_lon + dlon, 6), round(barrio.centre_lat + dlat, 6)


def _contact(rng: random.Random) -> dict:
    if rng.random() >= CONTACT_SHARE:
        return {}
    first = rng.choice(FIRST_F + FIRST_M)
    last = rng.choice(LAST)
    kind = rng.random()
    phone = f"099000{rng.randrange(10_000):04d}" if kind < 0.7 else ""
    email = f"{_ascii(first)}.{_ascii(last)}{rng.randrange(100)}@example.com" if kind > 0.4 else ""
    return {
        "contact_name": f"{first} {last} {rng.choice(LAST)}",
        "contact_phone": phone,
        "contact_email": email,
        "contact_consent": True,
    }


def _text(rng: random.Random, category: str) -> tuple[str, int]:
    templates = TEXTS[category]["report"]
    k = rng.randrange(len(templates))
    return templates[k].format(street=rng.choice(STREETS), near=rng.choice(NEAR), since=rng.choice(SINCE)), k


class _World:
    """What the drafts need from the database, read once."""

    def __init__(self):
        from centinela.accounts.models import User
        from centinela.partners.models import Institution
        from centinela.territory.models import Barrio

        ensure_categories(ReportCategory)
        self.categories = {c.code: c for c in ReportCategory.objects.all()}
        self.barrios = list(
            Barrio.objects.exclude(geometry=None).exclude(centre_lon=None).select_related("parish").order_by("code")
        )
        self.barrio_weights = {b.code: BARRIO_WEIGHTS.get(b.code, 1) for b in self.barrios}
        self.by_code = {b.code: b for b in self.barrios}
        names = set(ROUTING.values()) | set(OTHER_INSTITUTIONS)
        self.institutions = {i.name: i for i in Institution.objects.filter(name__in=names)}
        self.users = {
            u.username: u for u in User.objects.filter(username__in=["tecnico", "directora", *LIAISONS.values()])
        }
        self.staff = [u for name, u in sorted(self.users.items()) if name in ("tecnico", "directora")]
        self._ensure_routing()

    def _ensure_routing(self):
        for code, name in ROUTING.items():
            category, institution = self.categories.get(code), self.institutions.get(name)
            if category is None or institution is None:
                continue
            if not RoutingRule.objects.filter(category=category, parish=None).exists():
                RoutingRule.objects.create(category=category, parish=None, institution=institution)

    def route(self, category, parish):
        return route(category, parish)


def _draft(i: int, seed: int, world: _World, earlier: list[_Draft], routes: dict) -> _Draft:
    """Report i of the demo, from its own generator and the reports drawn before it."""
    rng = random.Random(f"{seed}:{i}")
    code = _code(rng)
    category_code = _weighted(rng, CATEGORY_WEIGHTS)
    category = world.categories[category_code]
    status = _weighted(rng, STATUS_WEIGHTS)
    barrio = world.by_code[_weighted(rng, world.barrio_weights)]
    lon, lat = _point(rng, barrio)
    received = _received_at(rng)
    description, template = _text(rng, category_code)
    kept = None
    if status == S.DUPLICATE:
        same = [
            d
            for d in earlier[-400:]
            if d.report.category_id == category.pk and d.report.status not in (S.DUPLICATE, S.NOT_APPLICABLE)
        ]
        if same:
            kept = rng.choice(same)
            # the same problem, a few steps away, reported again some days later
            lon = round(kept.report.lon + rng.uniform(-0.0004, 0.0004), 6)
            lat = round(kept.report.lat + rng.uniform(-0.0004, 0.0004), 6)
            barrio = kept.report.barrio
            after = timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 12))
            end = datetime(2020, 12, 31, 23, 59, tzinfo=TZ)  # still in 2020, still after the kept report
            received = kept.report.created_at + min(after, (end - kept.report.created_at) / 2)
        else:
            status = S.IN_REVIEW
    contact = _contact(rng)
    key = (category.pk, barrio.parish_id)
    if key not in routes:
        routes[key] = world.route(category, barrio.parish)
    institution = routes[key]
    report = Report(
        code=code,
        token=secrets.token_urlsafe(32),
        category=category,
        lon=lon,
        lat=lat,
        parish_id=barrio.parish_id,
        barrio=barrio,
        description=description,
        public_text=description,
        status=status,
        assigned_institution=institution,
        created_at=received,
        consent_at=received if contact else None,
        **contact,
    )
    draft = _Draft(i, report, kept_code=kept.report.code if kept else "")
    _history(rng, draft, world, category_code, template, kept)
    report.published = status not in (S.RECEIVED, S.DUPLICATE) and not report.flagged and rng.random() < PUBLISHED_SHARE
    return draft


def _history(rng: random.Random, draft: _Draft, world: _World, category_code: str, template: int, kept) -> None:
    """The updates from "received" to the report's status, each some hours or days after the one before."""
    report = draft.report
    texts = TEXTS[category_code]
    staff = rng.choice(world.staff) if world.staff else None
    at = timedelta(0)
    add = draft.updates.append
    add((at, {"public": True, "by_reporter": True, "status_to": S.RECEIVED}))
    if report.assigned_institution is not None:
        add(
            (
                at,
                {
                    "public": False,
                    "text": f"Derivado a {report.assigned_institution.name} por las reglas de derivación del Concejo.",
                },
            )
        )

    def later(lo_hours, hi_hours):
        nonlocal at
        at += timedelta(hours=rng.uniform(lo_hours, hi_hours))
        return at

    current = S.RECEIVED
    target = report.status

    def move(to, text="", public=True, author=staff):
        nonlocal current
        add((later(4, 72), {"public": public, "text": text, "author": author, "status_from": current, "status_to": to}))
        current = to

    if target == S.RECEIVED:
        if report.contact_phone and rng.random() < 0.25:  # the reporter wrote a phone number: held for moderation
            report.description += f" Pueden llamarme al 099 000 {rng.randrange(10_000):04d}."
            report.public_text = report.description
            report.flagged = True
        return
    if target == S.DUPLICATE:
        if rng.random() < 0.5:
            move(S.IN_REVIEW, rng.choice(REVIEW_TEXTS))
        move(S.DUPLICATE, f"Este reporte se fusionó en {kept.report.code}, que sigue el mismo problema.")
        note = {"public": False, "text": f"{report.code} se fusionó en este reporte.", "author": staff}
        draft.kept_note = (report.created_at + at, note)
        report.assigned_institution = kept.report.assigned_institution
        return
    if rng.random() < 0.6 or target in (S.IN_REVIEW, S.NOT_APPLICABLE):
        move(S.IN_REVIEW, rng.choice(REVIEW_TEXTS))
    if target == S.IN_REVIEW:
        if rng.random() < 0.4:
            add((later(2, 48), {"public": False, "text": rng.choice(INTERNAL_NOTES), "author": staff}))
        return
    if target == S.NOT_APPLICABLE:
        move(S.NOT_APPLICABLE, rng.choice(NOT_APPLICABLE))
        return
    institution = report.assigned_institution
    if category_code == "otro" or institution is None:
        institution = world.institutions.get(OTHER_INSTITUTIONS[template % len(OTHER_INSTITUTIONS)])
        report.assigned_institution = institution
    name = institution.name if institution else "la institución responsable"
    move(S.ASSIGNED, f"Asignado a {name}.")
    liaison = world.users.get(LIAISONS.get(name, ""))
    if liaison is not None and rng.random() < 0.7:
        report.assigned_to = liaison
    if rng.random() < 0.3:
        add((later(2, 96), {"public": False, "text": rng.choice(INTERNAL_NOTES), "author": staff}))
    if report.contact_consent and rng.random() < 0.2:
        add((later(12, 120), {"public": True, "by_reporter": True, "text": rng.choice(REPORTER_ADDS)}))
    if target == S.ASSIGNED:
        return
    move(S.IN_PROGRESS, texts["progress"], author=report.assigned_to or staff)
    if target == S.IN_PROGRESS:
        return
    days = report.category.days_to_resolve
    at += timedelta(days=rng.uniform(0.5, days * 1.3))  # a few late, as in life
    move(S.RESOLVED, rng.choice(texts["resolved"]), author=report.assigned_to or staff)


def _located(drafts: list[_Draft]) -> None:
    """Every draft's point checked against the barrios' areas (a circle cut by its parish): a point that fell
    outside its barrio moves to the barrio's centre, which lies in it."""
    from centinela.territory.selectors import locate_ids

    if not drafts:
        return
    parish_ids, barrio_ids = locate_ids([d.report.lon for d in drafts], [d.report.lat for d in drafts])
    for d, parish_id, barrio_id in zip(drafts, parish_ids.tolist(), barrio_ids.tolist(), strict=True):
        r = d.report
        if barrio_id != r.barrio_id or parish_id != r.parish_id:
            r.lon, r.lat = r.barrio.centre_lon, r.barrio.centre_lat


def load_demo_reports(n: int = N, *, seed: int = SEED) -> dict:
    """Create the demo's citizen reports that are missing (the first `n` of the seeded draw) with their updates;
    needs the gazetteer and the demo year (its institutions) and users. Safe to re-run."""
    world = _World()
    if not world.barrios or not world.staff:
        return {"created": 0, "total": 0}
    routes: dict = {}
    drafts: list[_Draft] = []
    seen: set[str] = set()
    i = 0
    while len(drafts) < n:
        draft = _draft(i, seed, world, drafts, routes)
        i += 1
        if draft.report.code in seen:  # two draws gave the same code: the later one is left out
            continue
        seen.add(draft.report.code)
        drafts.append(draft)
    _located(drafts)
    codes = [d.report.code for d in drafts]
    existing = dict(Report.objects.filter(code__in=codes).values_list("code", "pk"))
    new = [d for d in drafts if d.report.code not in existing]
    with transaction.atomic():
        _store(new, existing)
    return {"created": len(new), "total": len(existing) + len(new)}


def _store(new: list[_Draft], existing: dict[str, int]) -> None:
    """Insert the new reports and their updates (and the note each new duplicate leaves on its kept report), then
    set the dates `auto_now_add` overwrote."""
    if not new:
        return
    reports = [d.report for d in new]
    received = {r.code: r.created_at for r in reports}
    Report.objects.bulk_create(reports, batch_size=BATCH)
    if reports[0].pk is None:  # a backend that does not return ids
        ids = dict(Report.objects.filter(code__in=received).values_list("code", "pk"))
        for r in reports:
            r.pk = ids[r.code]
    for r in reports:  # auto_now_add wrote the time of the insert over the day received
        r.created_at = received[r.code]
    pks = {**existing, **{r.code: r.pk for r in reports}}
    updates, dates = [], []
    for d in new:
        for offset, values in d.updates:
            updates.append(ReportUpdate(report_id=d.report.pk, **values))
            dates.append(d.report.created_at + offset)
        if d.kept_code:
            d.report.duplicate_of_id = pks[d.kept_code]
            at, values = d.kept_note
            updates.append(ReportUpdate(report_id=pks[d.kept_code], **values))
            dates.append(at)
    ReportUpdate.objects.bulk_create(updates, batch_size=BATCH)
    for u, at in zip(updates, dates, strict=True):
        u.created_at = at
    _set(ReportUpdate, updates, ["created_at"])
    for d in new:
        r = d.report
        r.updated_at = max([r.created_at] + [r.created_at + offset for offset, _values in d.updates])
    _set(Report, reports, ["created_at", "updated_at", "duplicate_of"])
    # bulk_create sent no post_save: whoever listens to new reports hears of them here (each assignee is told)
    reports_created.send(sender=Report, ids=[r.pk for r in reports])


def _set(model, objects: list, names: list[str]) -> None:
    """Write these fields of saved rows, one UPDATE by primary key each, sent together (executemany): bulk_update's
    CASE over a thousand rows costs seconds on PostgreSQL, these statements a fraction of one."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"
    rows = [[f.get_db_prep_value(getattr(o, f.attname), connection) for f in fields] + [o.pk] for o in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
