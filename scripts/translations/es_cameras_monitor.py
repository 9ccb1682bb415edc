"""Spanish translations: the camera health monitor, alerts, automatic tickets, lifecycle changes and tickets."""

ES = {
    # lifecycle changes (services.py)
    "Unknown lifecycle status: %(s)s.": "Estado de ciclo de vida desconocido: %(s)s.",
    "A camera cannot go from “%(a)s” to “%(b)s”.": "Una cámara no puede pasar de «%(a)s» a «%(b)s».",
    "Say why the status changes.": "Indique por qué cambia el estado.",
    "Someone else changed this camera's status just now; reload and try again.":
        "Otra persona acaba de cambiar el estado de esta cámara; recargue e intente de nuevo.",
    # tickets
    "%(time)s on %(date)s": "%(time)s del %(date)s",
    "Describe the problem.": "Describa el problema.",
    "A ticket cannot go from “%(a)s” to “%(b)s”.": "Un ticket no puede pasar de «%(a)s» a «%(b)s».",
    "Assigned to %(who)s.": "Asignado a %(who)s.",
    "Say what caused the failure.": "Indique la causa de la falla.",
    "The cost cannot be negative.": "El costo no puede ser negativo.",
    # the monitor
    "No answer from the camera.": "La cámara no responde.",
    "Detected by the monitor: %(detail)s": "Detectado por el monitor: %(detail)s",
    "Offline again at %(time)s: %(detail)s": "Fuera de línea otra vez a las %(time)s: %(detail)s",
    "Answering the monitor's probes.": "Responde a los sondeos del monitor.",
    "Back online at %(time)s.": "Volvió en línea a las %(time)s.",
    # alerts
    "Camera offline: %(code)s · %(name)s": "Cámara fuera de línea: %(code)s · %(name)s",
    "Camera back online: %(code)s · %(name)s": "Cámara de nuevo en línea: %(code)s · %(name)s",
    "The camera %(code)s (%(name)s) at %(site)s stopped answering at %(time)s.":
        "La cámara %(code)s (%(name)s) en %(site)s dejó de responder a las %(time)s.",
    "The camera %(code)s (%(name)s) at %(site)s is back online since %(time)s.":
        "La cámara %(code)s (%(name)s) en %(site)s está de nuevo en línea desde las %(time)s.",
    "Last probe: %(detail)s": "Último sondeo: %(detail)s",
    # probe results in words (probe_messages.py)
    "the connection closed without an answer": "la conexión se cerró sin respuesta",
    "the connection closed in the middle of the answer": "la conexión se cerró a mitad de la respuesta",
    "the answer is not %(protocol)s": "la respuesta no es %(protocol)s",
    "the answer is not %(protocol)s (it answered %(other)s)": "la respuesta no es %(protocol)s (respondió %(other)s)",
    "the answer is not %(protocol)s (malformed status line)":
        "la respuesta no es %(protocol)s (línea de estado mal formada)",
    "the answer is not %(protocol)s (malformed header)": "la respuesta no es %(protocol)s (cabecera mal formada)",
    "the answer's headers are too long": "las cabeceras de la respuesta son demasiado largas",
    "malformed answer (chunked body)": "respuesta mal formada (cuerpo por partes)",
    "malformed answer (Content-Length)": "respuesta mal formada (Content-Length)",
    "answer too large (more than %(limit)s bytes)": "respuesta demasiado grande (más de %(limit)s bytes)",
    "malformed URL": "URL mal formada",
    "connection refused": "conexión rechazada",
    "the camera cut the connection": "la cámara cortó la conexión",
    "no answer in %(seconds)s s": "sin respuesta en %(seconds)s s",
    "no answer in time": "sin respuesta a tiempo",
    "server not found (unknown name)": "no se encontró el servidor (nombre desconocido)",
    "server unreachable (no network route)": "servidor inalcanzable (sin ruta de red)",
    "network error: %(error)s": "error de red: %(error)s",
    "TLS error: %(error)s": "error TLS: %(error)s",
    "unexpected error: %(error)s": "error inesperado: %(error)s",
    "invalid credentials (control characters)": "credenciales no válidas (caracteres de control)",
    "credentials rejected (401)": "credenciales rechazadas (401)",
    "the camera asks for credentials and none are configured (401)":
        "la cámara pide credenciales y no hay ninguna configurada (401)",
    "the camera asks for an authentication method Centinela does not support (401)":
        "la cámara pide un método de autenticación que Centinela no admite (401)",
    "credentials unreadable: the encryption key changed": "credenciales ilegibles: la clave de cifrado cambió",
    "no host or port to probe": "no hay servidor ni puerto que sondear",
    "nothing to probe (no URL, host or port)": "nada que sondear (sin URL, servidor ni puerto)",
    "the camera answered OPTIONS with %(status)s %(reason)s": "la cámara respondió a OPTIONS con %(status)s %(reason)s",
    "the camera answered %(status)s %(reason)s": "la cámara respondió %(status)s %(reason)s",
    "access forbidden (403)": "acceso prohibido (403)",
    "not found on the camera (404)": "no existe en la cámara (404)",
    "the camera answered HTTP %(status)s %(reason)s": "la cámara respondió HTTP %(status)s %(reason)s",
    "the answer to DESCRIBE is not SDP (%(ctype)s)": "la respuesta a DESCRIBE no es SDP (%(ctype)s)",
    "the answer to DESCRIBE has no SDP": "la respuesta a DESCRIBE no trae SDP",
    "the stream has no video": "el stream no tiene vídeo",
    "not a JPEG image (type %(ctype)s)": "no es una imagen JPEG (tipo %(ctype)s)",
    "not a JPEG image": "no es una imagen JPEG",
    "incomplete JPEG image": "imagen JPEG incompleta",
    "image too small (%(size)s bytes)": "imagen demasiado pequeña (%(size)s bytes)",
    "the answer is not ONVIF (DTD refused)": "la respuesta no es ONVIF (DTD rechazada)",
    "the answer is not ONVIF (not XML, HTTP %(status)s)": "la respuesta no es ONVIF (no es XML, HTTP %(status)s)",
    "the answer is not ONVIF (not SOAP)": "la respuesta no es ONVIF (no es SOAP)",
    "the answer is not ONVIF (SOAP without a body)": "la respuesta no es ONVIF (SOAP sin cuerpo)",
    "ONVIF credentials rejected (%(reason)s)": "ONVIF rechazó las credenciales (%(reason)s)",
    "ONVIF error: %(reason)s": "error ONVIF: %(reason)s",
    "the answer is not ONVIF (no %(operation)s)": "la respuesta no es ONVIF (sin %(operation)s)",
    "probe error: %(error)s": "error del sondeo: %(error)s",
    "TCP port %(port)s open": "puerto TCP %(port)s abierto",
    "stream answers, video %(codec)s": "el stream responde, vídeo %(codec)s",
    "stream answers, video %(codec)s, %(auth)s authentication":
        "el stream responde, vídeo %(codec)s, autenticación %(auth)s",
    "JPEG image, %(kb)s kB": "imagen JPEG, %(kb)s kB",
    "JPEG image %(width)sx%(height)s, %(kb)s kB": "imagen JPEG %(width)sx%(height)s, %(kb)s kB",
    "ONVIF %(info)s": "ONVIF %(info)s",
    "ONVIF %(info)s, clock off by %(clock)s s": "ONVIF %(info)s, reloj desfasado %(clock)s s",
    "nothing was probed": "no se sondeó nada",
    "%(detail)s (but %(notes)s)": "%(detail)s (pero %(notes)s)",
    "%(reason)s; %(kind)s works: %(detail)s": "%(reason)s; %(kind)s funciona: %(detail)s",
    "%(reason)s (the port is open)": "%(reason)s (el puerto responde)",
    # monitor_cameras command
    "%(flag)s must be a whole number of at least %(least)s (got %(value)s).":
        "%(flag)s debe ser un número entero de al menos %(least)s (se recibió %(value)s).",
    "--timeout must be a number of seconds greater than 0 (got %(value)s).":
        "--timeout debe ser un número de segundos mayor que 0 (se recibió %(value)s).",
    "--claim-seconds (%(claim)s) must be at least three times --timeout (%(timeout)s), so a claim outlives the "
    "probes made under it.":
        "--claim-seconds (%(claim)s) debe ser al menos tres veces --timeout (%(timeout)s), para que la reserva "
        "dure más que los sondeos hechos con ella.",
    "--name must have between 1 and 64 characters.": "--name debe tener entre 1 y 64 caracteres.",
}

PLURALS: dict = {}
