"""The demo's barrio security committees (Loja, 2020): San Cayetano Bajo (El Sagrario) and Ciudadela Zamora (El
Valle), with their members, meetings with attendance and agreements in every state, some followed up and some
overdue. Fictitious people; cédulas from a block the Registro Civil has not reached. Safe to re-run."""

from __future__ import annotations

from datetime import date, time

from django.db import transaction

from centinela.activities.cedula import cedula_is_valid
from centinela.participation.committees.models import (
    AgreementFollowUp,
    Committee,
    CommitteeAgreement,
    CommitteeMeeting,
    CommitteeMember,
)

S = CommitteeAgreement.Status
R = CommitteeMember.Role

# (barrio code, name, founded on, notes, members, meetings)
# member: (name, role, phone, e-mail, joined on, left on)
# meeting: (day, time, place, topics, minutes, guests, present (member numbers), agreements)
# agreement: (text, responsible, due on, status, follow-ups [(day, note, status after)])
COMMITTEES = [
    (
        "LOJA-B-SAN-CAYETANO-BAJO",
        "Comité de Seguridad San Cayetano Bajo",
        date(2019, 11, 9),
        "Se reúne el primer sábado de cada mes en la casa comunal.",
        [
            (
                "Rosa Elvira Jaramillo",
                R.COORDINATOR,
                "0991234501",
                "rosa.jaramillo@example.ec",
                date(2019, 11, 9),
                None,
            ),
            ("Luis Alfredo Cueva", R.SECRETARY, "0991234502", "", date(2019, 11, 9), None),
            ("Marcia Ordóñez Ríos", R.TREASURER, "0991234503", "", date(2019, 11, 9), None),
            ("Jorge Vicente Tapia", R.SPOKESPERSON, "", "", date(2019, 11, 9), date(2020, 6, 30)),
            ("Carmen Piedad Guamán", R.MEMBER, "0991234505", "", date(2020, 2, 1), None),
            ("Diego Armando Sarango", R.MEMBER, "", "diego.sarango@example.ec", date(2020, 7, 4), None),
        ],
        [
            (
                date(2020, 2, 1),
                time(17, 0),
                "Casa comunal de San Cayetano Bajo",
                "Alumbrado en la calle principal; robos a domicilio en enero.",
                "Se revisaron los robos de enero con el UPC del sector. Se acuerda pedir la reposición de luminarias.",
                12,
                [1, 2, 3, 4, 5],
                [
                    (
                        "Solicitar a la EERSSA la reposición de cinco luminarias en la calle principal.",
                        "Rosa Elvira Jaramillo",
                        date(2020, 3, 1),
                        S.DONE,
                        [
                            (date(2020, 2, 10), "Oficio entregado a la EERSSA.", S.IN_PROGRESS),
                            (date(2020, 3, 20), "Luminarias repuestas; se verificó en recorrido nocturno.", S.DONE),
                        ],
                    ),
                    (
                        "Coordinar con el UPC patrullajes los viernes por la noche.",
                        "Luis Alfredo Cueva",
                        date(2020, 2, 28),
                        S.DONE,
                        [(date(2020, 2, 21), "El UPC confirmó dos patrullajes semanales.", S.DONE)],
                    ),
                ],
            ),
            (
                date(2020, 7, 4),
                time(16, 30),
                "Casa comunal de San Cayetano Bajo",
                "Fumigación por COVID-19; cámaras del barrio.",
                "Se agradeció la fumigación del Concejo. Se pide revisar las cámaras reactivadas.",
                8,
                [1, 2, 5, 6],
                [
                    (
                        "Pedir al Concejo el informe de las cámaras reactivadas del barrio.",
                        "Luis Alfredo Cueva",
                        date(2020, 8, 15),
                        S.NOT_DONE,
                        [
                            (
                                date(2020, 9, 1),
                                "No se envió el pedido a tiempo; se retomará en la próxima reunión.",
                                S.NOT_DONE,
                            )
                        ],
                    ),
                    (
                        "Organizar una minga de limpieza del parque del barrio.",
                        "Carmen Piedad Guamán",
                        date(2020, 9, 30),
                        S.IN_PROGRESS,
                        [
                            (
                                date(2020, 8, 20),
                                "Se consiguió el apoyo de la junta de agua; falta fijar la fecha.",
                                S.IN_PROGRESS,
                            )
                        ],
                    ),
                ],
            ),
            (
                date(2020, 11, 7),
                time(17, 0),
                "Parque del barrio",
                "Alarmas comunitarias; fiestas de fin de año.",
                "Se presentó la propuesta de alarmas comunitarias. Se nombra responsable de cotizar.",
                15,
                [1, 3, 5, 6],
                [
                    (
                        "Cotizar tres alarmas comunitarias para las cuadras más afectadas.",
                        "Marcia Ordóñez Ríos",
                        date(2020, 12, 15),
                        S.PENDING,
                        [],
                    ),
                    (
                        "Inscribir al comité en la capacitación de seguridad ciudadana del Concejo.",
                        "Rosa Elvira Jaramillo",
                        None,
                        S.PENDING,
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "LOJA-B-CIUDADELA-ZAMORA",
        "Comité Barrial de Seguridad Ciudadela Zamora",
        date(2020, 1, 18),
        "",
        [
            (
                "Patricia Eugenia Vivanco",
                R.COORDINATOR,
                "0987654301",
                "patricia.vivanco@example.ec",
                date(2020, 1, 18),
                None,
            ),
            ("Segundo Manuel Quizhpe", R.SECRETARY, "0987654302", "", date(2020, 1, 18), None),
            ("Lorena Maribel Castillo", R.TREASURER, "", "", date(2020, 1, 18), None),
            ("Fausto Ramiro Chamba", R.SPOKESPERSON, "0987654304", "", date(2020, 1, 18), None),
            ("Gloria Beatriz Loaiza", R.MEMBER, "", "", date(2020, 1, 18), None),
        ],
        [
            (
                date(2020, 1, 25),
                time(18, 0),
                "Escuela de la ciudadela",
                "Constitución de la directiva; problemas del barrio.",
                "Se eligió la directiva. Los moradores señalan consumo de drogas en la cancha y falta de luz.",
                20,
                [1, 2, 3, 4, 5],
                [
                    (
                        "Pedir a la Policía presencia en la cancha de la ciudadela por las noches.",
                        "Patricia Eugenia Vivanco",
                        date(2020, 2, 15),
                        S.DONE,
                        [
                            (
                                date(2020, 2, 12),
                                "Se entregó el pedido; la Policía incluyó la cancha en sus rondas.",
                                S.DONE,
                            )
                        ],
                    ),
                ],
            ),
            (
                date(2020, 6, 6),
                time(10, 0),
                "Cancha de la ciudadela",
                "Fumigación; cámaras del barrio.",
                "Reunión al aire libre por la emergencia sanitaria.",
                6,
                [1, 2, 4],
                [
                    (
                        "Acompañar la reactivación de las cámaras del barrio y comunicar a los vecinos.",
                        "Fausto Ramiro Chamba",
                        date(2020, 7, 31),
                        S.DONE,
                        [(date(2020, 7, 10), "Cámaras funcionando; se informó en el grupo del barrio.", S.DONE)],
                    ),
                    (
                        "Gestionar la poda de árboles que tapan las luminarias de la calle Zamora.",
                        "Segundo Manuel Quizhpe",
                        date(2020, 8, 31),
                        S.IN_PROGRESS,
                        [(date(2020, 8, 5), "El municipio programó la poda, sin fecha aún.", S.IN_PROGRESS)],
                    ),
                ],
            ),
            (
                date(2020, 10, 3),
                time(18, 0),
                "Escuela de la ciudadela",
                "Balance del año; plan de vigilancia comunitaria.",
                "",
                9,
                [1, 3, 5],
                [
                    (
                        "Formar la red de vigilancia vecinal por cuadras.",
                        "Lorena Maribel Castillo",
                        date(2020, 11, 30),
                        S.PENDING,
                        [],
                    ),
                    (
                        "Pintar los números de las casas para facilitar la llegada del ECU 911.",
                        "Gloria Beatriz Loaiza",
                        date(2020, 12, 20),
                        S.NOT_DONE,
                        [(date(2020, 12, 21), "No se consiguió la pintura.", S.NOT_DONE)],
                    ),
                ],
            ),
        ],
    ),
]


def _cedula(n: int) -> str:
    """A valid cédula of Loja (province 11) from the block 1159980000-1159989999, which the Registro Civil has not
    reached (the activities' demo people use the next block)."""
    body = f"115998{n:03d}"
    return next(body + str(d) for d in range(10) if cedula_is_valid(body + str(d)))


def _get(model, keys: dict, **values):
    """The row with these natural keys, created or brought up to date (saved only when it changed)."""
    obj = model.objects.filter(**keys).first()
    if obj is not None and all(getattr(obj, f) == v for f, v in values.items()):
        return obj
    obj = obj or model(**keys)
    for field, value in values.items():
        setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def load_demo_committees() -> dict:
    from centinela.accounts.models import User
    from centinela.territory.models import Barrio

    author = User.objects.filter(username="tecnico").first()
    stats = {"committees": 0, "members": 0, "meetings": 0, "agreements": 0}
    serial = 0
    for code, name, founded, notes, members, meetings in COMMITTEES:
        barrio = Barrio.objects.filter(code=code).first()
        if barrio is None:
            continue  # the gazetteer is not loaded
        committee = _get(Committee, {"barrio": barrio, "name": name}, founded_on=founded, notes=notes, active=True)
        stats["committees"] += 1
        people = []
        for member_name, role, phone, email, joined, left in members:
            serial += 1
            people.append(
                _get(
                    CommitteeMember,
                    {"committee": committee, "name": member_name},
                    role=role,
                    cedula=_cedula(serial),
                    phone=phone,
                    email=email,
                    joined_on=joined,
                    left_on=left,
                )
            )
        stats["members"] += len(people)
        for day, at, place, topics, minutes, guests, present, agreements in meetings:
            meeting = _get(
                CommitteeMeeting,
                {"committee": committee, "held_on": day},
                starts_at=at,
                place=place,
                topics=topics,
                minutes=minutes,
                guests=guests,
            )
            attended = {people[i - 1] for i in present}
            if set(meeting.present.all()) != attended:
                meeting.present.set(attended)
            stats["meetings"] += 1
            for text, responsible, due, status, follow_ups in agreements:
                agreement = _get(
                    CommitteeAgreement, {"meeting": meeting, "text": text}, responsible=responsible, due_on=due
                )
                before = CommitteeAgreement.Status.PENDING
                for on, note, after in follow_ups:
                    _get(
                        AgreementFollowUp,
                        {"agreement": agreement, "on": on, "note": note},
                        status_from=before,
                        status_to=after,
                        author=author,
                    )
                    before = after
                if agreement.status != status:
                    agreement.status = status
                    agreement.save(update_fields=["status", "updated_at"])
                stats["agreements"] += 1
    return stats
