"""Production's static files: every file a vendored asset names is shipped, and `collectstatic` with WhiteNoise's
manifest storage (the production setting) hashes and compresses them all (it stops at the first one missing)."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings

STATIC = Path(settings.BASE_DIR) / "static"
SOURCE_MAP = re.compile(r"[#@] sourceMappingURL=(\S+)")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def test_every_file_a_static_asset_names_is_shipped():
    missing = []
    for path in sorted(STATIC.rglob("*")):
        if path.suffix not in (".js", ".css"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        names = SOURCE_MAP.findall(text)
        if path.suffix == ".css":
            names += CSS_URL.findall(text)
        for name in names:
            if name.startswith(("#", "data:", "http:", "https:", "//")):
                continue
            if not (path.parent / name.split("?")[0].split("#")[0]).is_file():
                missing.append(f"{path.relative_to(STATIC)} -> {name}")
    assert missing == []


def test_collectstatic_with_the_production_storage_hashes_and_compresses_every_asset(tmp_path):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        hashed = staticfiles_storage.stored_name("vendor/leaflet-1.9.4/leaflet.js")
    assert re.fullmatch(r"vendor/leaflet-1\.9\.4/leaflet\.[0-9a-f]{12}\.js", hashed)
    assert (tmp_path / hashed).is_file() and (tmp_path / f"{hashed}.gz").is_file()
    # the hashed script names its hashed source map, which is there too
    map_name = SOURCE_MAP.search((tmp_path / hashed).read_text(encoding="utf-8")).group(1)
    assert re.fullmatch(r"leaflet\.js\.[0-9a-f]{12}\.map", map_name)
    assert (tmp_path / "vendor/leaflet-1.9.4" / map_name).is_file()
