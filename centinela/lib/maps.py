"""What every page with a Leaflet map (templates/lib/map.html) puts in its context: the tiles and the layers.

Layers that belong to a higher app but are drawn on a lower app's maps (the citizen reports beside the cameras) are
registered by that app when it is ready (`register_layer`), as the parts of /salud/ are, so the page that draws
them (`shared_layers`) imports no app above it."""

from __future__ import annotations

from collections.abc import Callable

# key -> function(user) -> GeoJSON FeatureCollection with a "label", or None when the user may not read it
_SHARED: dict[str, Callable] = {}


def register_layer(key: str, build: Callable) -> None:
    _SHARED[key] = build


def shared_layers(user) -> dict:
    """The registered layers the user may read, by key (those answering None are left out)."""
    layers = {}
    for key, build in _SHARED.items():
        layer = build(user)
        if layer is not None:
            layers[key] = layer
    return layers


def map_context(request, **layers):
    from django.conf import settings

    return {
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "map_layers": layers,
    }
