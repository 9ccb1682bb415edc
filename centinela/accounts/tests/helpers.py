"""Helpers for tests that sign in without the login form."""


def verified_login(client, user):
    """Logs the test client in as `user` with the second factor given, as the real login leaves a session:
    administrators must have one (centinela.accounts.middleware), so the test gives them a confirmed device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from centinela.accounts.services import needs_second_factor

    client.force_login(user)
    if needs_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def current_code(device) -> str:
    """The code the authenticator app of `device` shows now."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
