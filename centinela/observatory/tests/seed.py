"""A small synthetic registry for the observatory's tests: `analysis.synthetic.events` around Loja's centre,
projected to lon/lat, parishes and barrios assigned in bulk as imports do, from the synthetic source."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from django.utils import timezone

LOJA_CENTRE = (-79.2017, -3.996)
START = datetime(2024, 1, 1)  # day 0 of the synthetic events (a Monday), local time


def seed_incidents(
    n: int = 400, *, seed: int = 0, days: float = 120.0, half_width: float = 1500.0, category: str = "robo-personas"
) -> int:
    from analysis.io import to_lonlat
    from analysis.synthetic import events
    from centinela.incidents.models import Category, Incident, Source
    from centinela.incidents.selectors import SYNTHETIC_SOURCE
    from centinela.observatory.selectors import CRS, project
    from centinela.territory.selectors import locate_ids

    cx, cy = project([LOJA_CENTRE[0]], [LOJA_CENTRE[1]])
    extent = (cx[0] - half_width, cy[0] - half_width, cx[0] + half_width, cy[0] + half_width)
    ev = events(
        n,
        seed=seed,
        extent=extent,
        days=days,
        hotspots=4,
        hotspot_sd=120.0,
        repeat_share=0.3,
        repeat_distance=80.0,
        repeat_days=4.0,
    )
    lon, lat = to_lonlat(ev.x, ev.y, CRS)
    parish_ids, barrio_ids = locate_ids(lon, lat)
    source, _ = Source.objects.get_or_create(code=SYNTHETIC_SOURCE, defaults={"name": "Datos sintéticos"})
    cat = Category.objects.get(code=category)
    start = timezone.make_aware(START)
    rows = [
        Incident(
            source=source,
            source_ref=f"syn-{seed}-{i}",
            occurred_at=start + timedelta(days=float(ev.t[i])),
            category=cat,
            lon=float(lon[i]),
            lat=float(lat[i]),
            parish_id=int(parish_ids[i]) or None,
            barrio_id=int(barrio_ids[i]) or None,
        )
        for i in range(n)
    ]
    Incident.objects.bulk_create(rows, batch_size=2000)
    return int(np.count_nonzero(parish_ids))
