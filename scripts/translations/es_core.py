"""Spanish translations of the platform's strings (territory, accounts, shared templates)."""

ES = {
    "Accounts": "Cuentas", "Administrator": "Administrador/a", "Director": "Director/a", "Technician": "Técnico/a",
    "Institutional liaison": "Enlace institucional", "Parish president": "Presidente/a parroquial",
    "Cantonal Citizen Security Council": "Concejo Cantonal de Seguridad Ciudadana", "National Police": "Policía Nacional",
    "ECU 911": "SIS ECU 911", "Fire brigade": "Cuerpo de Bomberos", "Parish council": "Junta parroquial",
    "Other institution": "Otra institución", "role": "rol", "institution": "institución", "parish": "parroquia",
    "Required for parish presidents: the only parish whose records they see and edit.":
        "Obligatoria para presidentes parroquiales: la única parroquia cuyos registros ven y editan.",
    "phone": "teléfono", "cédula": "cédula", "user": "usuario", "users": "usuarios", "name": "nombre",
    "API token": "token de API", "Audit trail": "Auditoría", "file": "archivo", "row %(n)s": "fila %(n)s",
    "You may not save this record here (it belongs to another parish).":
        "No puede guardar este registro aquí (pertenece a otra parroquia).",
    "Saved.": "Guardado.", "Spanish (Ecuador)": "Español (Ecuador)", "English": "Inglés", "Menu": "Menú", "Map": "Mapa",
    "Parishes": "Parroquias", "Barrios": "Barrios", "Places": "Lugares", "Administration": "Administración",
    "Log out": "Salir", "Language": "Idioma",
    "Cantonal Citizen Security Council of Loja": "Concejo Cantonal de Seguridad Ciudadana de Loja",
    "Add": "Agregar", "Filter": "Filtrar", "Nothing matches these filters.": "Nada coincide con estos filtros.",
    "Account locked": "Cuenta bloqueada",
    "Too many failed login attempts. Try again in 15 minutes or ask an administrator to unlock the account.":
        "Demasiados intentos fallidos. Intente de nuevo en 15 minutos o pida a un administrador que desbloquee la cuenta.",
    "Log in": "Ingresar",
    "Information system of the Cantonal Citizen Security Council of Loja.":
        "Sistema de información del Concejo Cantonal de Seguridad Ciudadana de Loja.",
    "Forgot your password?": "¿Olvidó su contraseña?", "Password changed": "Contraseña cambiada",
    "Change your password": "Cambiar su contraseña", "Save": "Guardar", "Choose a new password": "Elija una nueva contraseña",
    "This link is no longer valid. Ask for a new one.": "Este enlace ya no es válido. Solicite uno nuevo.",
    "Check your e-mail": "Revise su correo",
    "If an account has that address, a link to choose a new password is on its way.":
        "Si una cuenta tiene esa dirección, le llegará un enlace para elegir una nueva contraseña.",
    "You (or someone) asked to reset your Centinela password. Choose a new one here:":
        "Usted (u otra persona) pidió restablecer su contraseña de Centinela. Elija una nueva aquí:",
    "Your user name:": "Su nombre de usuario:",
    "If you did not ask for this, ignore this message.": "Si usted no lo pidió, ignore este mensaje.",
    "Reset your password": "Restablecer su contraseña",
    "Enter your e-mail address and we will send you a link to choose a new password.":
        "Ingrese su correo electrónico y le enviaremos un enlace para elegir una nueva contraseña.",
    "Send": "Enviar", "Centinela: choose a new password": "Centinela: elija una nueva contraseña",
    "Barrio": "Barrio", "Edit": "Editar", "Code": "Código", "Parish": "Parroquia", "Boundary": "Límite",
    "approximate": "aproximado", "Area (km²)": "Superficie (km²)", "Notes": "Notas", "None recorded.": "Ninguno registrado.",
    "Cancel": "Cancelar", "Click the map to set the point.": "Haga clic en el mapa para ubicar el punto.",
    "Map of the canton": "Mapa del cantón", "Canton of Loja": "Cantón Loja",
    "Parish and barrio areas are approximate (drawn from their centres) until official boundaries are imported.":
        "Las áreas de parroquias y barrios son aproximadas (trazadas desde sus centros) hasta que se importen los límites oficiales.",
    "Urban": "Urbana", "Rural": "Rural", "Urban parishes": "Parroquias urbanas", "Rural parishes": "Parroquias rurales", "Legend": "Leyenda", "Urban parish": "Parroquia urbana",
    "Rural parish": "Parroquia rural", "Approximate boundary": "Límite aproximado",
    "Place (click for details)": "Lugar (clic para ver detalles)", "INEC code": "Código INEC (DPA)", "Type": "Tipo",
    "Seat / other name": "Cabecera / otro nombre", "Canton": "Cantón", "Population": "Población", "census": "censo",
    "no census figure recorded yet": "aún sin cifra censal registrada", "Coordinates": "Coordenadas",
    "Location verified": "Ubicación verificada", "Address": "Dirección", "Territory": "Territorio",
    "The file does not exist.": "El archivo no existe.",
    "The file cannot be read as GeoJSON, Shapefile or GeoPackage: %(e)s":
        "El archivo no se puede leer como GeoJSON, Shapefile o GeoPackage: %(e)s",
    "Field %(f)s is missing; the file has: %(all)s": "Falta el campo %(f)s; el archivo tiene: %(all)s",
    "The file does not say its coordinate reference system (CRS).":
        "El archivo no indica su sistema de referencia de coordenadas (CRS).",
    "Unknown coordinate reference system: %(crs)s": "Sistema de referencia de coordenadas desconocido: %(crs)s",
    "feature %(n)s": "elemento %(n)s", "The name field (%(f)s) is empty.": "El campo de nombre (%(f)s) está vacío.",
    "The code field (%(f)s) is empty.": "El campo de código (%(f)s) está vacío.",
    "The geometry is empty.": "La geometría está vacía.",
    "The geometry is a %(t)s, not a polygon.": "La geometría es un %(t)s, no un polígono.",
    "The geometry is a %(t)s, not %(e)s.": "La geometría es un %(t)s, no %(e)s.", "a polygon": "un polígono", "a line": "una línea",
    "The line has no length.": "La línea no tiene longitud.",
    "The street lies outside every parish of the canton.": "La calle queda fuera de todas las parroquias del cantón.",
    "street segment": "tramo de calle", "street segments": "tramos de calle", "line": "línea", "length (m)": "longitud (m)",
    "Streets": "Calles", "zero area": "superficie nula",
    "Invalid polygon that cannot be repaired (%(r)s).": "Polígono inválido que no se puede reparar (%(r)s).",
    "repaired: %(r)s": "reparado: %(r)s",
    "The coordinates are not longitude/latitude after reprojection; check the CRS.":
        "Las coordenadas no son longitud/latitud tras reproyectar; revise el CRS.",
    "Code %(c)s is repeated (also in row %(n)s).": "El código %(c)s se repite (también en la fila %(n)s).",
    "Load the canton first (manage.py load_demo or a gazetteer).":
        "Cargue primero el cantón (manage.py load_demo o un nomenclátor).",
    "The barrio lies outside every parish of the canton.": "El barrio queda fuera de todas las parroquias del cantón.",
    "Name": "Nombre", "Latitude": "Latitud", "Longitude": "Longitud", "Verified": "Verificado", "yes": "sí", "no": "no",
    "Search": "Buscar", "Approximate (drawn by Centinela)": "Aproximado (trazado por Centinela)",
    "Imported boundary": "Límite importado", "code": "código", "province": "provincia", "outline": "contorno",
    "canton": "cantón", "cantons": "cantones", "centre longitude": "longitud del centro",
    "centre latitude": "latitud del centro", "boundary": "límite", "boundary source": "origen del límite",
    "area (km²)": "superficie (km²)", "notes": "notas", "type": "tipo",
    "parish seat / other name": "cabecera parroquial / otro nombre", "parishes": "parroquias",
    "census year": "año del censo", "population": "población", "source": "fuente",
    "parish population": "población parroquial", "barrio": "barrio", "barrios": "barrios", "Park": "Parque",
    "Market": "Mercado", "Municipal building": "Edificio municipal", "Bank": "Banco", "Health centre": "Centro de salud",
    "School": "Escuela / colegio", "Police unit (UPC)": "Unidad de Policía Comunitaria (UPC)",
    "Fire station": "Estación de bomberos", "Facility": "Instalación", "Care home": "Hogar de acogida", "Other": "Otro",
    "longitude": "longitud", "latitude": "latitud", "address": "dirección", "location verified": "ubicación verificada",
    "Checked on the ground or against an official source.": "Comprobada en el terreno o con una fuente oficial.",
    "place": "lugar", "places": "lugares",
    "Barrio %(name)s lies outside every parish.": "El barrio %(name)s queda fuera de todas las parroquias.",
    "The point (%(lat).5f, %(lon).5f) lies outside the canton.": "El punto (%(lat).5f, %(lon).5f) está fuera del cantón.",
    "The centre lies outside the canton.": "El centro está fuera del cantón.",
    "New place": "Nuevo lugar", "Edit place": "Editar lugar", "New barrio": "Nuevo barrio", "Edit barrio": "Editar barrio",
    "Edit parish": "Editar parroquia", "When": "Cuándo", "Who": "Quién", "Action": "Acción", "Record type": "Tipo de registro",
    "Record": "Registro", "What changed": "Qué cambió", "system": "sistema", "created": "creado", "updated": "modificado",
    "deleted": "eliminado", "accessed": "consultado", "added": "añadido", "removed": "quitado", "User": "Usuario", "Date (from - to)": "Fecha (desde - hasta)",
    "The centre lies in parish %(found)s, not in %(chosen)s.": "El centro está en la parroquia %(found)s, no en %(chosen)s.",
    "Population (census %(year)s)": "Población (censo %(year)s)",
    "Files of this type are not accepted. Accepted: %(ext)s": "No se aceptan archivos de este tipo. Se aceptan: %(ext)s",
    "The file is too large (%(size).1f MB; at most %(max).0f MB).":
        "El archivo es demasiado grande (%(size).1f MB; máximo %(max).0f MB).",
    "Import boundaries": "Importar límites",
    "Official parish or barrio boundaries, in any coordinate system. Existing areas are updated by code, keeping every record linked to them. Nothing is saved until you confirm, and a file with any error changes nothing.":
        "Límites oficiales de parroquias o barrios, en cualquier sistema de coordenadas. Las áreas existentes se actualizan por código y conservan todos sus registros vinculados. Nada se guarda hasta que usted confirme, y un archivo con cualquier error no cambia nada.",
    "%(u)s to update, %(c)s to create, %(r)s repaired.": "%(u)s por actualizar, %(c)s por crear, %(r)s reparados.",
    "Confirm and import": "Confirmar e importar", "Check the file": "Revisar el archivo",
    "That upload has expired; upload the file again.": "Esa carga ha expirado; suba el archivo de nuevo.",
    "Boundaries imported: %(counts)s": "Límites importados: %(counts)s",
    "File (GeoJSON, zipped Shapefile or GeoPackage)": "Archivo (GeoJSON, Shapefile comprimido en ZIP o GeoPackage)",
    "Level": "Nivel", "Name field": "Campo del nombre", "Code field": "Campo del código",
}
PLURALS = {
    "%(n)s record": ("%(n)s registro", "%(n)s registros"),
    "%(n)s problem found; nothing was imported.": (
        "Se encontró %(n)s problema; no se importó nada.", "Se encontraron %(n)s problemas; no se importó nada."
    ),
}

ES.update({
    "Not found": "No encontrado", "This page does not exist, or it is not yours to see.": "Esta página no existe, o no le corresponde verla.",
    "Back to the map": "Volver al mapa", "Not allowed": "No permitido",
    "Your role does not allow this. If you need it, ask an administrator.": "Su rol no lo permite. Si lo necesita, pídalo a un administrador.",
})
