"""Ecuador's cédula de identidad: 10 digits, a province code (01-24, or 30 for Ecuadorians abroad), a third digit
below 6 for natural persons, and a check digit by the modulo-10 algorithm of the Registro Civil."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def cedula_is_valid(value: str) -> bool:
    if not isinstance(value, str) or len(value) != 10 or not value.isdigit():
        return False
    province = int(value[:2])
    if not (1 <= province <= 24 or province == 30) or int(value[2]) >= 6:
        return False
    total = 0
    for i, ch in enumerate(value[:9]):
        digit = int(ch) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return (10 - total % 10) % 10 == int(value[9])


def validate_cedula(value: str) -> None:
    if value and not cedula_is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid cédula (10 digits with a correct check digit)."), params={"value": value}
        )
