"""Vectorised parsing of the columns of an incident file (dates, numbers), so a million rows take a second, not a
minute: fixed-width dates are read digit by digit with numpy, and only the cells that do not fit the pattern go
through datetime.strptime / fromisoformat one by one. No Django here: the caller passes the time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo

import numpy as np

EPOCH = datetime(1970, 1, 1)
WIDTHS = {"%Y": 4, "%m": 2, "%d": 2, "%H": 2, "%M": 2, "%S": 2}
ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
# mainland Ecuador and Galápagos, with a margin: a point outside this is not a wrong parish but a wrong coordinate
ECUADOR = (-92.2, -5.1, -75.1, 1.7)


def _compile(fmt: str):
    """A strftime format made only of %Y %m %d %H %M %S and literal characters -> (fields, literals, length);
    None for formats this fast path does not read (month names, 12-hour clocks, two-digit years...)."""
    fields, literals, pos = {}, [], 0
    for token in re.findall(r"%.|[^%]", fmt):
        if token.startswith("%"):
            if token not in WIDTHS or token in fields:
                return None
            fields[token] = (pos, WIDTHS[token])
            pos += WIDTHS[token]
        else:
            literals.append((pos, token))
            pos += 1
    if not {"%Y", "%m", "%d"} <= set(fields):
        return None
    return fields, literals, pos


def _fixed(values: list[str], lengths: np.ndarray, todo: np.ndarray, fmt: str):
    """Parse the `todo` cells of `values` with the fixed-width `fmt`: (naive seconds since 1970, parsed mask)."""
    n = len(values)
    seconds = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    spec = _compile(fmt)
    if spec is None:
        return seconds, ok
    fields, literals, length = spec
    idx = np.flatnonzero(todo & (lengths == length))
    if not len(idx):
        return seconds, ok
    picked = values if len(idx) == n else [values[i] for i in idx.tolist()]
    chars = np.array(picked, dtype=f"U{length}").view(np.uint32).reshape(len(idx), length)
    good = np.ones(len(idx), dtype=bool)
    for pos, char in literals:
        if char in " T":  # ISO dates separate the time with a space or a T
            good &= (chars[:, pos] == 32) | (chars[:, pos] == 84)
        else:
            good &= chars[:, pos] == ord(char)
    digits = chars.astype(np.int32) - 48
    parts = {}
    for token, (pos, width) in fields.items():
        block = digits[:, pos : pos + width]
        good &= ((block >= 0) & (block <= 9)).all(axis=1)
        value = np.zeros(len(idx), dtype=np.int64)
        for k in range(width):
            value = value * 10 + block[:, k]
        parts[token] = value
    year, month, day = parts["%Y"], parts["%m"], parts["%d"]
    hour, minute, second = (parts.get(t, np.zeros(len(idx), dtype=np.int64)) for t in ("%H", "%M", "%S"))
    good &= (year >= 1900) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    good &= (hour <= 23) & (minute <= 59) & (second <= 59)
    months = np.where(good, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + np.where(good, day - 1, 0)
    good &= days.astype("datetime64[M]") == months  # 31/02 rolls into March: not a date
    secs = days.astype(np.int64) * 86400 + hour * 3600 + minute * 60 + second
    seconds[idx[good]] = secs[good]
    ok[idx[good]] = True
    return seconds, ok


def _one(text: str, fmt: str) -> datetime:
    value = None
    if fmt:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            value = None
    if value is None:
        value = datetime.fromisoformat(text.replace("T", " "))  # raises ValueError: the caller reports the cell
    return value


def parse_datetimes(values: list[str], fmt: str, tz: tzinfo, *, required: np.ndarray | None = None):
    """Cells -> (UTC seconds since 1970 as int64, ok mask). Naive values are local times in `tz` (as Django's
    make_aware takes them); empty cells are not ok. The profile's format first, then ISO (XLSX date cells reach us
    as "YYYY-MM-DD HH:MM" whatever the profile says), then strptime/fromisoformat for whatever is left."""
    n = len(values)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
    todo = lengths > 0 if required is None else (lengths > 0) & required
    local = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    for f in ((fmt,) if fmt else ()) + ISO_FORMATS:
        secs, got = _fixed(values, lengths, todo & ~ok, f)
        local[got] = secs[got]
        ok |= got
    utc = np.zeros(n, dtype=np.int64)
    aware = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(todo & ~ok).tolist():
        try:
            value = _one(values[i], fmt)
        except ValueError:
            continue
        if value.tzinfo is not None:
            utc[i] = int((value - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds())
            aware[i] = True
        else:
            local[i] = int((value - EPOCH).total_seconds())
        ok[i] = True
    naive = ok & ~aware
    if naive.any():
        # local -> UTC with the zone's offset at each distinct local hour (a few thousand zone look-ups, not a
        # million); is_dst/fold as Django's make_aware: the first of two ambiguous times
        hours, inverse = np.unique(local[naive] // 3600, return_inverse=True)
        offsets = np.array(
            [
                int((EPOCH + timedelta(hours=int(h))).replace(tzinfo=tz).utcoffset().total_seconds())
                for h in hours.tolist()
            ],
            dtype=np.int64,
        )
        utc[naive] = local[naive] - offsets[inverse]
    return utc, ok


def sql_datetimes(utc_seconds: np.ndarray) -> list[str]:
    """UTC seconds -> "YYYY-MM-DD HH:MM:SS" as Django stores aware datetimes in SQLite (and PostgreSQL reads in
    UTC sessions)."""
    if not len(utc_seconds):
        return []
    text = np.datetime_as_string(utc_seconds.astype("datetime64[s]"), unit="s")
    chars = text.view(np.uint32).reshape(len(text), -1)
    chars[:, 10] = 32  # the T -> a space, so text comparisons in SQLite order as Django's own values
    return text.tolist()


def parse_numbers(values: list[str]):
    """Cells -> (float64 array, ok mask); a decimal comma is read as a point. Infinite and NaN are not ok."""
    n = len(values)
    try:
        out = np.array(values, dtype=np.float64) if n else np.zeros(0)
        ok = np.isfinite(out)
        return out, ok
    except ValueError:
        pass
    out = np.zeros(n)
    ok = np.zeros(n, dtype=bool)
    for i, text in enumerate(values):
        try:
            out[i] = float(text.replace(",", "."))
            ok[i] = True
        except ValueError:
            pass
    ok &= np.isfinite(out)
    return out, ok


def in_box(lon: np.ndarray, lat: np.ndarray, box=ECUADOR) -> np.ndarray:
    minx, miny, maxx, maxy = box
    return (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
