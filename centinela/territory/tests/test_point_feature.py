"""A point's GeoJSON feature, written directly (the map layers' places), is that of its shapely point."""

import json

from centinela.territory import geometry


def test_a_point_feature_is_the_feature_of_its_shapely_point():
    for lon, lat in ((-79.2043, -3.99313), (0.0, 0.0), (-79, -4), (1e-7, -89.999999999999)):
        properties = {"id": 1, "name": "x"}
        assert json.dumps(geometry.point_feature(lon, lat, properties)) == json.dumps(
            geometry.feature(geometry.point(lon, lat), properties)
        )
