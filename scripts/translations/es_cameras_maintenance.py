"""Spanish translations of a camera's and a site's availability (uptime, outages, mean time to repair by day and
month), preventive maintenance marked as done, and reactivations linked to a video-surveillance activity."""

ES = {
    # availability on the camera's and the site's pages
    "Availability": "Disponibilidad",
    "Uptime, last 30 days": "Disponibilidad, últimos 30 días",
    "Outages, last 30 days": "Caídas, últimos 30 días",
    "Mean time to repair, last 30 days": "Tiempo medio de reparación, últimos 30 días",
    "%(h)s h": "%(h)s h",
    "No monitored time yet: availability is counted from the monitor's first probe.":
        "Aún no hay tiempo monitoreado: la disponibilidad se cuenta desde el primer sondeo del monitor.",
    "By month": "Por mes",
    "Mean time to repair (h)": "Tiempo medio de reparación (h)",
    "Day by day, last 30 days": "Día a día, últimos 30 días",
    # preventive maintenance done
    "Last done": "Última realización",
    "never recorded": "nunca registrada",
    "Done on": "Realizado el",
    "Note": "Nota",
    "Mark as done": "Marcar como realizado",
    "Give the date it was done.": "Indique la fecha en que se realizó.",
    "The date it was done cannot be in the future.": "La fecha de realización no puede ser futura.",
    "Not recorded (%(task)s, %(code)s): %(problems)s": "No se registró (%(task)s, %(code)s): %(problems)s",
    "Done recorded: %(task)s at %(code)s, next due on %(date)s.":
        "Realización registrada: %(task)s en %(code)s; próxima fecha: %(date)s.",
    # reactivation
    "When the camera returns to service after being abandoned: the video-surveillance programme activity that "
    "reactivated it.":
        "Cuando la cámara vuelve a funcionar después de haber estado abandonada: la actividad del programa de "
        "videovigilancia que la reactivó.",
    "Only a camera returning to service after being abandoned is linked to a reactivation activity.":
        "Solo una cámara que vuelve a funcionar después de haber estado abandonada se vincula a una actividad de "
        "reactivación.",
    "Choose an activity of the video-surveillance programme.": "Elija una actividad del programa de videovigilancia.",
}

PLURALS = {
    "%(n)s ticket resolved": ("%(n)s orden resuelta", "%(n)s órdenes resueltas"),
    "%(n)s outage ended": ("%(n)s caída terminada", "%(n)s caídas terminadas"),
    "overdue by %(n)s day": ("vencida hace %(n)s día", "vencida hace %(n)s días"),
}
