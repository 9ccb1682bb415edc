"""manage.py create_api_token USERNAME [--name NAME]: prints a new bearer token once."""

from django.core.management.base import BaseCommand, CommandError

from centinela.accounts.models import User
from centinela.accounts.services import issue_token


class Command(BaseCommand):
    help = "Issue an API token for a user (shown once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, **opts):
        try:
            user = User.objects.get(username=opts["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {opts['username']!r}") from exc
        self.stdout.write(issue_token(user, opts["name"]))
