"""The categories and sources that ship: Ecuador's DMCS, contraventions, gender/family violence and the ECU 911
service areas (../shared/reference/loja.md). Used by the data migration; administrators extend it in the admin."""

DMCS = "dmcs"
CATEGORIES = [
    # (code, name, group)
    ("homicidio-intencional", "Homicidio intencional", DMCS),
    ("robo-personas", "Robo a personas", DMCS),
    ("robo-domicilios", "Robo a domicilios", DMCS),
    ("robo-unidades-economicas", "Robo a unidades económicas", DMCS),
    ("robo-carros", "Robo de carros", DMCS),
    ("robo-motos", "Robo de motos", DMCS),
    ("robo-bienes-accesorios-autopartes", "Robo de bienes, accesorios y autopartes de vehículos", DMCS),
    ("robo-ejes-viales", "Robo en ejes viales", DMCS),
    ("contravenciones", "Contravenciones", "contravention"),
    ("violencia-mujer-familia", "Violencia contra la mujer o miembros del núcleo familiar", "violence_gender_family"),
    ("ecu911-seguridad-ciudadana", "Seguridad ciudadana", "ecu911_service"),
    ("ecu911-gestion-sanitaria", "Gestión sanitaria", "ecu911_service"),
    ("ecu911-transito-movilidad", "Tránsito y movilidad", "ecu911_service"),
    ("ecu911-gestion-riesgos", "Gestión de riesgos", "ecu911_service"),
    ("ecu911-servicios-municipales", "Servicios municipales", "ecu911_service"),
    ("ecu911-gestion-siniestros", "Gestión de siniestros", "ecu911_service"),
    ("ecu911-servicios-militares", "Servicios militares", "ecu911_service"),
]

SOURCES = [
    ("ecu911", "ECU 911"),
    ("policia", "Policía Nacional"),
    ("fiscalia", "Fiscalía"),
    ("consejo", "Consejo Cantonal de Seguridad Ciudadana"),
    ("ciudadania", "Reporte ciudadano"),
]


def ensure_taxonomy(category_model, source_model) -> None:
    """Create the shipped categories and sources that are missing (the data migration, and tests whose database
    was flushed)."""
    for code, name, group in CATEGORIES:
        category_model.objects.get_or_create(code=code, defaults={"name": name, "group": group})
    for code, name in SOURCES:
        source_model.objects.get_or_create(code=code, defaults={"name": name})
