"""Spanish translations: incident indicators, their charts and the open-data page."""
ES = {
    "Observatory": "Observatorio",
    "Incident indicators": "Indicadores de incidentes",
    "Synthetic demonstration data": "Datos sintéticos de demostración",
    "Q%(q)s %(year)s": "T%(q)s %(year)s", "Q%(q)s": "T%(q)s",
    "No parish assigned": "Sin parroquia asignada", "No barrio assigned": "Sin barrio asignado", "Unknown": "Desconocido",
    "Total": "Total",
    "source not recorded": "fuente no registrada",
    "Rates per 100,000 inhabitants in the period, with the latest census at or before %(year)s: census %(years)s (%(sources)s).":
        "Tasas por 100.000 habitantes en el periodo, con el último censo hasta %(year)s: censo %(years)s (%(sources)s).",
    "No population figure at or before %(year)s: no rates.":
        "No hay cifras de población hasta %(year)s: sin tasas.",
    "Barrios have no population figures: no rates.": "Los barrios no tienen cifras de población: sin tasas.",
    # charts
    "Incidents": "Incidentes", "No incidents in this period.": "No hay incidentes en este periodo.",
    "Incidents by %(what)s, %(period)s": "Incidentes por %(what)s, %(period)s",
    "Others": "Otros", "Incidents per month": "Incidentes por mes",
    "Monthly trend by %(what)s": "Tendencia mensual por %(what)s",
    "Hour of day (Loja local time)": "Hora del día (hora local de Loja)",
    "Incidents by day of week and hour": "Incidentes por día de la semana y hora",
    "parish": "parroquia", "barrio": "barrio", "category": "categoría", "category group": "grupo de categorías",
    # the page
    "Month": "Mes", "Quarter": "Trimestre", "Year": "Año", "Date range": "Rango de fechas", "Parish": "Parroquia",
    "Barrio": "Barrio", "Category group": "Grupo de categorías", "Category": "Categoría",
    "From": "Desde", "To": "Hasta", "Rows": "Filas", "Trend by": "Tendencia por",
    "Unknown parish: %(value)s.": "Parroquia desconocida: %(value)s.",
    "Unknown category group: %(value)s.": "Grupo de categorías desconocido: %(value)s.",
    "Unknown category: %(value)s.": "Categoría desconocida: %(value)s.",
    "All parishes": "Todas las parroquias", "All groups": "Todos los grupos", "All categories": "Todas las categorías",
    "Choose a year.": "Elija un año.", "Choose a month.": "Elija un mes.", "Choose a quarter.": "Elija un trimestre.",
    "Give both a start and an end date for a date range.":
        "Indique una fecha inicial y una final para un rango de fechas.",
    "The end date (%(end)s) is before the start date (%(start)s).":
        "La fecha final (%(end)s) es anterior a la inicial (%(start)s).",
    "The date range is too long: at most 20 years.": "El rango de fechas es demasiado largo: como máximo 20 años.",
    "The period starts after today: there is nothing to count yet.":
        "El periodo empieza después de hoy: todavía no hay nada que contar.",
    "Population": "Población", "no population": "sin población", "Census": "Censo",
    "Rate per 100,000": "Tasa por 100.000", "Previous period": "Periodo anterior", "Change": "Variación",
    "Change %": "Variación %", "A year before": "Un año antes", "Day": "Día",
    "Incidents by %(what)s": "Incidentes por %(what)s", "Monthly trend": "Tendencia mensual",
    "Unknown chart or format.": "Gráfico o formato desconocido.",
    "Show": "Mostrar",
    "compared with the previous period (%(prev)s) and with the same period a year before (%(ly)s).":
        "comparado con el periodo anterior (%(prev)s) y con el mismo periodo un año antes (%(ly)s).",
    "Without population (no rate): %(names)s.": "Sin población (sin tasa): %(names)s.",
    "Incidents by %(dimension)s": "Incidentes por %(dimension)s",
    "Change %%: n/d when the base period had no incidents. Discarded incidents are not counted.":
        "Variación %%: n/d cuando el periodo base no tuvo incidentes. Los incidentes descartados no se cuentan.",
    "Monthly trend by %(series_label)s": "Tendencia mensual por %(series_label)s",
    "Hours in Loja local time (America/Guayaquil).": "Horas en hora local de Loja (America/Guayaquil).",
    # open data
    "Parish code": "Código de parroquia", "Suppressed": "Suprimido", "Synthetic data": "Datos sintéticos",
    "Canton total": "Total cantonal",
    "There are no published figures for the year %(year)s.": "No hay cifras publicadas para el año %(year)s.",
    "Open data: incidents": "Datos abiertos: incidentes",
    "these figures are generated for demonstration and describe no real incident.":
        "estas cifras se generaron para demostración y no describen ningún incidente real.",
    "Method": "Método",
    "Incidents recorded by the council (discarded reports excluded), counted by parish and month in Loja local time "
    "and by category group. To protect the people involved, counts from 1 to %(k)s minus one are not published "
    "(primary suppression), and further cells are hidden wherever a hidden count could otherwise be worked out from "
    "the published totals (complementary suppression). Hidden cells show “x”; a hidden cell may hold any number. "
    "Zeros are published.":
        "Incidentes registrados por el consejo (sin los reportes descartados), contados por parroquia y mes en hora "
        "local de Loja y por grupo de categorías. Para proteger a las personas involucradas, no se publican los "
        "conteos de 1 a %(k)s menos uno (supresión primaria), y se ocultan otras celdas donde un conteo oculto podría "
        "deducirse de los totales publicados (supresión complementaria). Las celdas ocultas muestran «x»; una celda "
        "oculta puede contener cualquier número. Los ceros se publican.",
    "No location, address, report number or record identifier is ever published: only these counts.":
        "Nunca se publica una ubicación, dirección, número de reporte ni identificador de registro: solo estos conteos.",
    "Totals are published only in the parish by year table (and its canton total per year). Only complete months are published.":
        "Los totales se publican solo en la tabla por parroquia y año (y su total cantonal por año). Solo se publican meses completos.",
    "Incidents by parish and year": "Incidentes por parroquia y año",
    "No incidents have been published yet.": "Todavía no se han publicado incidentes.",
    "Incidents by parish, month and category group, %(year)s":
        "Incidentes por parroquia, mes y grupo de categorías, %(year)s",
}
