"""The WSGI application gunicorn serves (deploy/systemd/centinela-web.service, bench/web_load.py)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centinela.settings")
application = get_wsgi_application()

# Every view module is imported now rather than on a worker's first request, then what start-up made (some 200,000
# objects: Django, numpy, shapely, pandas, the URL patterns) is put out of the garbage collector's sight: a full
# collection then walks only what requests leave behind, instead of stalling the worker (and its threads) for about
# 0.1 s every few hundred requests (issue 10's web load). The youngest generation is then collected after 50,000 new
# objects instead of 700, so the older ones hardly ever: over the bench's page mix (bench/web_pages.py) the collector
# ran 1.6 times a request and took 1.0 ms of it; with these thresholds 0.7 ms.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - imports the views

from django.db import connections  # noqa: E402

connections.close_all()  # nothing opened while importing is inherited by forked workers (gunicorn --preload)
gc.freeze()
gc.set_threshold(50_000, 20, 100)
