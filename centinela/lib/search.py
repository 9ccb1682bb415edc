"""The one text search of every list: case- and accent-insensitive, in the database, on SQLite and PostgreSQL.

`field__search="fumigacion"` finds "Fumigación", "PUNZARA" finds "Punzara" and "nino" finds "Niño": the typed text
is folded in Python by one table, `FOLD` (lower case, no accents, ñ -> n, ç -> c, ü -> u), the stored text by the
database, and the two compared with LIKE (% and _ typed are plain characters).

- ñ folds to n on purpose: people type "nino" for "niño" on a phone keyboard, and a search a little too wide ("ano"
  also finds "año") costs less than one that finds nothing.
- PostgreSQL: `lower(unaccent(x))`, the unaccent extension (created by migration accounts 0004: it ships with
  PostgreSQL and is trusted, so the database's owner creates it; see docs/deploy.md). It folds what `FOLD` folds and
  more (ß, œ, ø...). A `translate()` with the same table as SQLite's needs no extension but was six times slower
  (translate scans its 52-letter list for every character: 140 ms against 24 ms over 15,000 addresses).
- SQLite: a deterministic Python function, `centinela_fold`, registered on every new connection (`connect`, called
  by the accounts app when Django starts).
- Folding every row costs (a Python call per row on SQLite, unaccent on PostgreSQL), so a native case-insensitive
  LIKE (ILIKE) with `_` in place of every letter that has accented forms ("fumigacion" -> "%f_m_g_c___%") first keeps
  only the rows that could match, and only those are folded.

A search with a leading wildcard reads every row of the filtered list on either database (plain icontains did too);
`bench/search_bench.py` times it over the demo's 15,000 incidents.
"""

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models.lookups import Contains

ACCENTED = "áàâäãåéèêëíìîïóòôöõúùûüñçÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇ"
PLAIN = "aaaaaaeeeeiiiiooooouuuuncaaaaaaeeeeiiiiooooouuuunc"
FOLD = str.maketrans(ACCENTED, PLAIN)
SQLITE_FUNCTION = "centinela_fold"


def fold(text) -> str:
    """What the database compares: lower case without accents ("Niño Jesús" -> "nino jesus")."""
    return str(text).lower().translate(FOLD)


FOLDED_TO = set(PLAIN)


def prefilter(folded: str) -> str:
    """A LIKE pattern (without the % around it) any text whose fold contains `folded` matches: `_` for every letter
    that accented letters fold to and for anything not ASCII, other characters as they are (SQLite's LIKE ignores
    ASCII case), % _ and \\ escaped."""
    out = []
    for char in folded:
        if char in FOLDED_TO or not char.isascii():
            out.append("_")
        elif char in "%_\\":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _sqlite_fold(value):
    """`fold` for SQLite, called once per row and field searched: plain ASCII (most codes and many addresses) only
    needs lower()."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    return value.lower() if value.isascii() else value.lower().translate(FOLD)


def register_sqlite_function(sender=None, connection=None, **kwargs):
    """Give a new SQLite connection the fold function (deterministic: SQLite may use it in indexes)."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True)


def connect():
    """Register the fold function on every SQLite connection opened from now on."""
    connection_created.connect(register_sqlite_function, dispatch_uid="centinela.lib.search")


class Fold(models.Func):
    """The folded text of an expression: `fold` in SQLite, lower(unaccent()) in PostgreSQL."""

    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"lower(unaccent(({sql})::text))", params

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"No accent folding for {connection.vendor}")


@models.CharField.register_lookup
@models.TextField.register_lookup
class Search(Contains):
    """`field__search=value`: the field, folded, contains the value, folded (LIKE with % and _ escaped)."""

    lookup_name = "search"

    def __init__(self, lhs, rhs):
        super().__init__(Fold(lhs), fold(rhs) if isinstance(rhs, str) else Fold(rhs))

    def _prefiltered(self, compiler, connection, like):
        """The native LIKE prefilter first (see the module's docstring), then the folded comparison."""
        sql, params = self.as_sql(compiler, connection)
        if not (self.rhs_is_direct_value() and isinstance(self.rhs, str)):
            return sql, params
        raw_sql, raw_params = compiler.compile(self.lhs.source_expressions[0])
        return f"({raw_sql} {like} AND {sql})", (*raw_params, f"%{prefilter(self.rhs)}%", *params)

    def as_sqlite(self, compiler, connection):
        return self._prefiltered(compiler, connection, "LIKE %s ESCAPE '\\'")

    def as_postgresql(self, compiler, connection):
        return self._prefiltered(compiler, connection, "ILIKE %s")

    def get_rhs_op(self, connection, rhs):
        """The backend's own `contains` operator (LIKE with its escape clause)."""
        if self.rhs_is_direct_value() or self.bilateral_transforms:
            return connection.operators["contains"] % rhs
        return connection.pattern_ops["contains"].format(connection.pattern_esc).format(rhs)


def matches(fields, value) -> models.Q:
    """Any of `fields` contains `value`, folded: the condition of every list's search box."""
    condition = models.Q()
    for field in fields:
        condition |= models.Q(**{f"{field}__search": value})
    return condition
