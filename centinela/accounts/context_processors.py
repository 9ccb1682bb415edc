from centinela.accounts import permissions


def role(request):
    user = getattr(request, "user", None)
    return {
        "can_read_audit": permissions.can_read_audit(user) if user else False,
        "is_admin": bool(user and user.is_authenticated and user.is_staff),
        "can_administer_users": permissions.can_administer_users(user) if user else False,
    }
