"""Locust scenario of bench/web_load.py: council staff (administrator, director, technician, in turn), each user a
signed-in session (made beforehand by web_load.py, listed in WEB_LOAD_SESSIONS), browsing lists, dashboards, maps
and the public pages with a short think time.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares the 2 cores with the
server, and requests cost about 2.5 ms of CPU per request against the server's ~20 ms; the cheaper client leaves that
CPU to the server, as a load generator on another machine would."""

import itertools
import json
import os

from locust import FastHttpUser, between, task

SESSIONS = itertools.cycle(json.loads(open(os.environ["WEB_LOAD_SESSIONS"]).read()))


class Staff(FastHttpUser):
    wait_time = between(0.2, 0.6)

    def on_start(self):
        self.headers = {"Cookie": f"sessionid={next(SESSIONS)}"}

    def get(self, path, name):
        self.client.get(path, name=name, headers=self.headers)

    # lists
    @task(3)
    def incidents(self):
        self.get("/incidentes/", "list: incidents")

    @task(2)
    def activities(self):
        self.get("/actividades/", "list: activities")

    @task(2)
    def devices(self):
        self.get("/camaras/dispositivos/", "list: cameras")

    @task(1)
    def places(self):
        self.get("/territorio/lugares/", "list: places")

    # dashboards
    @task(2)
    def home(self):
        self.get("/", "dashboard: home")

    @task(2)
    def cameras_dashboard(self):
        self.get("/camaras/", "dashboard: cameras")
        self.get("/camaras/estado/", "dashboard: camera counts")

    @task(2)
    def indicators(self):
        self.get("/observatorio/indicadores/", "dashboard: indicators")

    # maps
    @task(2)
    def camera_map(self):
        self.get("/camaras/estado/mapa.json", "map: cameras")

    @task(1)
    def activity_map(self):
        self.get("/actividades/mapa/", "map: activities")

    @task(1)
    def parishes(self):
        self.get("/api/parishes", "map: parishes (API)")

    # public pages
    @task(2)
    def open_data(self):
        self.get("/datos-abiertos/", "public: open data")

    @task(1)
    def verify(self):
        self.get("/actividades/certificados/verificar/", "public: certificate check")
