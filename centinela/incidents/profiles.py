"""The import profiles that ship, so a fresh installation reads the two exports the council receives without writing
one: the ECU 911's incident export and the Policía Nacional's crime statistics. Created by a data migration
(0003_shipped_profiles) and again by the demo loader when missing; never overwritten once they exist, so an
administrator's edits stand. The headers are those of the files as the council receives them (Spanish, with
accents: matching ignores case, accents and spacing, see lib.tables.normalise)."""

from __future__ import annotations

ECU911 = "ECU 911 (exportación de incidentes)"
POLICE = "Policía Nacional (estadísticas de delitos)"

PROFILES = [
    {
        "name": ECU911,
        "source": "ecu911",
        # Código;Fecha y hora;Servicio;Subtipo;Provincia;Cantón;Parroquia;Dirección;Latitud;Longitud
        "columns": {
            "source_ref": "Código",
            "occurred_at": "Fecha y hora",
            "category": "Servicio",
            "address": "Dirección",
            "lat": "Latitud",
            "lon": "Longitud",
        },
        "date_format": "%d/%m/%Y %H:%M",
        # the service areas are matched by their names (any case); these are the spellings without accents
        "category_values": {
            "Transito y Movilidad": "ecu911-transito-movilidad",
            "Gestion Sanitaria": "ecu911-gestion-sanitaria",
            "Gestion de Riesgos": "ecu911-gestion-riesgos",
            "Gestion de Siniestros": "ecu911-gestion-siniestros",
        },
        "default_precision": "exact",
    },
    {
        "name": POLICE,
        "source": "policia",
        # Número de parte;Fecha y hora de la infracción;Delito;Zona;Distrito;Circuito;Subcircuito;Dirección del
        # hecho;Latitud;Longitud
        "columns": {
            "source_ref": "Número de parte",
            "occurred_at": "Fecha y hora de la infracción",
            "category": "Delito",
            "address": "Dirección del hecho",
            "lat": "Latitud",
            "lon": "Longitud",
        },
        "date_format": "%d/%m/%Y %H:%M",
        # the police's own labels (capitals, no accents, singulars) and the legal types counted as intentional
        # homicide; the DMCS names themselves are matched as they are
        "category_values": {
            "Robo a persona": "robo-personas",
            "Robo a domicilio": "robo-domicilios",
            "Robo a unidades economicas": "robo-unidades-economicas",
            "Robo de bienes, accesorios y autopartes de vehiculos": "robo-bienes-accesorios-autopartes",
            "Robo de accesorios de vehiculos": "robo-bienes-accesorios-autopartes",
            "Asesinato": "homicidio-intencional",
            "Homicidio": "homicidio-intencional",
            "Femicidio": "homicidio-intencional",
            "Sicariato": "homicidio-intencional",
            "Violencia intrafamiliar": "violencia-mujer-familia",
        },
        "default_precision": "street",  # the police geocode the address of the report
    },
]


def ensure_shipped_profiles(profile_model=None, source_model=None) -> int:
    """Create the shipped profiles that are missing (by name; an existing one is left as it is); returns how many
    were created. The models are passed by the data migration (its historical models), else the app's own."""
    if profile_model is None or source_model is None:
        from centinela.incidents.models import ImportProfile, Source

        profile_model, source_model = ImportProfile, Source
    created = 0
    for spec in PROFILES:
        source = source_model.objects.filter(code=spec["source"]).first()
        if source is None:  # the taxonomy's sources were removed by hand: nothing to attach the profile to
            continue
        _profile, new = profile_model.objects.get_or_create(
            name=spec["name"],
            defaults={
                "source": source,
                "columns": dict(spec["columns"]),
                "date_format": spec["date_format"],
                "category_values": dict(spec["category_values"]),
                "default_precision": spec["default_precision"],
            },
        )
        created += new
    return created
