"""Spanish translations of the live network dashboard: the map that follows the cameras' status, its refresh
notes, and the degraded status."""

ES = {
    "Degraded": "Degradada",
    "The map follows the live status of the cameras: it refreshes every 10 seconds.":
        "El mapa sigue el estado en vivo de las cámaras: se actualiza cada 10 segundos.",
    "The map could not be refreshed: its colours may be out of date.":
        "No se pudo actualizar el mapa: sus colores pueden estar desactualizados.",
}

PLURALS: dict = {}
