"""Production settings for bench/web_load.py when `collectstatic` with the manifest storage fails on this tree
(issue 10: leaflet.js names a source map that is not shipped): the same settings, static files still collected and
served compressed by WhiteNoise, without the hashed names. The result file says which storage was used."""

from centinela.settings import *  # noqa: F401,F403
from centinela.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
