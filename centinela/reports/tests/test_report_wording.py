"""The yearly report read as a Spanish reader reads it (issue 13): places named in a sentence take their article ("en el
Teatro Bolívar", "en el Banco de Loja"), as institutions do; the photo annex never says the same thing twice, and no
two photos carry the same caption."""

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from centinela.activities.models import Evidence
from centinela.reports import selectors
from centinela.reports.formatting import with_article

pytestmark = pytest.mark.django_db


def _said(report, code: str) -> str:
    return " ".join(next(s for s in report.programmes if s.code == code).narrative)


def test_places_in_a_sentence_take_their_article(built):
    fumigations = _said(built.report, "P3")
    assert (
        "Se realizaron 11 fumigaciones con amonio cuaternario en el Teatro Bolívar, el Museo Matilde Hidalgo de "
        "Procel, el Hogar San Camilo de Lellis, la Clínica Municipal Julia Esther González Delgado, el "
        "Centro de acopio de víveres, el barrio Cuarto Centenario, el barrio San Cayetano Bajo"
    ) in fumigations
    banners = _said(built.report, "P4")
    assert (
        "se colocaron 12 banners en el Banco de Guayaquil (matriz Loja), el Banco Pichincha (agencia centro), el Banco "
        "de Loja (matriz) y la Recaudación municipal (centro)."
    ) in banners
    for fmt in ("html", "docx", "pdf"):
        text = " ".join(built.text[fmt].split())
        for bare in ("en Teatro", ", Museo", "en Banco", "y Recaudación", "en barrio"):
            assert bare not in text, (fmt, bare)


def test_a_place_of_a_proper_name_alone_stays_bare_and_english_takes_no_article():
    with translation.override("es-ec"):
        assert with_article("Parque Jipiro") == "el Parque Jipiro"
        assert with_article("barrios Jipiro y Pucará") == "los barrios Jipiro y Pucará"
        assert with_article("Plaza de San Francisco") == "la Plaza de San Francisco"
        assert with_article("Puerto Seco Comercial") == "Puerto Seco Comercial"
        assert with_article("Jipiro") == "Jipiro"
    with translation.override("en"):
        assert with_article("Teatro Bolívar") == "Teatro Bolívar"


def test_the_photo_annex_says_each_thing_once(built):
    photos = [(p.title, p.caption) for p in built.report.photos]
    assert len(set(photos)) == len(photos) == 3
    assert len({caption for _title, caption in photos}) == 3
    # the title already names the fumigation and its place: the caption adds only the date
    assert ("Fumigación con amonio cuaternario en el Teatro Bolívar", "14/04/2020") in photos
    # a title that does not name the activity: the caption does
    assert (
        "Capacitación preventiva en el Salón de los Alcaldes",
        "Capacitación preventiva en normas de seguridad ciudadana: parroquia El Sagrario (13/02/2020)",
    ) in photos
    pdf = " ".join(built.text["pdf"].split())
    assert "Fumigación con amonio cuaternario en el Teatro Bolívar. 14/04/2020" in pdf
    assert "Teatro Bolívar. Fumigación con amonio cuaternario: Teatro Bolívar" not in pdf


def test_two_photos_of_one_activity_titled_alike_are_told_apart(built):
    first = Evidence.objects.get(title="Fumigación con amonio cuaternario en el Teatro Bolívar")
    with first.file.open("rb") as f:
        data = f.read()
    for _i in range(2):  # the technician uploads two more of the same operation, both "Fumigación"
        extra = Evidence(
            activity=first.activity,
            kind=Evidence.Kind.PHOTO,
            title="Fumigación",
            include_in_report=True,
            content_type="image/png",
            size=len(data),
        )
        extra.file.save("otra.png", ContentFile(data), save=False)
        extra.save()
    with translation.override("es-ec"):
        photos = [(p.title, p.caption) for p in selectors.annual_report(2020).photos]
    assert len(set(photos)) == len(photos) == 5
    assert ("Fumigación", "Fumigación con amonio cuaternario: Teatro Bolívar (14/04/2020), foto 1 de 2") in photos
    assert ("Fumigación", "Fumigación con amonio cuaternario: Teatro Bolívar (14/04/2020), foto 2 de 2") in photos
