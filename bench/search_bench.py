"""Search benchmark: the incident list's search box over the demo's incidents (about 15,000), as the list asks it
(the filtered count for the pager, then the first page of 25 rows), with plain `icontains` (before issue 13) and with
the case- and accent-insensitive `lib.search` lookup. Median of 7 runs after a warm-up, per search text.

    DATABASE_URL=... .venv/bin/python bench/search_bench.py     # a database with the demo loaded (make demo)

Reads only; figures go to bench/results/search-<vendor>.json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centinela.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from centinela.accounts.models import User  # noqa: E402
from centinela.incidents.filters import IncidentFilter  # noqa: E402
from centinela.incidents.selectors import incidents_for  # noqa: E402

TEXTS = ["fumigacion", "ROBO", "Av. Universitaria", "zzz-nada"]
RUNS = 7


def icontains(queryset, fields, text):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


def timed(make):
    def once():
        start = time.perf_counter()
        qs = make()
        count = qs.count()
        list(qs[:25])
        return (time.perf_counter() - start) * 1000, count

    once()
    runs = [once() for _ in range(RUNS)]
    return round(statistics.median(r[0] for r in runs), 1), runs[0][1]


def main():
    user = User.objects.filter(is_superuser=True).first() or User.objects.get(username="admin")
    base = incidents_for(user)
    total = base.count()
    fields = IncidentFilter.search_fields
    rows = []
    for text in TEXTS:
        before_ms, before_n = timed(lambda text=text: icontains(base, fields, text))
        after_ms, after_n = timed(lambda text=text: IncidentFilter({"q": text}, queryset=base).qs)
        rows.append(
            {
                "text": text,
                "icontains_ms": before_ms,
                "icontains_rows": before_n,
                "search_ms": after_ms,
                "search_rows": after_n,
            }
        )
    unfiltered_ms, _ = timed(lambda: base)
    result = {"vendor": connection.vendor, "incidents": total, "unfiltered_ms": unfiltered_ms, "searches": rows}
    out = ROOT / "bench" / "results" / f"search-{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
