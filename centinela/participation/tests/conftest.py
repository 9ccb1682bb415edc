"""Fixtures for citizen report tests: the shipped categories, points inside two parishes and outside the canton,
photos with a GPS position in their EXIF, and a report builder that goes through the service."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from centinela.participation import services
from centinela.participation.categories import ensure_categories
from centinela.participation.models import ReportCategory
from centinela.territory.models import Parish


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def cache_on(settings):
    """A real cache (the suite runs without one): the address limits and the spent questions live there."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def categories(db):
    ensure_categories(ReportCategory)  # a transactional test's database was flushed of the migration's rows
    return {c.code: c for c in ReportCategory.objects.all()}


def centre(code):
    parish = Parish.objects.get(code=code)
    return parish.centre_lon, parish.centre_lat


@pytest.fixture
def sagrario_point(db):
    return centre("110101")


@pytest.fixture
def valle_point(db):
    return centre("110104")


OUTSIDE = (-78.4678, -0.1807)  # Quito


def jpeg(name="foto.jpg", size=(64, 48)):
    """A JPEG whose EXIF names a camera and carries a GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CamaraMarca"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (4.0, 0.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def mpo(name="foto-telefono.jpg", size=(64, 48)):
    """A multi-picture JPEG (MPO), as many phones save their photos: two pictures, the first one's EXIF naming a
    camera and carrying a GPS position. Pillow opens it as format "MPO"."""
    first, second = Image.new("RGB", size, (200, 30, 30)), Image.new("RGB", size, (30, 30, 200))
    exif = Image.Exif()
    exif[0x010F] = "CamaraMarca"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (4.0, 0.0, 0.0)
    out = io.BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second], exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def file_report(category, point, description="Poste sin luz desde hace una semana", contact=None, photos=()):
    return services.file_report(
        category=category, lon=point[0], lat=point[1], description=description, photos=photos, contact=contact
    )


@pytest.fixture
def report(categories, sagrario_point):
    """A report in El Sagrario whose reporter left an e-mail and a phone, with consent."""
    return file_report(
        categories["alumbrado-deficiente"],
        sagrario_point,
        contact=services.Contact(name="Rosa Quizhpe", phone="0991112233", email="rosa@example.ec", consent=True),
    )


NUMBERS = {
    word: n
    for n, words in enumerate(
        [
            ("uno", "one"),
            ("dos", "two"),
            ("tres", "three"),
            ("cuatro", "four"),
            ("cinco", "five"),
            ("seis", "six"),
            ("siete", "seven"),
            ("ocho", "eight"),
            ("nueve", "nine"),
        ],
        start=1,
    )
    for word in words
}


def solve(question: str) -> int:
    """What a person answers to the public form's question (its two numbers in words, added)."""
    words = [w.strip("¿?.,") for w in question.lower().split()]
    numbers = [NUMBERS[w] for w in words if w in NUMBERS]
    assert len(numbers) == 2, question
    return sum(numbers)


def solved() -> dict:
    """The public form's question fields answered as a person would: a fresh question, read and added."""
    from centinela.participation import challenge

    asked = challenge.new()
    return {"challenge_token": asked.token, "challenge_answer": str(solve(asked.question))}


def solved_on(html: str) -> dict:
    """The question of a served report page, answered."""
    import re

    token = re.search(r'name="challenge_token" value="([^"]+)"', html).group(1)
    question = re.search(r'<span id="challenge-question">([^<]+)</span>', html).group(1)
    return {"challenge_token": token, "challenge_answer": str(solve(question))}


# --- barrio committees -------------------------------------------------------------------------------------------


@pytest.fixture
def committees(db, users):
    """A committee in San Cayetano Bajo (El Sagrario) and one in Ciudadela Zamora (El Valle), each with three members
    (one with cédula, phone and e-mail), made through the services as the council's technician."""
    from datetime import date

    from centinela.participation.committees import services as committee_services
    from centinela.participation.committees.models import Committee, CommitteeMember
    from centinela.territory.models import Barrio

    made = {}
    for key, code, name in (
        ("sagrario", "LOJA-B-SAN-CAYETANO-BAJO", "Comité San Cayetano Bajo"),
        ("valle", "LOJA-B-CIUDADELA-ZAMORA", "Comité Ciudadela Zamora"),
    ):
        committee = committee_services.save_committee(
            users["tecnico"], Committee(barrio=Barrio.objects.get(code=code), name=name, founded_on=date(2020, 1, 1))
        )
        for n, (person, role) in enumerate(
            [("Rosa Jaramillo", "coordinator"), ("Luis Cueva", "secretary"), ("Marcia Ordóñez", "member")]
        ):
            committee_services.save_member(
                users["tecnico"],
                CommitteeMember(
                    committee=committee,
                    name=f"{person} ({key})",
                    role=role,
                    cedula=CEDULAS[key][n] if n == 0 else "",
                    phone="0991112233" if n == 0 else "",
                    email=f"coordinacion.{key}@example.ec" if n == 0 else "",
                    joined_on=date(2020, 1, 1),
                ),
            )
        made[key] = committee
    return made


CEDULAS = {"sagrario": ["1103756134"], "valle": ["1104680135"]}
