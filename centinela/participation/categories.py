"""The report categories that ship (issue 12): used by the data migration and by tests whose database was flushed.
The council edits them afterwards in the admin (names, time limits, new ones); categories are retired, never
deleted, since reports keep pointing at them."""

# (code, name, sensitive, days to resolve, order). Sensitive: drugs and violence, never shown as points in public.
CATEGORIES = [
    ("alumbrado-deficiente", "Alumbrado deficiente", False, 15, 10),
    ("lugar-abandonado", "Lugar abandonado", False, 30, 20),
    ("drogas-via-publica", "Consumo o venta de drogas en vía pública", True, 15, 30),
    ("camara-danada", "Cámara dañada", False, 10, 40),
    ("rina-violencia-recurrente", "Riña o violencia recurrente", True, 10, 50),
    ("ruido-libadores", "Ruido y libadores", False, 15, 60),
    ("vehiculo-abandonado", "Vehículo abandonado", False, 30, 70),
    ("otro", "Otro", False, 30, 99),
]

# The category whose reports name a camera and open its maintenance ticket (participation.services.file_report).
CAMERA_CATEGORY = "camara-danada"


def ensure_categories(category_model) -> None:
    """Create the shipped categories that are missing; those the council changed are left as they are."""
    for code, name, sensitive, days, order in CATEGORIES:
        category_model.objects.get_or_create(
            code=code, defaults={"name": name, "sensitive": sensitive, "days_to_resolve": days, "order": order}
        )
