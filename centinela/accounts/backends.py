"""Django's ModelBackend, with the user of a session read as the ORM reads it, less the building and compiling of a
queryset on every request: one SELECT of the model's columns by primary key, each value passed through the
converters the ORM's compiler would apply (the database backend's, then the field's), and the instance made by
Model.from_db, as a queryset makes it. A third of the Python work of loading a user, on every page (issue 10's web
load; tests/test_request_fixed_costs.py compares it with Django's backend for every user, on SQLite and
PostgreSQL). Nothing is kept between requests: the user, its password hash (a changed password ends the other
sessions) and is_active are read from the database each time, as before."""

from __future__ import annotations

import functools

from django.contrib.auth import backends, get_user_model
from django.db import connections, router


@functools.cache
def _select(vendor: str, model) -> tuple[str, tuple[str, ...]]:
    """The statement and the attribute names of its columns (the SQL depends only on the vendor's quoting)."""
    quote = connections[router.db_for_read(model)].ops.quote_name
    fields = model._meta.concrete_fields
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s"
    return sql, tuple(f.attname for f in fields)


def _converters(connection, model) -> list:
    """(position, converters, column) as SQLCompiler.get_converters gives them for the model's columns."""
    out = []
    for i, field in enumerate(model._meta.concrete_fields):
        col = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if converters:
            out.append((i, converters, col))
    return out


def read_by_pk(model, pk):
    """model._default_manager.filter(pk=pk).first(), read without building a queryset: the instance or None."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql, names = _select(connection.vendor, model)
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, converters, col in _converters(connection, model):
        for converter in converters:
            values[i] = converter(values[i], col, connection)
    return model.from_db(alias, names, values)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        user = read_by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
