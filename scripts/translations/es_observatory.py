"""Spanish translations of the observatory's analysis pages: the methods, their forms, jobs and result pages."""

ES = {
    # navigation and index
    "Observatory": "Observatorio",
    "Analysis": "Análisis",
    "Crime analysis": "Análisis delictual",
    "Each method runs on the incident registry (only the incidents you may see) as a background job: the page shows its progress, then the result as a map layer and a table you can download.":
        "Cada método se ejecuta sobre el registro de incidentes (solo los incidentes que usted puede ver) como un "
        "trabajo en segundo plano: la página muestra su avance y luego el resultado como una capa del mapa y una "
        "tabla que puede descargar.",
    "References": "Referencias",
    "Run this analysis": "Ejecutar este análisis",
    "Run the analysis": "Ejecutar el análisis",
    "Run it again": "Ejecutarlo de nuevo",
    "Recent analyses": "Análisis recientes",
    "Method": "Método",
    "Follow": "Seguir",
    "No analyses yet.": "Aún no hay análisis.",

    # methods
    "Kernel density (KDE)": "Densidad de kernel (KDE)",
    "Where do incidents concentrate? A smooth surface of incidents per km², on a grid.":
        "¿Dónde se concentran los incidentes? Una superficie continua de incidentes por km², sobre una cuadrícula.",
    "Each incident spreads over a circle (the bandwidth) with a weight that fades with distance; the density of each cell is the sum of what reaches its centre. With no bandwidth given, it is chosen from the data with ArcGIS Pro's rule.":
        "Cada incidente se reparte en un círculo (el ancho de banda) con un peso que disminuye con la distancia; la "
        "densidad de cada celda es la suma de lo que llega a su centro. Si no se indica el ancho de banda, se elige a "
        "partir de los datos con la regla de ArcGIS Pro.",
    "Hot spots (Getis-Ord Gi*)": "Puntos calientes (Getis-Ord Gi*)",
    "Which cells have significantly more (hot spot) or fewer (cold spot) incidents around them than chance would give?":
        "¿Qué celdas tienen a su alrededor significativamente más (punto caliente) o menos (punto frío) incidentes "
        "de los que daría el azar?",
    "Incidents are counted on a grid; each cell's count plus its neighbours' is compared with what random rearrangements of the counts give. Cells are marked hot or cold at 90, 95 or 99 percent confidence, after the false discovery rate correction.":
        "Los incidentes se cuentan en una cuadrícula; el conteo de cada celda más el de sus vecinas se compara con lo "
        "que dan reordenamientos al azar de los conteos. Las celdas se marcan calientes o frías con 90, 95 o 99 % de "
        "confianza, tras la corrección por tasa de falsos descubrimientos.",
    "Near repeat (Knox)": "Repetición cercana (Knox)",
    "After an incident, are there more incidents nearby in the following days than chance would give?":
        "Después de un incidente, ¿hay más incidentes cerca en los días siguientes de los que daría el azar?",
    "Every pair of incidents is counted by its distance and its time apart; the table compares the pairs observed with those expected if times were shuffled among the places (Knox ratio), with a permutation p-value per cell, as Ratcliffe's Near Repeat Calculator.":
        "Cada par de incidentes se cuenta según su distancia y el tiempo entre ellos; la tabla compara los pares "
        "observados con los esperados si las fechas se barajaran entre los lugares (razón de Knox), con un valor p "
        "por permutaciones en cada celda, como el Near Repeat Calculator de Ratcliffe.",
    "Where to place cameras": "Dónde ubicar cámaras",
    "Where would k new cameras watch the most incidents, given the cameras already in service?":
        "¿Dónde vigilarían más incidentes k cámaras nuevas, dadas las cámaras que ya están en servicio?",
    "Candidate sites (places of the gazetteer and a grid over the urban area) each watch the incidents within a radius; the maximal covering location problem picks the k sites that cover the most incidents not yet watched, solved exactly with HiGHS or greedily.":
        "Cada sitio candidato (lugares del nomenclátor y una cuadrícula sobre el área urbana) vigila los incidentes "
        "dentro de un radio; el problema de localización de máxima cobertura elige los k sitios que cubren más "
        "incidentes aún no vigilados, resuelto de forma exacta con HiGHS o con un método voraz.",
    "Impact of cameras or interventions": "Impacto de cámaras o intervenciones",
    "Did incidents fall around the cameras (or in the barrios) where something was done, compared with the rest of the city over the same periods?":
        "¿Bajaron los incidentes alrededor de las cámaras (o en los barrios) donde se intervino, comparado con el "
        "resto de la ciudad en los mismos periodos?",
    "Incidents are counted before and after in the treated area, in a buffer ring around it (where crime may move to) and in a control area; the weighted displacement quotient and the relative change say whether the change is more than the city's.":
        "Se cuentan los incidentes antes y después en el área intervenida, en un anillo de amortiguamiento a su "
        "alrededor (a donde el delito podría desplazarse) y en un área de control; el cociente de desplazamiento "
        "ponderado y el cambio relativo dicen si el cambio supera al de la ciudad.",
    "Accuracy of hot-spot maps": "Precisión de los mapas de puntos calientes",
    "Would a hot-spot map of past incidents have pointed to where the next incidents happened?":
        "¿Un mapa de puntos calientes de los incidentes pasados habría señalado dónde ocurrieron los siguientes?",
    "A map (KDE or Gi*) is drawn from the training period; its hottest cells covering a share of the area are the prediction; the hit rate, the prediction accuracy index (PAI) and the prediction efficiency index (PEI) measure how many test-period incidents fell in them.":
        "Se dibuja un mapa (KDE o Gi*) con el periodo de entrenamiento; sus celdas más calientes, que cubren una "
        "parte del área, son la predicción; la tasa de aciertos, el índice de precisión de la predicción (PAI) y el "
        "índice de eficiencia de la predicción (PEI) miden cuántos incidentes del periodo de prueba cayeron en ellas.",

    # forms
    "First day of incidents to include (empty: from the first one). The default: a year up to the latest incident.":
        "Primer día de los incidentes a incluir (vacío: desde el primero). Por omisión: un año hasta el último "
        "incidente.",
    "Last day of incidents to include (empty: up to the last one).":
        "Último día de los incidentes a incluir (vacío: hasta el último).",
    "Category group": "Grupo de categorías",
    "All groups": "Todos los grupos",
    "Categories": "Categorías",
    "None chosen: every category.": "Si no elige ninguna: todas las categorías.",
    "None chosen: every parish you may see.": "Si no elige ninguna: todas las parroquias que usted puede ver.",
    "Give a date: this period is needed.": "Indique una fecha: este periodo es necesario.",
    "The period is empty: its last day comes before its first day.":
        "El periodo está vacío: su último día es anterior a su primer día.",
    "Only %(n)d incidents match these filters (at least %(m)d are needed): widen the dates, categories or parishes.":
        "Solo %(n)d incidentes cumplen estos filtros (se necesitan al menos %(m)d): amplíe las fechas, categorías o "
        "parroquias.",
    "Give a number above zero.": "Indique un número mayor que cero.",
    "Give at most %(limit_value)s.": "Indique como máximo %(limit_value)s.",
    "Cell size (m)": "Tamaño de celda (m)",
    "Side of each square of the grid.": "Lado de cada cuadrado de la cuadrícula.",
    "Bandwidth (m)": "Ancho de banda (m)",
    "Radius of the kernel; empty: chosen from the data (the rule used is shown with the result).":
        "Radio del kernel; vacío: se elige a partir de los datos (la regla usada se muestra con el resultado).",
    "Kernel": "Kernel",
    "Quartic": "Cuártico",
    "Gaussian": "Gaussiano",
    "Epanechnikov": "Epanechnikov",
    "Triangular": "Triangular",
    "Uniform": "Uniforme",
    "Neighbours": "Vecinas",
    "Queen (sides and corners)": "Reina (lados y esquinas)",
    "Rook (sides only)": "Torre (solo lados)",
    "Neighbour order": "Orden de vecindad",
    "1: the adjacent cells; 2: also their neighbours.": "1: las celdas contiguas; 2: también sus vecinas.",
    "Permutations": "Permutaciones",
    "Random seed": "Semilla aleatoria",
    "The same seed gives the same result.": "La misma semilla da el mismo resultado.",
    "False discovery rate": "Tasa de falsos descubrimientos",
    "Benjamini-Hochberg correction of the p-values for testing many cells at once; empty: none.":
        "Corrección de Benjamini-Hochberg de los valores p por probar muchas celdas a la vez; vacío: ninguna.",
    "Distance band (m)": "Banda de distancia (m)",
    "Distance bands": "Bandas de distancia",
    "Time band (days)": "Banda de tiempo (días)",
    "Time bands": "Bandas de tiempo",
    "Distance": "Distancia",
    "Manhattan (along the streets)": "Manhattan (a lo largo de las calles)",
    "Euclidean (straight line)": "Euclidiana (en línea recta)",
    "Cameras to place": "Cámaras a ubicar",
    "Radius each camera watches (m)": "Radio que vigila cada cámara (m)",
    "Spacing of the candidate grid (m)": "Espaciado de la cuadrícula de candidatos (m)",
    "Candidates: the gazetteer's places plus a grid of points over the urban area.":
        "Candidatos: los lugares del nomenclátor más una cuadrícula de puntos sobre el área urbana.",
    "Count the cameras in service": "Contar las cámaras en servicio",
    "Incidents already watched by a camera in service do not call for a new one.":
        "Los incidentes que ya vigila una cámara en servicio no piden una nueva.",
    "Exact (integer programming)": "Exacto (programación entera)",
    "Greedy (fast)": "Voraz (rápido)",
    "There are only %(n)d candidate sites: ask for at most that many cameras (or narrow the grid spacing).":
        "Solo hay %(n)d sitios candidatos: pida como máximo esa cantidad de cámaras (o reduzca el espaciado de la "
        "cuadrícula).",
    "Cameras": "Cámaras",
    "The treated area is the ground within the distance below around these cameras.":
        "El área intervenida es el terreno dentro de la distancia indicada abajo alrededor de estas cámaras.",
    "Or treated parishes": "O parroquias intervenidas",
    "Or treated barrios": "O barrios intervenidos",
    "Treated distance around the cameras (m)": "Distancia intervenida alrededor de las cámaras (m)",
    "Buffer ring (m)": "Anillo de amortiguamiento (m)",
    "A ring around the treated area left out of the control area (where crime may be displaced or benefits may spill over); 0: none.":
        "Un anillo alrededor del área intervenida que se excluye del área de control (donde el delito podría "
        "desplazarse o los beneficios extenderse); 0: ninguno.",
    "Control parishes": "Parroquias de control",
    "None chosen: the rest of the urban area.": "Si no elige ninguna: el resto del área urbana.",
    "Before: from": "Antes: desde",
    "Before: to": "Antes: hasta",
    "After: from": "Después: desde",
    "After: to": "Después: hasta",
    "Choose the treated area: cameras, parishes or barrios.":
        "Elija el área intervenida: cámaras, parroquias o barrios.",
    "The after period must start once the before period has ended.":
        "El periodo posterior debe empezar cuando haya terminado el periodo anterior.",
    "Training period: from": "Periodo de entrenamiento: desde",
    "Training period: to": "Periodo de entrenamiento: hasta",
    "Test period: from": "Periodo de prueba: desde",
    "Test period: to": "Periodo de prueba: hasta",
    "Hot-spot method": "Método de puntos calientes",
    "Getis-Ord Gi*": "Getis-Ord Gi*",
    "Share of the area flagged (%)": "Parte del área señalada (%)",
    "The hottest cells covering this share of the area are the prediction.":
        "Las celdas más calientes que cubren esta parte del área son la predicción.",
    "The test period must start after the training period.":
        "El periodo de prueba debe empezar después del periodo de entrenamiento.",

    # jobs
    "The account that asked for this analysis is no longer active.":
        "La cuenta que pidió este análisis ya no está activa.",
    "Reading the incidents": "Leyendo los incidentes",
    "Only %(n)d incidents match these filters (at least %(m)d are needed).":
        "Solo %(n)d incidentes cumplen estos filtros (se necesitan al menos %(m)d).",
    "Computing the density": "Calculando la densidad",
    "Preparing the map": "Preparando el mapa",
    "Testing the cells": "Probando las celdas",
    "Counting pairs of incidents": "Contando pares de incidentes",
    "Permuting the times": "Permutando las fechas",
    "Listing candidate sites": "Listando los sitios candidatos",
    "There are only %(n)d candidate sites near the incidents: ask for at most that many cameras.":
        "Solo hay %(n)d sitios candidatos cerca de los incidentes: pida como máximo esa cantidad de cámaras.",
    "Choosing the sites": "Eligiendo los sitios",
    "The treated area is empty: the chosen cameras, parishes or barrios have no location.":
        "El área intervenida está vacía: las cámaras, parroquias o barrios elegidos no tienen ubicación.",
    "There is no control area: choose control parishes.": "No hay área de control: elija parroquias de control.",
    "The control area is empty once the treated area and its buffer ring are left out.":
        "El área de control queda vacía al excluir el área intervenida y su anillo de amortiguamiento.",
    "Drawing the areas": "Dibujando las áreas",
    "Comparing before and after": "Comparando antes y después",
    "Too few incidents: %(a)d in the training period (at least 3) and %(b)d in the test period (at least 1).":
        "Muy pocos incidentes: %(a)d en el periodo de entrenamiento (al menos 3) y %(b)d en el periodo de prueba "
        "(al menos 1).",
    "Drawing the hot-spot map of the training period": "Dibujando el mapa de puntos calientes del entrenamiento",
    "Scoring the test period": "Evaluando el periodo de prueba",

    # result page
    "the incidents analysed include generated (synthetic) ones, not real reports: use these results for demonstration only.":
        "los incidentes analizados incluyen incidentes generados (sintéticos), no denuncias reales: use estos "
        "resultados solo como demostración.",
    "Synthetic data": "Datos sintéticos",
    "Finished": "Terminado",
    "Near-repeat table": "Tabla de repetición cercana",
    "Rows: distance between the two incidents (metres); columns: days between them. Each cell: Knox ratio (observed pairs over expected), the observed and expected pairs, and the p-value; significant cells (p ≤ 0.05) are marked with an asterisk and a frame.":
        "Filas: distancia entre los dos incidentes (metros); columnas: días entre ellos. Cada celda: razón de Knox "
        "(pares observados sobre esperados), los pares observados y esperados, y el valor p; las celdas "
        "significativas (p ≤ 0,05) se marcan con un asterisco y un recuadro.",
    "Distance (m) \\ days": "Distancia (m) \\ días",
    "observed": "observados",
    "expected": "esperados",
    "Hot spot, 99 percent confidence": "Punto caliente, 99 % de confianza",
    "Hot spot, 95 percent confidence": "Punto caliente, 95 % de confianza",
    "Hot spot, 90 percent confidence": "Punto caliente, 90 % de confianza",
    "Cold spot, 99 percent confidence": "Punto frío, 99 % de confianza",
    "Cold spot, 95 percent confidence": "Punto frío, 95 % de confianza",
    "Cold spot, 90 percent confidence": "Punto frío, 90 % de confianza",
    "lower": "menor",
    "higher": "mayor",
    "Treated area": "Área intervenida",
    "Buffer ring": "Anillo de amortiguamiento",
    "Control area": "Área de control",
    "Summary": "Resumen",
    "Downloads": "Descargas",
    "Parameters": "Parámetros",
    "Conventions": "Convenciones",
    "Table": "Tabla",
    "The first %(shown)s of %(total)s rows; the CSV download has them all.":
        "Las primeras %(shown)s de %(total)s filas; la descarga CSV las tiene todas.",
    "No rows.": "Sin filas.",
    "Incidents analysed": "Incidentes analizados",
    "Bandwidth rule": "Regla del ancho de banda",
    "Highest density (incidents per km²)": "Densidad más alta (incidentes por km²)",
    "Cells on the map": "Celdas en el mapa",
    "Cells tested": "Celdas probadas",
    "Significant cells": "Celdas significativas",
    "p-values": "Valores p",
    "exact (conditional randomisation)": "exactos (aleatorización condicional)",
    "%(n)s permutations": "%(n)s permutaciones",
    "Pairs of incidents": "Pares de incidentes",
    "Pairs within the largest distance": "Pares dentro de la mayor distancia",
    "Candidate sites": "Sitios candidatos",
    "Cameras in service counted": "Cámaras en servicio contadas",
    "Incidents seen by the cameras in service now": "Incidentes que ven ahora las cámaras en servicio",
    "Incidents covered with the new cameras": "Incidentes cubiertos con las cámaras nuevas",
    "Proven optimal": "Óptimo demostrado",
    "Gap to the best bound": "Brecha con la mejor cota",
    "Greedy's gap": "Brecha del método voraz",
    "all": "todas",
    "yes": "sí",
    "no": "no",
    "Coordinates projected to UTM zone 17 S (EPSG:32717), in metres; dates in Loja's time (America/Guayaquil); discarded reports are left out.":
        "Coordenadas proyectadas a UTM zona 17 S (EPSG:32717), en metros; fechas en la hora de Loja "
        "(America/Guayaquil); las denuncias descartadas no se cuentan.",
    "Bands are half-open: a pair is in the band [a, b) when a ≤ distance < b metres and a ≤ days apart < b. The first row holds pairs at the same place (under %(s)s m); the last row and column, everything from the largest edge on. Distance: %(m)s. Expected counts: the exact average if the dates were shuffled among the places; p-value: share of %(p)s random shuffles with at least as many pairs (seed %(seed)s). Each pair counts once.":
        "Las bandas son semiabiertas: un par está en la banda [a, b) cuando a ≤ distancia < b metros y a ≤ días "
        "entre ellos < b. La primera fila reúne los pares en el mismo lugar (a menos de %(s)s m); la última fila y "
        "la última columna, todo desde el mayor límite en adelante. Distancia: %(m)s. Conteos esperados: el "
        "promedio exacto si las fechas se barajaran entre los lugares; valor p: proporción de %(p)s barajados al "
        "azar con al menos tantos pares (semilla %(seed)s). Cada par cuenta una vez.",
    "Density in incidents per km² at each cell's centre; only cells with a density above zero are listed and mapped (at most the 5,000 densest on the map).":
        "Densidad en incidentes por km² en el centro de cada celda; solo se listan y mapean las celdas con densidad "
        "mayor que cero (en el mapa, como máximo las 5.000 más densas).",
    "A cell's statistic adds its own count and its neighbours'; hot and cold spots at 90, 95 and 99 percent confidence (two-sided), after the false discovery rate correction when one was given. Only significant cells are mapped; the table lists cells with incidents or significance.":
        "El estadístico de una celda suma su propio conteo y el de sus vecinas; puntos calientes y fríos con 90, 95 "
        "y 99 % de confianza (bilateral), tras la corrección por tasa de falsos descubrimientos cuando se indicó. "
        "Solo se mapean las celdas significativas; la tabla lista las celdas con incidentes o significativas.",
    "A camera is taken to watch every incident within the radius of its site (a disc); cameras in service count with the same radius. Candidate sites: the places of the gazetteer and a grid over the urban area, keeping grid points within the radius of an incident.":
        "Se considera que una cámara vigila todo incidente dentro del radio de su sitio (un disco); las cámaras en "
        "servicio cuentan con el mismo radio. Sitios candidatos: los lugares del nomenclátor y una cuadrícula sobre "
        "el área urbana, conservando los puntos de la cuadrícula a menos de un radio de algún incidente.",
    "Periods include their first and last days. The control area leaves out the treated area and its buffer ring. Relative effect: (treated after / before) over (control after / before), below 1 when incidents fell more in the treated area, with a 95 percent Poisson interval; WDQ after Bowers and Johnson (2003).":
        "Los periodos incluyen su primer y su último día. El área de control excluye el área intervenida y su "
        "anillo de amortiguamiento. Efecto relativo: (después / antes en el área intervenida) sobre (después / antes "
        "en el control), menor que 1 cuando los incidentes bajaron más en el área intervenida, con un intervalo de "
        "Poisson del 95 %; WDQ según Bowers y Johnson (2003).",
    "Hit rate: share of the test period's incidents in the flagged cells. PAI: hit rate over the share of the area flagged. PEI: PAI over the best PAI possible with the same area. The study area is the cells whose centre lies in the parishes analysed.":
        "Tasa de aciertos: proporción de los incidentes del periodo de prueba en las celdas señaladas. PAI: tasa de "
        "aciertos sobre la proporción del área señalada. PEI: PAI sobre el mejor PAI posible con la misma área. El "
        "área de estudio son las celdas cuyo centro está en las parroquias analizadas.",
    "Density": "Densidad",
    "Hot and cold spots": "Puntos calientes y fríos",
    "Cameras in service": "Cámaras en servicio",
    "Ground the new cameras watch": "Terreno que vigilan las cámaras nuevas",
    "New camera sites": "Sitios de cámaras nuevas",
    "Areas compared": "Áreas comparadas",
    "Incidents of the test period": "Incidentes del periodo de prueba",
    "Cells flagged by the prediction": "Celdas señaladas por la predicción",

    # impact and accuracy summaries
    "Incidents in the training period": "Incidentes en el periodo de entrenamiento",
    "Incidents in the test period": "Incidentes en el periodo de prueba",
    "Cells flagged": "Celdas señaladas",
    "Area flagged (km²)": "Área señalada (km²)",
    "Study area (km²)": "Área de estudio (km²)",
    "Hit rate": "Tasa de aciertos",
    "PAI": "PAI",
    "Best PAI possible": "Mejor PAI posible",
    "PEI": "PEI",
    "Test incidents outside the study area": "Incidentes de prueba fuera del área de estudio",
    "the control area has no incidents in a period: the WDQ is undefined":
        "el área de control no tiene incidentes en un periodo: el WDQ no está definido",
    "no success in the treated area (it did not improve relative to the control): the WDQ is not interpretable":
        "sin éxito en el área intervenida (no mejoró respecto del control): el WDQ no es interpretable",
    "diffusion of benefits larger than the direct effect": "difusión de beneficios mayor que el efecto directo",
    "diffusion of benefits to the buffer, smaller than the direct effect":
        "difusión de beneficios al anillo, menor que el efecto directo",
    "neither displacement nor diffusion of benefits": "ni desplazamiento ni difusión de beneficios",
    "some displacement to the buffer, smaller than the direct effect (net benefit)":
        "algo de desplazamiento al anillo, menor que el efecto directo (beneficio neto)",
    "displacement to the buffer larger than the direct effect (net loss)":
        "desplazamiento al anillo mayor que el efecto directo (pérdida neta)",
    "%(area)s: before → after": "%(area)s: antes → después",
    "Relative effect (after/before, treated over control)":
        "Efecto relativo (después/antes, intervenida sobre control)",
    "Relative change": "Cambio relativo",
    "Difference in differences (incidents per day)": "Diferencia en diferencias (incidentes por día)",
    "Difference in differences (incidents)": "Diferencia en diferencias (incidentes)",
    "Incidents fell in the treated area relative to the control (the 95 percent interval lies below 1).":
        "Los incidentes bajaron en el área intervenida respecto del control (el intervalo del 95 % está por debajo "
        "de 1).",
    "Incidents rose in the treated area relative to the control (the 95 percent interval lies above 1).":
        "Los incidentes subieron en el área intervenida respecto del control (el intervalo del 95 % está por encima "
        "de 1).",
    "No significant relative change (the 95 percent interval includes 1).":
        "Sin cambio relativo significativo (el intervalo del 95 % incluye el 1).",
    "Reading": "Lectura",
    "Weighted displacement quotient (WDQ)": "Cociente de desplazamiento ponderado (WDQ)",
    "WDQ reading": "Lectura del WDQ",
    "Total net effect (incidents prevented)": "Efecto neto total (incidentes evitados)",
    # the engine's refusals (centinela/observatory/jobs.py ENGINE_MESSAGES)
    "The grid would have too many cells: choose larger cells or a smaller area.":
        "La cuadrícula tendría demasiadas celdas: elija celdas más grandes o un área más pequeña.",
    "The density surface would take too long: choose larger cells or a smaller bandwidth.":
        "La superficie de densidad tardaría demasiado: elija celdas más grandes o un ancho de banda menor.",
    "Hot spots need a grid of at least 3 cells: choose smaller cells.":
        "Los puntos calientes necesitan una cuadrícula de al menos 3 celdas: elija celdas más pequeñas.",
    "Every cell of the grid has the same count, so there are no hot or cold spots to find: choose smaller cells or a longer period.":
        "Todas las celdas de la cuadrícula tienen la misma cantidad, así que no hay puntos calientes ni fríos que "
        "encontrar: elija celdas más pequeñas o un periodo más largo.",
    "No incidents fall inside the area analysed.": "Ningún incidente cae dentro del área analizada.",
    "Too many pairs of incidents lie inside the largest distance band: use fewer or narrower distance bands, or a shorter period.":
        "Demasiados pares de incidentes quedan dentro de la banda de distancia mayor: use menos bandas de distancia "
        "o más estrechas, o un periodo más corto.",
    "Exact p-values cannot be computed for these counts: choose the Monte Carlo method.":
        "No se pueden calcular valores p exactos con estas cantidades: elija el método Monte Carlo.",
    "A parameter of the analysis is out of range: check the form's values.":
        "Un parámetro del análisis está fuera de rango: revise los valores del formulario.",
    "There are no candidate sites for new cameras.": "No hay sitios candidatos para cámaras nuevas.",
    "More new cameras were asked for than there are candidate sites.":
        "Se pidieron más cámaras nuevas que sitios candidatos hay.",
    "The analysis cannot run on these data (%(detail)s).":
        "El análisis no puede ejecutarse con estos datos (%(detail)s).",
    # result tables: column headers and coded values (centinela/observatory/labels.py)
    "Cell": "Celda", "Grid row": "Fila de la cuadrícula", "Grid column": "Columna de la cuadrícula",
    "X (m, UTM 17S)": "X (m, UTM 17S)", "Y (m, UTM 17S)": "Y (m, UTM 17S)",
    "Density (incidents per km²)": "Densidad (incidentes por km²)", "Incidents in the cell": "Incidentes en la celda",
    "Gi* statistic": "Estadístico Gi*", "z-score": "Puntuación z", "p-value (normal)": "Valor p (normal)",
    "p-value (permutation, one-sided)": "Valor p (permutaciones, una cola)",
    "p-value (two-sided)": "Valor p (dos colas)", "q-value (false discovery rate)": "Valor q (tasa de falsos descubrimientos)",
    "Significant": "Significativo", "Category": "Categoría", "Distance (m)": "Distancia (m)", "Days apart": "Días entre ambos",
    "Distance from (m)": "Distancia desde (m)", "Distance up to (m, not included)": "Distancia hasta (m, sin incluir)",
    "Days from": "Días desde", "Days up to (not included)": "Días hasta (sin incluir)",
    "Observed pairs": "Pares observados", "Expected pairs": "Pares esperados", "Knox ratio": "Razón de Knox",
    "Mean of the permutations": "Media de las permutaciones", "Rank": "Orden", "Site number": "Número de sitio",
    "Incidents newly covered": "Incidentes cubiertos por primera vez", "Candidate site": "Sitio candidato",
    "Measure": "Medida", "Value": "Valor", "Status now": "Estado actual", "Incidents in its view": "Incidentes en su vista",
    "In view while it was working": "En su vista mientras funcionaba",
    "Seen by a working camera": "Vistos por una cámara en funcionamiento", "Share seen": "Proporción vista",
    "Not significant": "No significativo", "Gaussian": "Gaussiano", "Epanechnikov": "Epanechnikov",
    "Triangular": "Triangular", "Uniform": "Uniforme",
    "ArcGIS Pro's rule (spatial Silverman)": "Regla de ArcGIS Pro (Silverman espacial)", "Scott's rule": "Regla de Scott",
    "Given in the form": "Indicado en el formulario",
    "Exact (conditional permutation, the limit of infinitely many)":
        "Exacto (permutación condicional, el límite con infinitas permutaciones)",
    "Monte Carlo (random permutations)": "Monte Carlo (permutaciones aleatorias)",
    "Treated area, before": "Área tratada, antes", "Treated area, after": "Área tratada, después",
    "Buffer ring, before": "Anillo de amortiguamiento, antes", "Buffer ring, after": "Anillo de amortiguamiento, después",
    "Control area, before": "Área de control, antes", "Control area, after": "Área de control, después",
    "Counts per day (periods of different length)": "Conteos por día (periodos de distinta duración)",
    "Change in the treated area": "Cambio en el área tratada", "Change in the control area": "Cambio en el área de control",
    "Difference in differences": "Diferencia en diferencias",
    "Difference in differences, 95 percent low": "Diferencia en diferencias, límite inferior al 95 %",
    "Difference in differences, 95 percent high": "Diferencia en diferencias, límite superior al 95 %",
    "Relative effect": "Efecto relativo", "Relative effect, 95 percent low": "Efecto relativo, límite inferior al 95 %",
    "Relative effect, 95 percent high": "Efecto relativo, límite superior al 95 %",
    "Relative change (%)": "Cambio relativo (%)", "Success measure (WDQ)": "Medida de éxito (WDQ)",
    "Displacement measure (WDQ)": "Medida de desplazamiento (WDQ)",
    "Total net effect (incidents)": "Efecto neto total (incidentes)",
    "Test incidents in the flagged cells": "Incidentes de prueba en las celdas señaladas",
    "Test incidents": "Incidentes de prueba", "Most incidents the same area could hold":
        "Máximo de incidentes que la misma área podría reunir",
    "Share of the area flagged": "Proporción del área señalada",
    "Incidents seen by parish": "Incidentes vistos por parroquia", "Incidents seen by camera": "Incidentes vistos por cámara",
    "Camera": "Cámara", "Name": "Nombre", "Parish": "Parroquia", "Incidents": "Incidentes",
    "Longitude": "Longitud", "Latitude": "Latitud",

    # Gi*: the p-value method
    "Method of the p-values": "Método de los valores p",
    "Exact (conditional permutation)": "Exacto (permutación condicional)",
    "Exact: the p-values the permutations would give with infinitely many of them, computed directly (no randomness: permutations and seed do not apply). Monte Carlo: the permutations below, drawn from the seed (on the Dask cluster when one is configured).":
        "Exacto: los valores p que darían infinitas permutaciones, calculados directamente (sin azar: las "
        "permutaciones y la semilla no se aplican). Monte Carlo: las permutaciones indicadas abajo, sorteadas con la "
        "semilla (en el clúster Dask cuando hay uno configurado).",
    "Monte Carlo only.": "Solo para Monte Carlo.",
    "Monte Carlo only. The same seed gives the same result.":
        "Solo para Monte Carlo. La misma semilla da el mismo resultado.",
    "does not apply (exact p-values)": "no se aplica (valores p exactos)",

    # near repeat: same location
    "Same location below (m)": "Mismo lugar a menos de (m)",
    "Pairs closer than this are at the same place (the table's first row); it must be below the distance band.":
        "Los pares más cercanos que esto están en el mismo lugar (la primera fila de la tabla); debe ser menor que la "
        "banda de distancia.",
    "The same-location distance must be below the distance band (%(band)s m).":
        "La distancia de mismo lugar debe estar por debajo de la banda de distancia (%(band)s m).",

    # camera coverage
    "Camera coverage": "Cobertura de las cámaras",
    "What share of the incidents happened in view of a camera that was working at the time?":
        "¿Qué proporción de los incidentes ocurrió a la vista de una cámara que funcionaba en ese momento?",
    "Each camera watches a sector (its bearing, angle and range; a full circle for panning cameras). An incident counts as seen when it lies in the sector of a camera that was working when it happened: installed, in service by its status history and not down in the monitor's records. Shown per camera and per parish, with the sectors and the incidents in and out of view on the map.":
        "Cada cámara vigila un sector (su orientación, ángulo y alcance; un círculo completo para las cámaras "
        "móviles). Un incidente cuenta como visto cuando está en el sector de una cámara que funcionaba cuando "
        "ocurrió: instalada, en servicio según su historial de estados y sin caída en los registros del monitor. Se "
        "muestra por cámara y por parroquia, con los sectores y los incidentes dentro y fuera de vista en el mapa.",
    "Reading the cameras": "Leyendo las cámaras",
    "Finding the incidents in each camera's view": "Buscando los incidentes en la vista de cada cámara",
    "Incidents seen by a working camera": "Incidentes vistos por una cámara en funcionamiento",
    "Cameras considered": "Cámaras consideradas",
    "Cameras with incidents in view": "Cámaras con incidentes en su vista",
    "An incident is seen when it lies in the view sector of a camera (its bearing, angle and range today) that was working at the incident's time: installed, in service by its status history and not in an outage recorded by the monitor (the rule of the automatic sightings). Cameras not in service today count for the years they worked. The map shows a sample of at most 3,000 incidents.":
        "Un incidente es visto cuando está en el sector de vista de una cámara (su orientación, ángulo y alcance "
        "actuales) que funcionaba en el momento del incidente: instalada, en servicio según su historial de estados "
        "y sin una caída registrada por el monitor (la regla de los avistamientos automáticos). Las cámaras hoy "
        "fuera de servicio cuentan en los años en que funcionaron. El mapa muestra una muestra de a lo sumo 3.000 "
        "incidentes.",
    "Camera views": "Vistas de las cámaras",
    "Incident seen by a working camera": "Incidente visto por una cámara en funcionamiento",
    "Incident not seen": "Incidente no visto",
    "CSV and XLSX: the table as shown here, every row. GeoJSON: the map layer. JSON: the whole result with the analysis engine's own keys and codes (in English, as its command line writes them), for programs.":
        "CSV y XLSX: la tabla tal como se muestra aquí, con todas sus filas. GeoJSON: la capa del mapa. JSON: el "
        "resultado completo con las claves y códigos propios del motor de análisis (en inglés, como los escribe su "
        "línea de comandos), para programas.",
}
