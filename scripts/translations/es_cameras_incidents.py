"""Spanish translations of incidents and cameras: incidents seen by cameras (sightings), footage requests for an
incident, the share of incidents in view of a working camera (dashboard and yearly report)."""

ES = {
    # models
    "The incident in the registry, when it is there.": "El incidente en el registro, si está en él.",
    "linked automatically": "vinculado automáticamente", "camera working at the time": "cámara funcionando en ese momento",
    "distance (m)": "distancia (m)", "linked by": "vinculado por", "linked at": "vinculado el",
    "incident seen by a camera": "incidente visto por una cámara",
    "incidents seen by cameras": "incidentes vistos por cámaras",
    # services and forms
    "This incident is already linked to this camera.": "Este incidente ya está vinculado a esta cámara.",
    "The camera was not installed yet when the incident happened.":
        "La cámara aún no estaba instalada cuando ocurrió el incidente.",
    "There is no incident with that number that you may see.":
        "No hay ningún incidente con ese número que usted pueda ver.",
    "Incident number": "Número de incidente",
    "The incident's number in the registry. For an incident not in the registry, leave it empty and write its "
    "reference below.":
        "El número del incidente en el registro. Si el incidente no está en el registro, déjelo vacío y escriba "
        "su referencia abajo.",
    "You may not link this incident to this camera.": "No puede vincular este incidente a esta cámara.",
    "Incident linked to the camera.": "Incidente vinculado a la cámara.",
    "Link removed.": "Vínculo eliminado.",
    # device page
    "Incidents in view": "Incidentes a la vista",
    "Incident": "Incidente", "Camera working": "Cámara funcionando", "Distance (m)": "Distancia (m)",
    "Link": "Vínculo", "automatic": "automático", "by hand": "a mano", "Unlink": "Desvincular",
    "Link an incident": "Vincular un incidente",
    # the incident's cameras
    "Cameras that saw it": "Cámaras que lo vieron", "working at the time": "funcionando en ese momento",
    "not working at the time": "sin funcionar en ese momento", "No camera had it in view.": "Ninguna cámara lo tenía a la vista.",
    "answered": "respondido", "New footage request": "Nuevo pedido de video",
    # dashboard and report
    "Includes synthetic demo data, not real incidents.":
        "Incluye datos sintéticos de demostración, no incidentes reales.",
    "of the incidents of %(year)s happened in view of a working camera (%(n)s of %(total)s).":
        "de los incidentes de %(year)s ocurrieron a la vista de una cámara en funcionamiento (%(n)s de %(total)s).",
    "%(figure)s (synthetic demo data)": "%(figure)s (datos sintéticos de demostración)",
    "Incidents registered in the year": "Incidentes registrados en el año",
    "Incidents in view of a working camera": "Incidentes a la vista de una cámara en funcionamiento",
    "Share of incidents in view of a working camera": "Proporción de incidentes a la vista de una cámara en funcionamiento",
}

PLURALS = {
    "%(n)s incident happened in this camera's view (%(w)s while it was working).": (
        "%(n)s incidente ocurrió a la vista de esta cámara (%(w)s mientras funcionaba).",
        "%(n)s incidentes ocurrieron a la vista de esta cámara (%(w)s mientras funcionaba).",
    ),
}
