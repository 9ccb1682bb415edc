"""Every fact of the council's 2020 account can be read in the report, in each of its three formats."""

import re

import pytest

from centinela.reports.tests.reading import docx_tables, pdf_image_count

pytestmark = pytest.mark.django_db

FORMATS = ["html", "docx", "pdf"]

# What the seed says, as the report must say it (regular expressions over the text, whitespace collapsed).
FACTS = {
    "purpose": r"organismo público vinculado al Ilustre Municipio de Loja que tiene como finalidad gestionar políticas",
    "trainings in the 6 urban parishes at the Salón de los Alcaldes": (
        r"Se realizaron 6 capacitaciones sobre «Normas de seguridad ciudadana» para las 6 parroquias urbanas del "
        r"cantón "
        r"\(El Sagrario, San Sebastián, Sucre, El Valle, Carigán y Punzara\)\. Lugar: Salón de los Alcaldes"
    ),
    "presidents and residents were trained": (
        r"Se capacitó a \d+ personas \(\d+ mujeres\): 6 presidentes parroquiales y \d+ moradores de los barrios\."
    ),
    "police and firefighters spoke, and came to inform the attendees": (
        r"Expusieron delegados de la Policía Nacional y el Cuerpo de Bomberos de Loja\. Además acudieron \d+ miembros "
        r"de la Policía Nacional y \d+ del Cuerpo de Bomberos de Loja para brindar información a los asistentes\."
    ),
    "11 fumigations with amonio cuaternario at the named places": (
        r"Se realizaron 11 fumigaciones con amonio cuaternario en el Teatro Bolívar, el Museo Matilde Hidalgo de "
        r"Procel, el Hogar San Camilo de Lellis, la Clínica Municipal Julia Esther González Delgado, el "
        r"Centro de acopio de víveres, el barrio"
    ),
    "free, with the private partner": (
        r"Se gestionaron de manera gratuita, sin costo para el Concejo, con el aporte en especie de "
        r"Servicios Fitosanitarios del Sur \(ficticia\)"
    ),
    "COVID-19 context": r"COVID-19",
    "Yo Aprendo Seguridad working group": (
        r"«Grupo de trabajo Yo Aprendo Seguridad», en conformación, con 5 instituciones: "
        r"Policía Nacional, Cuerpo de Bomberos de Loja, SIS ECU 911.*?Se reunió 3 veces"
    ),
    "banners at the banks and municipal collection offices": (
        r"se colocaron 12 banners en el Banco de Guayaquil.*?Con el apoyo del Banco de Guayaquil, el Banco Pichincha, "
        r"el Banco de Loja y las Dependencias de cobranzas municipales"
    ),
    "agreement with SIS ECU 911": (
        r"CCSC-ECU911-2020-01 · Convenio de cooperación interinstitucional entre el Concejo Cantonal de Seguridad "
        r"Ciudadana de Loja y el SIS ECU 911"
    ),
    "training of ECU 911 operating staff": (
        r"Se realizó 1 capacitación sobre «Uso de los sistemas y normas de videovigilancia» para personal operativo "
        r"del SIS ECU 911"
    ),
    "12 camera systems reactivated": (
        r"Reactivación de sistemas de videovigilancia en abandono \(12\): barrio Cuarto Centenario, barrio San "
        r"Cayetano "
        r"Bajo, Ciudadela Zamora, Parque Bolívar, Parque San Sebastián, Parque Pucará, Parque Jipiro, Parque Lineal"
    ),
    "circuit extended to the CRV and Puerto Seco Comercial": (
        r"Ampliación del circuito de videovigilancia \(2\): Centro de Revisión Vehicular y Puerto Seco Comercial"
    ),
    "cameras in the three centros de abasto": r"Reactivación de cámaras en centros de abasto \(3\)",
    "council sessions and resolutions": r"Sesión Extraordinaria N\.º 1 .*?CCSC-2020-003",
    "charts and map": (
        r"Presupuesto planificado y ejecutado por programa.*?Personas capacitadas por parroquia"
        r".*?Parroquias y actividades del año"
    ),
    "photos": r"Registro fotográfico Fumigación con amonio cuaternario|Registro fotográfico.*?Teatro Bolívar",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("fact", list(FACTS))
def test_the_report_tells_every_fact_of_the_account(built, fmt, fact):
    assert re.search(FACTS[fact], built.text[fmt], re.S), f"{fact!r} not found in the {fmt.upper()} report"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_report_is_in_spanish(built, fmt):
    text = built.text[fmt]
    for spanish in (
        "Rendición de cuentas 2020",
        "Finalidad institucional",
        "Cobertura por parroquia",
        "Socios y sus aportes",
    ):
        assert spanish in text
    for english in ("Accountability report", "were done", "Coverage per parish"):
        assert english not in text


def test_each_format_carries_the_charts_the_map_and_the_photos(built):
    assert built.content["html"].count(b"data:image/png;base64,") == 3
    assert built.content["html"].count(b"data:image/jpeg;base64,") == len(built.report.photos) == 3
    import io

    from docx import Document

    assert len(Document(io.BytesIO(built.content["docx"])).inline_shapes) == 6
    assert pdf_image_count(built.content["pdf"]) >= 6
    assert built.content["pdf"].startswith(b"%PDF-")


def test_docx_tables_include_planned_versus_executed_and_coverage(built):
    headers = [table[0] for table in docx_tables(built.content["docx"])]
    assert [
        "Programa",
        "Actividades programadas",
        "Realizadas",
        "%",
        "Presupuesto planificado",
        "Presupuesto ejecutado",
        "%",
        "En especie",
    ] in headers
    assert [
        "Parroquia",
        "Tipo",
        "Capacitaciones",
        "Personas capacitadas",
        "Mujeres",
        "Presidentes parroquiales",
    ] in headers
    assert ["Indicador", "Ámbito", "Meta", "Real", "Logro"] in headers
