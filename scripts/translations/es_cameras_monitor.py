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
}

PLURALS: dict = {}
