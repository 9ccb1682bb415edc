"""`manage.py create_admin USERNAME [--email E] [--name "Full Name"] [--password-stdin]`: the first administrator of
a fresh install (the council administrator's role, not a Django superuser). Asks for the password twice on a
terminal; `--password-stdin` reads it from the first line of standard input, for scripts.

Administrators must use a second factor: without `--totp` the new administrator enrols an authenticator app at the
first login (a QR code and a code to confirm); with `--totp` the secret is made now and printed (as a base32 key and
an otpauth:// URI to type or turn into a QR code), with ten backup codes, so the first login already asks for a code."""

import getpass
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.accounts.services import create_administrator, enrol_totp_now


class Command(BaseCommand):
    help = "Create an account with the administrator role (the first login of a new install)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from the first line of standard input"
        )
        parser.add_argument(
            "--totp", action="store_true", help="enrol the second factor now and print its secret and backup codes"
        )

    def handle(self, *args, username, email, name, password_stdin, totp=False, **options):
        translation.activate(settings.LANGUAGE_CODE)  # the password rules answer in the interface language
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            password = getpass.getpass(_("Password: "))
            if getpass.getpass(_("Password (again): ")) != password:
                raise CommandError(_("The two passwords differ."))
        else:
            raise CommandError(_("No terminal to ask for the password: use --password-stdin."))
        try:
            user = create_administrator(username, password, email=email, full_name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(_("Administrator %(username)s created.") % {"username": user.username})
        if totp:
            secret, uri, codes = enrol_totp_now(user)
            self.stdout.write(_("Second factor (TOTP) secret: %(secret)s") % {"secret": secret})
            self.stdout.write(f"otpauth: {uri}")
            self.stdout.write(_("Backup codes (each works once): %(codes)s") % {"codes": " ".join(codes)})
