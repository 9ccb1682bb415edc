"""Locust scenario of `bench/web_load.py --scenario participation` (issue 12): anonymous residents on the citizen
report pages, and one resident filing reports with a photo at a steady pace.

* Visitor (all users but one): the public map (/participa/mapa/: map, list and barrio counts), filtered by status,
  a later page of its list, its open data (GeoJSON of every published report, streamed; the counts of sensitive
  reports per barrio as CSV) and the empty report form, with a think time of PARTICIPATION_THINK seconds ("1-4":
  a visitor reads the map before the next click).
* Submitter (one user, `fixed_count`): a report with a small JPEG photo every 60/PARTICIPATION_PER_MINUTE seconds
  (`constant_throughput`: 60 a minute by default), anonymous, at points of the Centro Histórico; the CSRF token
  from the form is read once. A submission counts when the page answers 302 to the report's tracking page; the
  honeypot field stays empty, as a person leaves it. The server runs with PARTICIPATION_REPORTS_PER_HOUR raised
  (web_load.py sets it for the bench's server only), since every submission comes from 127.0.0.1.
"""

import io
import os
import random
import re

from locust import FastHttpUser, between, constant_throughput, task
from PIL import Image

THINK = [float(x) for x in os.environ.get("PARTICIPATION_THINK", "1-4").split("-")]
PER_MINUTE = float(os.environ.get("PARTICIPATION_PER_MINUTE", "60"))
CENTRE = (-79.2015, -3.9975)  # the Centro Histórico barrio's centre (gazetteers/loja)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CATEGORY = re.compile(r'name="category" value="(\d+)"')
CHALLENGE_TOKEN = re.compile(r'name="challenge_token" value="([^"]+)"')
QUESTION = re.compile(r'<span id="challenge-question">([^<]+)</span>')
NUMBERS = {w: n for n, w in enumerate(("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"), 1)}


def answer(question: str) -> int:
    """What a person answers to "¿Cuánto es siete más cuatro?"."""
    return sum(NUMBERS.get(word.strip("¿?"), 0) for word in question.lower().split())


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 90, 140)).save(out, format="JPEG", quality=80)
    return out.getvalue()


PHOTO = small_jpeg()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body (FastHttpUser's client takes bytes, not files)."""
    boundary = "----centinela-bench-" + "".join(random.choices("0123456789abcdef", k=16))
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Visitor(FastHttpUser):
    wait_time = between(*THINK)

    @task(6)
    def public_map(self):
        self.client.get("/participa/mapa/", name="public: map")

    @task(2)
    def public_map_filtered(self):
        status = random.choice(["resolved", "in_progress", "assigned"])
        self.client.get(f"/participa/mapa/?status={status}", name="public: map filtered")

    @task(1)
    def public_map_list_page(self):
        self.client.get(f"/participa/mapa/?page={random.randint(2, 20)}", name="public: map list page")

    @task(1)
    def open_data_geojson(self):
        self.client.get("/participa/mapa/?export=geojson", name="data: map GeoJSON (all)")

    @task(1)
    def barrio_counts(self):
        self.client.get("/participa/mapa/?export=csv&tabla=barrios", name="data: barrio counts CSV")

    @task(3)
    def report_form(self):
        self.client.get("/participa/reportar/", name="public: report form")


class Submitter(FastHttpUser):
    fixed_count = 1
    wait_time = constant_throughput(PER_MINUTE / 60)

    def on_start(self):
        page = self.client.get("/participa/reportar/", name="submit: form (token)").text
        self.token = CSRF.search(page).group(1)
        self.categories = CATEGORY.findall(page)
        self.rng = random.Random(12)

    @task
    def submit(self):
        # a resident opens the form, reads its question (a sum in words) and answers it (participation.challenge)
        page = self.client.get("/participa/reportar/", name="submit: form (question)").text
        self.question = QUESTION.search(page).group(1)
        answered = {
            "challenge_token": CHALLENGE_TOKEN.search(page).group(1),
            "challenge_answer": str(answer(self.question)),
        }
        dx, dy = self.rng.uniform(-0.002, 0.002), self.rng.uniform(-0.002, 0.002)
        body, content_type = multipart(
            {
                "csrfmiddlewaretoken": self.token,
                "category": self.rng.choice(self.categories),
                "lon": f"{CENTRE[0] + dx:.6f}",
                "lat": f"{CENTRE[1] + dy:.6f}",
                "description": "Poste sin luz en la esquina desde hace una semana (reporte de prueba de carga).",
                "website": "",
                **answered,
            },
            {"photos": ("poste.jpg", PHOTO, "image/jpeg")},
        )
        with self.client.post(
            "/participa/reportar/",
            data=body,
            headers={"Content-Type": content_type, "Referer": self.host + "/participa/reportar/"},
            name="submit: report with photo",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and "/participa/seguimiento/" in (response.headers.get("Location") or ""):
                response.success()
            else:
                errors = re.findall(r'class="errorlist[^>]*><li>([^<]*)', response.text or "")
                why = "; ".join(errors)[:200]
                response.failure(f"answered {response.status_code}, not the tracking page: {why} ({self.question!r})")
