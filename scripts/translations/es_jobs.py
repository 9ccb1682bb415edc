ES = {
    "Background jobs": "Trabajos en segundo plano",
    "Queued": "En cola",
    "Running": "En curso",
    "Done": "Terminado",
    "Failed": "Falló",
    "kind": "tipo",
    "parameters": "parámetros",
    "progress": "avance",
    "message": "mensaje",
    "result": "resultado",
    "error": "error",
    "started at": "iniciado el",
    "finished at": "terminado el",
    "worker": "proceso",
    "last heartbeat": "última señal",
    "job": "trabajo",
    "jobs": "trabajos",
    "Progress": "Avance",
    "No job worker is running: this job will wait until one starts (<code>manage.py run_jobs</code>; <code>make run</code> starts one).":
        "No hay ningún proceso de trabajos activo: este trabajo esperará hasta que arranque uno (<code>manage.py run_jobs</code>; <code>make run</code> lo arranca).",
    "No job worker is running: queued jobs wait until one starts (<code>manage.py run_jobs</code>).":
        "No hay ningún proceso de trabajos activo: los trabajos en cola esperan hasta que arranque uno (<code>manage.py run_jobs</code>).",
    "See the result": "Ver el resultado",
    "Asked for": "Solicitado",
    "All background jobs": "Todos los trabajos en segundo plano",
    "Kind": "Tipo",
    "By": "Por",
    "No jobs yet.": "Aún no hay trabajos.",
    "created by": "creado por",
    # the queue that survives (retries, lost workers, no-worker notice), boundary imports and reports on the queue
    "attempts": "intentos",
    "not before": "no antes de",
    "The job could not be completed after %(n)s attempts. Last problem: %(reason)s":
        "El trabajo no pudo completarse después de %(n)s intentos. Último problema: %(reason)s",
    "the worker running it stopped (no sign of life since %(time)s).":
        "el proceso que lo ejecutaba se detuvo (sin señales de vida desde %(time)s).",
    "the database was not available while it ran.": "la base de datos no estaba disponible mientras se ejecutaba.",
    "the database was not available (%(error)s).": "la base de datos no estaba disponible (%(error)s).",
    "Internal error; the administrator can find it in the worker's log (%(error)s).":
        "Error interno; el administrador puede verlo en el registro del proceso de trabajos (%(error)s).",
    "No job worker is running: imports, analyses and reports asked for here wait in the queue until one starts "
    "(<code>manage.py run_jobs</code>; <code>make run</code> starts one). Tell the administrator.":
        "No hay ningún proceso de trabajos en marcha: las importaciones, análisis e informes que se pidan aquí "
        "esperarán en la cola hasta que arranque uno (<code>manage.py run_jobs</code>; <code>make run</code> arranca "
        "uno). Avise al administrador.",
    "Attempt %(n)s did not finish; the job will be tried again.":
        "El intento %(n)s no terminó; el trabajo se intentará de nuevo.",
    "Boundary import": "Importación de límites",
    "The account that asked for this import may no longer import boundaries.":
        "La cuenta que pidió esta importación ya no puede importar límites.",
    "Reading the file": "Leyendo el archivo",
    "The account that asked for this report may no longer read it.":
        "La cuenta que pidió este informe ya no puede leerlo.",
    "Unknown report format: %(f)s.": "Formato de informe desconocido: %(f)s.",
    "Building the report": "Elaborando el informe",
    "The report is being built in the background; this page follows it.":
        "El informe se está elaborando en segundo plano; esta página sigue su avance.",
}
