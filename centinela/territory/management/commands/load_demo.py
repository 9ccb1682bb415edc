"""manage.py load_demo: the Loja gazetteer and the demo users. Safe to re-run; nothing is duplicated."""
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from centinela.accounts.services import ensure_demo_users
from centinela.territory.services import load_gazetteer


class Command(BaseCommand):
    help = "Load the Loja gazetteer and the demo users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-users", action="store_true", help="do not print the demo logins")

    def handle(self, *args, **opts):
        translation.activate("es-ec")
        stats = load_gazetteer(settings.GAZETTEER_DIR)
        self.stdout.write(f"Territorio: {stats['parishes']} parroquias, {stats['barrios']} barrios, {stats['places']} lugares")
        users = ensure_demo_users()
        if not opts["quiet_users"]:
            self.stdout.write("\nUsuarios de demostración (usuario / contraseña / rol):")
            for username, password, role in users:
                self.stdout.write(f"  {username:22} {password:16} {role}")
