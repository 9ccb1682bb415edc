"""Spanish translations of the incident registry: taxonomy, sources, incidents, import profiles and imports."""

ES = {
    # app and models
    "Incidents": "Incidentes", "incident": "incidente", "incidents": "incidentes",
    "incident category": "categoría de incidente", "incident categories": "categorías de incidentes",
    "incident source": "fuente de incidentes", "incident sources": "fuentes de incidentes",
    "import profile": "perfil de importación", "import profiles": "perfiles de importación",
    "Crimes of major social concern (DMCS)": "Delitos de mayor connotación social (DMCS)",
    "Contraventions": "Contravenciones",
    "Violence against women or within the family": "Violencia contra la mujer o miembros del núcleo familiar",
    "ECU 911 service area": "Servicio del ECU 911",
    "parent category": "categoría superior", "group": "grupo",
    "column mapping": "correspondencia de columnas", "date format": "formato de fecha",
    "strftime format of the date column; empty: ISO dates.":
        "Formato strftime de la columna de fecha; vacío: fechas ISO (AAAA-MM-DD HH:MM).",
    "category value mapping": "correspondencia de valores de categoría", "default precision": "precisión por defecto",
    "Exact": "Exacta", "Street": "Calle",
    "Discarded": "Descartado",
    "source reference": "identificador en la fuente", "occurred at": "ocurrido el", "reported at": "reportado el",
    "category": "categoría",
    "precision": "precisión", "row hash": "huella de la fila", "created at": "creado el",
    # imports
    "The file has no rows.": "El archivo no tiene filas.",
    "The profile does not map: %(f)s": "El perfil no indica la columna de: %(f)s",
    "Columns not in the file: %(c)s": "Columnas que no están en el archivo: %(c)s",
    "Missing value: %(f)s": "Falta un valor: %(f)s",
    "Unparseable date: %(v)s": "Fecha ilegible: %(v)s",
    "Unknown category: %(v)s": "Categoría desconocida: %(v)s",
    "Coordinates are not numbers: %(lon)s, %(lat)s": "Las coordenadas no son números: %(lon)s, %(lat)s",
    "Unknown precision: %(v)s": "Precisión desconocida: %(v)s",
    "The point %(lon)s, %(lat)s is outside the canton (coordinates swapped?)":
        "El punto %(lon)s, %(lat)s está fuera del cantón (¿coordenadas invertidas?)",
    "Duplicate id in the file (also row %(n)s)": "Identificador repetido en el archivo (también en la fila %(n)s)",
    "Unknown source: %(c)s": "Fuente desconocida: %(c)s",
    "Unknown fields: %(f)s": "Campos desconocidos: %(f)s",
    # commands
    "Expected %(w)s=value, got %(v)s": "Se esperaba %(w)s=valor, se recibió %(v)s",
    "Profile %(name)s saved.": "Perfil %(name)s guardado.",
    "Unknown import profile: %(name)s": "Perfil de importación desconocido: %(name)s",
    "File not found: %(path)s": "Archivo no encontrado: %(path)s",
    "%(n)s problems; nothing was imported.": "%(n)s problemas; no se importó nada.",
    "%(rows)s rows: %(new)s new, %(old)s already imported, %(np)s without parish.":
        "%(rows)s filas: %(new)s nuevas, %(old)s ya importadas, %(np)s sin parroquia.",
    "%(n)s incidents created.": "%(n)s incidentes creados.",
    "Dry run: nothing was changed.": "Simulación: no se cambió nada.",
}

PLURALS: dict = {}
