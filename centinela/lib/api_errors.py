"""The error answers every API operation documents in the OpenAPI schema: 401 (no or bad token), 403 (the role may
not), 404 (no such record, or not one the user may see) and 422 (input that fails validation: django-ninja's list of
field errors, or one Spanish message)."""

from typing import Any

from django.utils.translation import gettext_lazy
from ninja import Schema


class ErrorOut(Schema):
    detail: str | list[dict[str, Any]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- the API's messages in the user's language (issue 13, item 1) ---------------------------------------------------
# django-ninja answers in English ("Not Found", "Unauthorized", pydantic's "Field required"). Each validation error
# keeps its machine parts (type, loc: a program reads them) and gets its message from this table, by error type.
VALIDATION_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "float_type": gettext_lazy("Enter a number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "string_type": gettext_lazy("Enter a text."),
    "string_too_short": gettext_lazy("Enter at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Enter at most %(max_length)s characters."),
    "greater_than": gettext_lazy("Enter a value greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Enter a value of at least %(ge)s."),
    "less_than": gettext_lazy("Enter a value less than %(lt)s."),
    "less_than_equal": gettext_lazy("Enter a value of at most %(le)s."),
    "date_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": gettext_lazy("Enter a valid date and time (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("Enter a valid date and time (ISO 8601)."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
    "model_attributes_type": gettext_lazy("The body must be a JSON object."),
    "dict_type": gettext_lazy("The body must be a JSON object."),
    "list_type": gettext_lazy("Enter a list."),
    "url_parsing": gettext_lazy("Enter a valid address (URL)."),
    "uuid_parsing": gettext_lazy("Enter a valid identifier."),
}
INVALID = gettext_lazy("Enter a valid value.")


def translated_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        message = VALIDATION_MESSAGES.get(error.get("type", ""))
        if message is None:  # a check of our own (value_error) already speaks Spanish; anything else is named plainly
            text = error.get("msg", "") if error.get("type") == "value_error" else str(INVALID)
            text = text.removeprefix("Value error, ")
        else:
            try:
                text = str(message) % {k: v for k, v in (error.get("ctx") or {}).items()}
            except (KeyError, TypeError, ValueError):
                text = str(INVALID)
        out.append({**{k: v for k, v in error.items() if k not in ("msg", "ctx", "url")}, "msg": text})
    return out


HTTP_MESSAGES = {
    401: gettext_lazy("Sign in, or send a valid token (Authorization: Bearer ...)."),
    403: gettext_lazy("Permission denied."),
    404: gettext_lazy("Not found."),
    405: gettext_lazy("Method not allowed."),
    429: gettext_lazy("Too many requests: wait a moment and try again."),
}
