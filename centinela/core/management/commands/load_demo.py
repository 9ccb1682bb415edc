"""manage.py load_demo: the Loja gazetteer, the demo users, the demo year (the council's 2020 account), the demo
camera network, synthetic incidents for 2018-2021 (labelled as such) and two barrio security committees. Safe to
re-run; nothing is duplicated."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from centinela.accounts.demo import ensure_demo_users
from centinela.activities.demo import load_demo_year_2020
from centinela.territory.services import load_gazetteer

# (code, name, first year, last year or None for every later one, synthetic): what load_demo loads that is not real
DEMO_DATASETS = [
    ("demo-anio-2020", "Año de demostración 2020 (plan, actividades, capacitaciones, convenios)", 2020, 2020, False),
    ("demo-camaras", "Red de cámaras de demostración", 2014, None, False),
    ("sintetico-incidentes", "Incidentes sintéticos 2018-2021", 2018, 2021, True),
    ("demo-comites", "Comités barriales de demostración", 2019, None, False),
    ("demo-reportes", "Reportes ciudadanos inventados de 2020", 2020, 2020, False),
]


class Command(BaseCommand):
    help = "Load the Loja gazetteer, the demo users and the 2020 demo year (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-users", action="store_true", help="do not print the demo logins")

    def handle(self, *args, **opts):
        translation.activate("es-ec")
        stats = load_gazetteer(settings.GAZETTEER_DIR)
        self.stdout.write(
            f"Territorio: {stats['parishes']} parroquias, {stats['barrios']} barrios, {stats['places']} lugares"
        )
        ensure_demo_users()  # the year names the administrator
        year = load_demo_year_2020()
        users = ensure_demo_users()  # again: the liaisons belong to the year's institutions (Policía, ECU 911)
        self.stdout.write(
            f"Año 2020: {year['plan']}, {year['programmes']} programas, {year['activities']} actividades, "
            f"{year['people']} personas capacitadas, {year['institutions']} instituciones"
        )
        from centinela.cameras.demo import load_demo_cameras

        cams = load_demo_cameras()
        self.stdout.write(f"Cámaras: {cams['systems']} sistemas, {cams['devices']} cámaras")
        from centinela.incidents.demo import load_demo_incidents

        incidents = load_demo_incidents()
        self.stdout.write(
            f"Incidentes SINTÉTICOS 2018-2021 (no son datos reales): {incidents['total']} en total, "
            f"{incidents['created']} nuevos"
        )
        if incidents.get("profiles_created"):
            self.stdout.write(f"Perfiles de importación restaurados: {incidents['profiles_created']}")
        from centinela.participation.committees.demo import load_demo_committees

        committees = load_demo_committees()
        self.stdout.write(
            f"Comités barriales: {committees['committees']} comités, {committees['members']} miembros, "
            f"{committees['meetings']} reuniones, {committees['agreements']} acuerdos"
        )
        from centinela.participation.demo import load_demo_reports

        reports = load_demo_reports()
        self.stdout.write(
            f"Reportes ciudadanos 2020 (inventados): {reports['total']} en total, {reports['created']} nuevos"
        )
        from centinela.reports.services import mark_demo_dataset

        # none of this is the council's records: a report that includes it says so on every page, and is never approved
        for code, name, first, last, synthetic in DEMO_DATASETS:
            mark_demo_dataset(code, name, first_year=first, last_year=last, synthetic=synthetic)
        if not opts["quiet_users"]:
            self.stdout.write("\nUsuarios de demostración (usuario / contraseña / rol):")
            for username, password, role in users:
                self.stdout.write(f"  {username:22} {password:16} {role}")
            self.stdout.write("  (los administradores registran un segundo factor, TOTP, en su primer ingreso)")
