"""Spanish translations: backup and restore (manage.py backup / restore)."""
ES = {
    "%(program)s was not found: install the PostgreSQL client of the server's version (Debian: postgresql-client-%(major)s) or set PG_BIN_DIR.":
        "No se encontró %(program)s: instale el cliente de PostgreSQL de la versión del servidor (Debian: postgresql-client-%(major)s) o configure PG_BIN_DIR.",
    "%(program)s failed: %(error)s": "%(program)s falló: %(error)s",
    "pg_dump %(client)s cannot dump a PostgreSQL %(server)s server: install postgresql-client-%(server)s or set PG_BIN_DIR.":
        "pg_dump %(client)s no puede respaldar un servidor PostgreSQL %(server)s: instale postgresql-client-%(server)s o configure PG_BIN_DIR.",
    "%(path)s already exists; choose another file name.": "%(path)s ya existe; elija otro nombre de archivo.",
    "Backups support SQLite and PostgreSQL, not %(vendor)s.":
        "Las copias de seguridad admiten SQLite y PostgreSQL, no %(vendor)s.",
    "%(path)s is not a Centinela backup.": "%(path)s no es una copia de seguridad de Centinela.",
    "This backup has format %(format)s; this version of Centinela reads format %(ours)s.":
        "Esta copia tiene el formato %(format)s; esta versión de Centinela lee el formato %(ours)s.",
    "This backup was made by a newer version of Centinela (migrations unknown here: %(names)s). Upgrade this install first, then restore.":
        "Esta copia fue hecha por una versión más reciente de Centinela (migraciones desconocidas aquí: %(names)s). Actualice primero esta instalación y luego restaure.",
    "pg_restore %(client)s cannot restore this backup (made by pg_dump %(dumped)s) into a PostgreSQL %(server)s server: install postgresql-client-%(need)s or set PG_BIN_DIR.":
        "pg_restore %(client)s no puede restaurar esta copia (hecha con pg_dump %(dumped)s) en un servidor PostgreSQL %(server)s: instale postgresql-client-%(need)s o configure PG_BIN_DIR.",
    "%(path)s does not exist.": "%(path)s no existe.",
    "This backup holds a %(theirs)s database and this install uses %(ours)s; a restore needs the same kind of database.":
        "Esta copia contiene una base de datos %(theirs)s y esta instalación usa %(ours)s; para restaurar se necesita el mismo tipo de base de datos.",
    "The database of this install already holds data; a restore would replace all of it. Run it again with --force to replace it.":
        "La base de datos de esta instalación ya contiene datos; restaurar los reemplazaría todos. Ejecútelo de nuevo con --force para reemplazarlos.",
    "The backup has no database file.": "La copia no contiene el archivo de la base de datos.",
    "The database in the backup is damaged (its checksum does not match).":
        "La base de datos de la copia está dañada (su suma de verificación no coincide).",
    "The restored database does not match the backup's manifest (tables missing: %(missing)s; counts differing: %(differ)s).":
        "La base de datos restaurada no coincide con el manifiesto de la copia (tablas que faltan: %(missing)s; conteos distintos: %(differ)s).",
    "Backup written: %(path)s (%(size).1f MB; %(tables)s tables, %(rows)s rows, %(files)s files).":
        "Copia de seguridad escrita: %(path)s (%(size).1f MB; %(tables)s tablas, %(rows)s filas, %(files)s archivos).",
    "It holds the key to the camera credentials and personal data: keep it where only the administrators can read it.":
        "Contiene la clave de las credenciales de las cámaras y datos personales: guárdela donde solo los administradores puedan leerla.",
    "Restored the backup of %(created)s (version %(version)s): %(tables)s tables, %(rows)s rows, %(files)s files.":
        "Se restauró la copia del %(created)s (versión %(version)s): %(tables)s tablas, %(rows)s filas, %(files)s archivos.",
    "%(n)s camera credentials could not be read even with the backup's key; enter them again on the camera's page.":
        "%(n)s credenciales de cámaras no se pudieron leer ni con la clave de la copia; ingréselas de nuevo en la página de la cámara.",
    "Camera credentials readable with this install's key: %(n)s.":
        "Credenciales de cámaras legibles con la clave de esta instalación: %(n)s.",
}
