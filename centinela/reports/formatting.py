"""How numbers, money, dates and lists read in the report, alike in HTML, DOCX and PDF (lib.formatting: 1.234,50)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from centinela.lib.formatting import grouped
from centinela.lib.formatting import money as lib_money


def number(value) -> str:
    """Whole numbers without decimals, others with two; grouped by the active language's separator."""
    return grouped(value)


def money(value) -> str:
    return lib_money(value or 0)


def percent(value) -> str:
    return "—" if value is None else f"{value}\u00a0%"


def day(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    # the report is prose: "20 de octubre de 2020" (lists and tables elsewhere read 20/10/2020)
    return formats.date_format(value, pgettext("long date in the report", "F j, Y"))


def short_day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def join(items) -> str:
    """ "a, b and c" in the active language."""
    items = [str(i) for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def ratio_percent(part, whole) -> int | None:
    return round(100 * Decimal(part) / Decimal(whole)) if whole else None


# An institution's name inside a Spanish sentence takes its article: "expusieron delegados de la Policía Nacional y del
# Cuerpo de Bomberos", "convenio con el SIS ECU 911". The article comes from the name's first word when it is a common
# noun of known gender; a proper name or a brand ("Servicios Fitosanitarios del Sur") is left bare, as is any name when
# the report is in another language.
_FEMININE = (
    "agencia asamblea asociación brigada cámara comisaría comisión comunidad cooperativa coordinación corporación cruz "
    "defensoría dirección empresa escuela federación fiscalía fundación gobernación guardia intendencia jefatura junta "
    "liga mesa organización policía prefectura red secretaría subsecretaría tenencia unidad universidad veeduría zona "
    "alcaldía"
).split()
_MASCULINE = (
    "banco batallón cabildo centro colegio comando comité concejo consejo cuerpo departamento distrito gad gobierno "
    "grupo hospital instituto juzgado ministerio municipio núcleo registro servicio sis ecu sistema tribunal"
).split()
_FEMININE_PLURAL = ("dependencias", "fuerzas", "juntas", "oficinas")
# Places take theirs too ("fumigaciones en el Teatro Bolívar y la Clínica Municipal", "banners en el Banco de Loja");
# a place named by a proper name alone ("Puerto Seco Comercial", "Jipiro") is left bare.
_FEMININE_PLACES = (
    "avenida basílica biblioteca calle cancha capilla casa catedral ciudadela clínica feria iglesia lotización oficina "
    "plaza recaudación sede urbanización"
).split()
_MASCULINE_PLACES = (
    "auditorio barrio cementerio coliseo complejo cuartel edificio estadio hogar jardín local malecón mercado museo "
    "parque paseo redondel salón teatro terminal"
).split()
_MASCULINE_PLURAL = ("barrios", "centros", "mercados", "parques")
_ARTICLES = {
    **{w: "la" for w in _FEMININE + _FEMININE_PLACES},
    **{w: "el" for w in _MASCULINE + _MASCULINE_PLACES},
    **{w: "las" for w in _FEMININE_PLURAL},
    **{w: "los" for w in _MASCULINE_PLURAL},
}


def with_article(name: str) -> str:
    """`name` (an institution's or a place's) with its Spanish definite article when the report is in Spanish and its
    first word's gender is known."""
    if not (get_language() or "").startswith("es"):
        return name
    article = _ARTICLES.get(name.split(" ", 1)[0].lower())
    return f"{article} {name}" if article else name


def contracted(text: str) -> str:
    """Spanish contractions where an article follows a preposition: "de el" is "del", "a el" is "al"."""
    return text.replace(" de el ", " del ").replace(" a el ", " al ")
