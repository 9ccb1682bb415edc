"""`manage.py reset_second_factor USERNAME`: removes an account's authenticator and backup codes, for an administrator
who lost both and has no other administrator to reset them on the user page. They enrol again at the next login."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.accounts.models import User
from centinela.accounts.services import reset_second_factor_on_the_server


class Command(BaseCommand):
    help = "Remove a user's second factor (authenticator and backup codes); they enrol again at the next login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        translation.activate(settings.LANGUAGE_CODE)
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(_("There is no user named %(username)s.") % {"username": username})
        reset_second_factor_on_the_server(user)
        self.stdout.write(
            _("Second factor of %(username)s removed: they enrol again at the next login.")
            % {"username": user.username}
        )
