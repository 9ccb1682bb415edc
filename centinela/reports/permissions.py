"""Who may read the yearly report: whoever reads the council's plans, except parish presidents (the report covers
the whole canton, and their scope is one parish). Built on the one permission check, for the page and any API."""

from centinela.accounts.models import Role
from centinela.accounts.permissions import can
from centinela.activities.models import Plan


def can_read_annual_report(user) -> bool:
    if not can(user, "view", Plan):
        return False
    return user.is_superuser or user.role != Role.PARISH_PRESIDENT
