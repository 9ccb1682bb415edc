"""manage.py open311_key create NAME [--limit N] | list | deactivate NAME: the Open311 API keys of outside
applications (participation.Open311Client). A new key is printed once; only its hash is stored."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from centinela.participation import services
from centinela.participation.models import Open311Client


class Command(BaseCommand):
    help = "Issue (create), list or deactivate the Open311 API keys of outside applications."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="a new client and its key, printed once")
        create.add_argument("name")
        create.add_argument(
            "--limit", type=int, default=None, help="reports per hour per address (default: the page's)"
        )
        sub.add_parser("list", help="the clients, without their keys")
        deactivate = sub.add_parser("deactivate", help="the client's key stops working")
        deactivate.add_argument("name")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "create":
            try:
                _client, key = services.issue_open311_key(opts["name"], hourly_limit=opts["limit"])
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(key)
        elif action == "list":
            for client in Open311Client.objects.all():
                used = client.last_used_at.isoformat(timespec="seconds") if client.last_used_at else "-"
                state = "active" if client.active else "inactive"
                self.stdout.write(f"{client.name}\t{client.prefix}…\t{state}\tlast used {used}")
        else:
            updated = services.deactivate_open311_client(opts["name"])
            if not updated:
                raise CommandError(f"No Open311 client named {opts['name']!r}")
            self.stdout.write(f"{opts['name']}: deactivated")
