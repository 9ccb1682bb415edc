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
    # the fast import, its job and command
    "%(done)s of %(total)s rows": "%(done)s de %(total)s filas",
    "Reading the file": "Leyendo el archivo",
    "Locating %(n)s points": "Ubicando %(n)s puntos",
    "Checked %(n)s rows": "%(n)s filas revisadas",
    "Indexing": "Indexando",
    "The point %(lon)s, %(lat)s is outside the canton: longitude and latitude look swapped":
        "El punto %(lon)s, %(lat)s está fuera del cantón: la longitud y la latitud parecen invertidas",
    "The point %(lon)s, %(lat)s is outside the canton and outside Ecuador":
        "El punto %(lon)s, %(lat)s está fuera del cantón y fuera del Ecuador",
    "The point %(lon)s, %(lat)s is outside the canton.": "El punto %(lon)s, %(lat)s está fuera del cantón.",
    "The file cannot be read as CSV or XLSX: %(e)s": "El archivo no se puede leer como CSV ni XLSX: %(e)s",
    "Incident import": "Importación de incidentes",
    "The account that asked for this import may no longer import incidents.":
        "La cuenta que pidió esta importación ya no puede importar incidentes.",
    "The import profile no longer exists.": "El perfil de importación ya no existe.",
    "The uploaded file is no longer there; upload it again.": "El archivo subido ya no está; súbalo de nuevo.",
    "(and %(n)s more)": "(y %(n)s más)",
    "The source reference is longer than %(n)s characters":
        "El identificador en la fuente tiene más de %(n)s caracteres",
    # pages
    "Synthetic demonstration data": "Datos sintéticos de demostración",
    "the registry includes generated incidents, not real reports.":
        "el registro incluye incidentes generados, no reportes reales.",
    "Import a file": "Importar un archivo", "Import profiles": "Perfiles de importación", "Categories": "Categorías",
    "New incident": "Nuevo incidente", "Edit incident": "Editar incidente",
    "The incident is now %(status)s.": "El incidente ahora está: %(status)s.",
    "New import profile": "Nuevo perfil de importación", "Edit import profile": "Editar perfil de importación",
    "The import runs in the background; this page follows it.":
        "La importación se ejecuta en segundo plano; esta página muestra su avance.",
    "Import incidents": "Importar incidentes",
    "An incident that is %(from)s cannot become %(to)s.": "Un incidente %(from)s no puede pasar a %(to)s.",
    "Source reference column": "Columna del identificador en la fuente",
    "Date and time column": "Columna de fecha y hora", "Report date column": "Columna de fecha del reporte",
    "Category column": "Columna de categoría", "Longitude column": "Columna de longitud",
    "Latitude column": "Columna de latitud", "Address column": "Columna de dirección",
    "Precision column": "Columna de precisión",
    "The report cannot come before the incident.": "El reporte no puede ser anterior al incidente.",
    "New status": "Nuevo estado",
    "Category value mapping": "Correspondencia de valores de categoría",
    "One per line: value in the file = category code (e.g. Robo a personas (DMCS) = robo-personas).":
        "Uno por línea: valor en el archivo = código de categoría (p. ej. Robo a personas (DMCS) = robo-personas).",
    "Line %(n)s: write value = category code.": "Línea %(n)s: escriba valor = código de categoría.",
    "Line %(n)s: unknown category code %(code)s.": "Línea %(n)s: código de categoría desconocido %(code)s.",
    "This format does not read a date back (use %%d/%%m/%%Y %%H:%%M and the like).":
        "Este formato no vuelve a leer una fecha (use %%d/%%m/%%Y %%H:%%M o similar).",
    "File (CSV or XLSX)": "Archivo (CSV o XLSX)", "Import profile": "Perfil de importación",
    "Click the map to set the point. Parish and barrio are assigned from it.":
        "Haga clic en el mapa para fijar el punto. La parroquia y el barrio se asignan a partir de él.",
    "Last 7 days": "Últimos 7 días", "Last 30 days": "Últimos 30 días", "Last 90 days": "Últimos 90 días",
    "This year": "Este año", "Last year": "El año pasado", "Period": "Período", "From": "Desde", "To": "Hasta",
    "Occurred at": "Ocurrido el", "Reported at": "Reportado el", "Source reference": "Identificador en la fuente",
    "Precision": "Precisión", "Date format": "Formato de fecha", "Columns": "Columnas",
    "Cameras that saw it": "Cámaras que lo vieron", "No camera had it in view.": "Ninguna cámara lo tenía a la vista.",
    "Location": "Ubicación", "Shown by parish and barrio only.": "Se muestra solo por parroquia y barrio.",
    "Change status": "Cambiar estado", "Changes": "Cambios", "All incidents": "Todos los incidentes",
    "A CSV (any text encoding; comma, semicolon, tab or vertical bar between columns) or XLSX file exported by ECU 911, the police or another source, read with one of the import profiles. The file is checked row by row first; nothing is saved until you confirm, a file with any error changes nothing, and rows already in the registry are skipped, so importing the same file twice adds nothing.":
        "Un archivo CSV (cualquier codificación de texto; columnas separadas por coma, punto y coma, tabulador o barra vertical) o XLSX exportado por el ECU 911, la Policía u otra fuente, leído con uno de los perfiles de importación. Primero se revisa fila por fila; nada se guarda hasta que usted confirme, un archivo con cualquier error no cambia nada y las filas que ya están en el registro se omiten, así que importar dos veces el mismo archivo no agrega nada.",
    "Only the first %(n)s are listed.": "Solo se listan los primeros %(n)s.",
    "%(rows)s rows checked: %(new)s new, %(old)s already in the registry, %(np)s without parish.":
        "%(rows)s filas revisadas: %(new)s nuevas, %(old)s ya en el registro, %(np)s sin parroquia.",
    "First rows as they will be saved": "Primeras filas tal como se guardarán",
    "Group": "Grupo", "Source": "Fuente",
    "Row": "Fila", "Already imported": "Ya importada", "Confirm and import": "Confirmar e importar",
    "Check the file": "Revisar el archivo", "All background jobs": "Todos los trabajos en segundo plano",
}

# reading any table (lib/tables.py) and the import preview
ES.update({
    "it is an old Excel workbook (.xls): save it as XLSX or CSV":
        "es un libro de Excel antiguo (.xls): guárdelo como XLSX o CSV",
    "it is a binary file (an image, a PDF, a compressed file...), not a table":
        "es un archivo binario (una imagen, un PDF, un archivo comprimido...), no una tabla",
    "its text encoding cannot be recognised; save it again as UTF-8 CSV":
        "no se reconoce su codificación de texto; guárdelo de nuevo como CSV UTF-8",
    "it is a compressed file but not an XLSX workbook": "es un archivo comprimido pero no un libro XLSX",
    "comma": "coma", "semicolon": "punto y coma", "tab": "tabulador", "vertical bar": "barra vertical",
    "Read as %(encoding)s text, columns separated by %(delimiter)s.":
        "Leído como texto %(encoding)s, columnas separadas por %(delimiter)s.",
    "Unused columns (the profile does not map them; they are not imported):":
        "Columnas no usadas (el perfil no las asigna; no se importan):",
})

ES.update({
    "byte 0x%(byte)02X cannot be read as %(encoding)s text (the file mixes text encodings; save it again as UTF-8 "
    "CSV)": "el byte 0x%(byte)02X no se puede leer como texto %(encoding)s (el archivo mezcla codificaciones de "
            "texto; guárdelo de nuevo como CSV UTF-8)",
})

PLURALS: dict = {
    "row %(rows)s: %(detail)s": ("fila %(rows)s: %(detail)s", "filas %(rows)s: %(detail)s"),
}

# Words whose Spanish gender depends on what they qualify (msgctxt "\x04" msgid)
ES.update({
    "incident status\x04Reported": "Reportado",
})
