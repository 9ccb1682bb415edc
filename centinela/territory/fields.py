"""A geometry column without GeoDjango: shapely geometries stored as WKB (hex) in a text column, WGS84 lon/lat."""

import shapely
from django.db import models


class GeometryField(models.TextField):
    description = "A shapely geometry in WGS84, stored as hex WKB"

    def from_db_value(self, value, expression, connection):
        return None if value in (None, "") else shapely.from_wkb(value)

    def to_python(self, value):
        if value is None or isinstance(value, shapely.Geometry):
            return value
        if isinstance(value, str) and value.lstrip().startswith("{"):
            return shapely.from_geojson(value)
        return shapely.from_wkb(value)

    def get_prep_value(self, value):
        if value is None or value == "":
            return None
        if not isinstance(value, shapely.Geometry):
            value = self.to_python(value)
        return shapely.to_wkb(value, hex=True, output_dimension=2)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else shapely.to_geojson(value)
