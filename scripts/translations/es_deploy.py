ES = {
    # /salud/ (centinela/lib/health.py)
    "The database does not answer.": "La base de datos no responde.",
    "The worker's heartbeat cannot be read (database).":
        "No se puede leer la señal de vida del proceso de trabajos (base de datos).",
    "No job worker (run_jobs) has ever reported.": "Ningún proceso de trabajos (run_jobs) ha dado señales de vida.",
    "The job worker (run_jobs) has not reported for %(age)d s (at most %(limit)d s).":
        "El proceso de trabajos (run_jobs) no da señales de vida desde hace %(age)d s (máximo %(limit)d s).",
    "The camera monitor (monitor_cameras) has never reported.":
        "El monitor de cámaras (monitor_cameras) nunca ha dado señales de vida.",
    "The camera monitor (monitor_cameras) has not reported for %(age)d s (at most %(limit)d s).":
        "El monitor de cámaras (monitor_cameras) no da señales de vida desde hace %(age)d s (máximo %(limit)d s).",
    "The free space on the media disk cannot be read.": "No se puede leer el espacio libre del disco de archivos.",
    "Only %(free)d MB free on the media disk (at least %(least)d MB).":
        "Solo quedan %(free)d MB libres en el disco de archivos (mínimo %(least)d MB).",
    # manage.py create_admin
    "A user name is required.": "Falta el nombre de usuario.",
    "There is already a user named %(username)s.": "Ya existe un usuario llamado %(username)s.",
    "Password: ": "Contraseña: ",
    "Password (again): ": "Contraseña (otra vez): ",
    "The two passwords differ.": "Las dos contraseñas no coinciden.",
    "No terminal to ask for the password: use --password-stdin.":
        "No hay una terminal para pedir la contraseña: use --password-stdin.",
    "Administrator %(username)s created.": "Administrador %(username)s creado.",
}
