"""Spanish for bad input: upload limits, zip archives, image pixel limit, uncached XLSX formulas, dates out of
range, coordinates that are not numbers."""

ES = {
    "it is a damaged compressed file: %(e)s": "es un archivo comprimido dañado: %(e)s",
    "the compressed file holds %(n)s files; at most %(max)s are accepted":
        "el archivo comprimido contiene %(n)s archivos; se aceptan como máximo %(max)s",
    "the compressed file expands to %(size).0f MB; at most %(max).0f MB are accepted (is it a zip bomb?)":
        "el archivo comprimido se expande a %(size).0f MB; se aceptan como máximo %(max).0f MB (¿es una bomba de "
        "descompresión?)",
    "The image is too large (more than %(max)s megapixels).":
        "La imagen es demasiado grande (más de %(max)s megapíxeles).",
    "The image is too large (%(width)s x %(height)s pixels, %(mp)s megapixels; at most %(max)s megapixels).":
        "La imagen es demasiado grande (%(width)s x %(height)s píxeles, %(mp)s megapíxeles; como máximo %(max)s "
        "megapíxeles).",
    "The file cannot be accepted: %(e)s.": "No se puede aceptar el archivo: %(e)s.",
    "The file cannot be read: %(e)s.": "No se puede leer el archivo: %(e)s.",
    "The geometry has coordinates that are not numbers (NaN or infinite).":
        "La geometría tiene coordenadas que no son números (NaN o infinitas).",
    "Enter a date between %(min)s and %(max)s.": "Ingrese una fecha entre %(min)s y %(max)s.",
}

PLURALS = {
    "the formula in %(cells)s has no saved result; open the file in a spreadsheet program, let it calculate and save "
    "it again (or paste the values)": (
        "la fórmula de %(cells)s no tiene un resultado guardado; abra el archivo en un programa de hojas de cálculo, "
        "deje que calcule y guárdelo de nuevo (o pegue los valores)",
        "las fórmulas de %(cells)s no tienen un resultado guardado; abra el archivo en un programa de hojas de "
        "cálculo, deje que calcule y guárdelo de nuevo (o pegue los valores)"),
}
