"""manage.py link_camera_incidents: link the whole incident registry to the cameras that saw it (new incidents are
linked as they are created; this is for after cameras were added or moved in bulk). --rebuild makes every
automatic link again (the links staff made by hand stay)."""

import time

from django.core.management.base import BaseCommand

from centinela.cameras import services
from centinela.cameras.models import Sighting


class Command(BaseCommand):
    help = "Link incidents to the cameras in whose view they happened (automatic links; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="delete the automatic links and make them again")

    def handle(self, *args, **opts):
        started = time.monotonic()
        if opts["rebuild"]:
            deleted, _by_model = Sighting.objects.filter(automatic=True).delete()
            self.stdout.write(f"Vínculos automáticos eliminados: {deleted}")
        made = services.link_incidents()
        self.stdout.write(f"Vínculos nuevos: {made} ({time.monotonic() - started:.1f} s)")
