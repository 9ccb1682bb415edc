"""Spanish for the camera network's safety (issue 10, item 1): who sees how to reach a camera, credentials that
are rejected or cannot be decrypted, the monitor's network allowance and its schedule lag."""

ES = {
    "Credentials rejected": "Credenciales rechazadas",
    "Not seen yet": "Aún no vista",
    "authentication seen": "autenticación vista",
    "The monitor is behind schedule": "El monitor va atrasado",
    "Due probes start %(lag)s s late: some cameras are probed less often than set (many cameras not answering, or "
    "too many for the monitor's concurrency).":
        "Las sondas pendientes empiezan con %(lag)s s de retraso: algunas cámaras se sondean con menos frecuencia de "
        "la configurada (muchas cámaras no responden, o son demasiadas para la concurrencia del monitor).",
    "Only the network administrators may change a camera's addresses or credentials.":
        "Solo los administradores de la red pueden cambiar las direcciones o credenciales de una cámara.",
    "stored": "guardadas",
    "dropped: the camera's address changed": "descartadas: cambió la dirección de la cámara",
    "Credentials unreadable: enter them again. The stored password cannot be decrypted with the current key "
    "(CAMERA_CREDENTIALS_KEY changed, or the key file was not restored).":
        "Credenciales ilegibles: vuelva a ingresarlas. La contraseña guardada no se puede descifrar con la clave "
        "actual (cambió CAMERA_CREDENTIALS_KEY o no se restauró el archivo de la clave).",
    "Host and port": "Host y puerto",
    "Credentials unreadable: enter them again.": "Credenciales ilegibles: vuelva a ingresarlas.",
    "changed (hidden)": "cambiado (oculto)",
    "refused: the camera asked for Basic authentication after Digest (password not sent)":
        "rechazado: la cámara pidió autenticación Basic después de Digest (no se envió la contraseña)",
    "address not allowed to the monitor (CAMERA_ALLOWED_NETWORKS)":
        "dirección no permitida al monitor (CAMERA_ALLOWED_NETWORKS)",
    "port %(port)s not allowed to the monitor (CAMERA_ALLOWED_PORTS)":
        "puerto %(port)s no permitido al monitor (CAMERA_ALLOWED_PORTS)",
    "Camera refuses its credentials: %(code)s · %(name)s": "Cámara rechaza sus credenciales: %(code)s · %(name)s",
    "The camera %(code)s (%(name)s) at %(site)s answers but refuses the stored credentials (or they cannot be "
    "decrypted) since %(time)s: a network manager must enter them again.":
        "La cámara %(code)s (%(name)s) en %(site)s responde pero rechaza las credenciales guardadas (o no se pueden "
        "descifrar) desde %(time)s: un administrador de la red debe ingresarlas de nuevo.",
    "The server does not send webhooks to %(host)s: the server's administrator allows hosts in "
    "ALERT_WEBHOOK_HOSTS.":
        "El servidor no envía webhooks a %(host)s: el administrador del servidor permite hosts en "
        "ALERT_WEBHOOK_HOSTS.",
    "The server does not send webhooks to port %(port)s: the server's administrator allows ports in "
    "ALERT_WEBHOOK_PORTS.":
        "El servidor no envía webhooks al puerto %(port)s: el administrador del servidor permite puertos en "
        "ALERT_WEBHOOK_PORTS.",
    "A webhook URL starts with https:// or http:// and carries no user or password.":
        "La URL de un webhook empieza con https:// o http:// y no lleva usuario ni contraseña.",
}
