"""The report's charts write their axis numbers as its text does: grouped as the language groups them."""

from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation

from centinela.reports.charts import budget_figure


def _programme(code, planned, executed, in_kind):
    return SimpleNamespace(
        code=code,
        name=f"Programa {code}",
        budget_planned=Decimal(planned),
        budget_executed=Decimal(executed),
        in_kind=Decimal(in_kind),
    )


def test_the_budget_axis_groups_thousands_as_spanish_does():
    report = SimpleNamespace(
        programmes=[_programme("P1", "1500", "1167.75", "480"), _programme("P2", "19600", "17669.70", "0")]
    )
    with translation.override("es-ec"):
        fig = budget_figure(report)
        fig.canvas.draw()
        labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert "15.000" in labels, labels
    assert not any(label.isdigit() and len(label) > 3 for label in labels), labels
