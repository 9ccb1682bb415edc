"""Spanish translations: the incident import that keeps the site up (staged, then one short step)."""
ES = {
    "Saving %(n)s rows": "Guardando %(n)s filas",
}
