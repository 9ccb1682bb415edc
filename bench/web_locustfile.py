"""Locust scenario of bench/web_load.py: council staff (administrator, director, technician, in turn), each user a
signed-in session (made beforehand by web_load.py, listed in WEB_LOAD_SESSIONS), browsing lists, dashboards, maps
and the public pages with a short think time."""
import itertools
import json
import os

from locust import HttpUser, between, task

SESSIONS = itertools.cycle(json.loads(open(os.environ["WEB_LOAD_SESSIONS"]).read()))


class Staff(HttpUser):
    wait_time = between(0.2, 0.6)

    def on_start(self):
        self.client.cookies.set("sessionid", next(SESSIONS))

    # lists
    @task(3)
    def incidents(self):
        self.client.get("/incidentes/", name="list: incidents")

    @task(2)
    def activities(self):
        self.client.get("/actividades/", name="list: activities")

    @task(2)
    def devices(self):
        self.client.get("/camaras/dispositivos/", name="list: cameras")

    @task(1)
    def places(self):
        self.client.get("/territorio/lugares/", name="list: places")

    # dashboards
    @task(2)
    def home(self):
        self.client.get("/", name="dashboard: home")

    @task(2)
    def cameras_dashboard(self):
        self.client.get("/camaras/", name="dashboard: cameras")
        self.client.get("/camaras/estado/", name="dashboard: camera counts")

    @task(2)
    def indicators(self):
        self.client.get("/observatorio/indicadores/", name="dashboard: indicators")

    # maps
    @task(2)
    def camera_map(self):
        self.client.get("/camaras/estado/mapa.json", name="map: cameras")

    @task(1)
    def activity_map(self):
        self.client.get("/actividades/mapa/", name="map: activities")

    @task(1)
    def parishes(self):
        self.client.get("/api/parishes", name="map: parishes (API)")

    # public pages
    @task(2)
    def open_data(self):
        self.client.get("/datos-abiertos/", name="public: open data")

    @task(1)
    def verify(self):
        self.client.get("/actividades/certificados/verificar/", name="public: certificate check")
