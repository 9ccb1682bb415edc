"""Numbers, money and dates as in Ecuador (issue 13): "$ 3.500,00", "25.850", "15/03/2020", "15/03/2020 14:30", in
the filters, the pages and the report alike; English keeps its own formats."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from centinela.lib.formatting import grouped, money


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("3500"), "$\u00a03.500,00"),
        (3500.5, "$\u00a03.500,50"),
        ("1234567.891", "$\u00a01.234.567,89"),
        (0, "$\u00a00,00"),
        (None, "—"),
        ("", "—"),
        ("no", "—"),
    ],
)
def test_money_reads_as_in_ecuador(value, shown):
    with translation.override("es-ec"):
        assert money(value) == shown


def test_grouped_numbers_and_dates_in_templates():
    moment = timezone.make_aware(datetime(2020, 3, 15, 14, 30))
    template = Template("{{ n|grouped }} · {{ d }} · {{ d|date:'SHORT_DATE_FORMAT' }} · {{ t|date }} · {{ m|money }}")
    context = Context({"n": 25850, "d": date(2020, 3, 15), "t": moment, "m": Decimal("17669.7")})
    with translation.override("es-ec"), timezone.override("America/Guayaquil"):
        assert template.render(context) == "25.850 · 15/03/2020 · 15/03/2020 · 15/03/2020 · $\u00a017.669,70"
        assert grouped("17669.70") == "17.669,70"
    with translation.override("en"):
        assert money(3500) == "$\u00a03,500.00"


def test_a_date_typed_as_in_ecuador_or_by_a_date_picker_is_read():
    from django import forms

    class F(forms.Form):
        day = forms.DateField()

    with translation.override("es-ec"):
        for typed in ("15/03/2020", "2020-03-15"):
            form = F({"day": typed})
            assert form.is_valid(), typed
            assert form.cleaned_data["day"] == date(2020, 3, 15)
