"""The error answers every API operation documents in the OpenAPI schema: 401 (no or bad token), 403 (the role may
not), 404 (no such record, or not one the user may see) and 422 (input that fails validation: django-ninja's list of
field errors, or one Spanish message)."""
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str | list[dict[str, Any]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
