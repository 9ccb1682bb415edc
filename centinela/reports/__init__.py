"""Reports: the yearly accountability report (rendición de cuentas) as a web page, DOCX and PDF."""
