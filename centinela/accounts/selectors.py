"""Reading accounts: the user administration's list and page (administrators only, through the one permission check)."""

from centinela.accounts.models import User
from centinela.accounts.permissions import scope


def users_for(user):
    return scope(user, User.objects.select_related("parish", "institution")).order_by("username")


def second_factor_of(user) -> dict:
    """Whether an account has a confirmed authenticator and how many unused backup codes remain."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {
        "totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "backup_codes": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    }
