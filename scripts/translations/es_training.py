"""Spanish translations: preventive trainings, attendance, QR self check-in, certificates, attendance sheets, coverage."""

ES = {
    # pages and buttons
    "Preventive trainings": "Capacitaciones preventivas", "New training": "Nueva capacitación",
    "Edit training": "Editar capacitación", "All trainings": "Todas las capacitaciones", "Coverage": "Cobertura",
    "Training coverage": "Cobertura de las capacitaciones", "Take attendance": "Tomar asistencia",
    "Attendance": "Asistencia", "Change status": "Cambiar estado", "Show": "Mostrar", "Back": "Volver", "Print": "Imprimir",
    "Search": "Buscar", "Save to get more empty rows.": "Guarde para obtener más filas vacías.",
    "Status changed to %(s)s.": "Estado cambiado a %(s)s.", "Nothing was imported.": "No se importó nada.",
    # the training form
    "Topic": "Tema", "Audience": "Público", "Hours": "Horas", "Date": "Fecha", "Invited institutions": "Instituciones invitadas",
    "Who the training is for, e.g. barrio leaders and residents.": "A quién va dirigida, p. ej. dirigentes barriales y moradores.",
    "Empty: the topic.": "Vacío: el tema.",
    "The venue, e.g. Salón de los Alcaldes. The parish follows from it.":
        "El local, p. ej. Salón de los Alcaldes. La parroquia se toma de él.",
    "Speakers": "Expositores", "Speaker": "Expositor/a", "Subject": "Tema que expone", "Institution": "Institución",
    "Say which institution the speaker comes from.": "Indique de qué institución viene el expositor.",
    "Write the speaker's name.": "Escriba el nombre del expositor.",
    "Choose a programme of preventive training or education.": "Elija un programa de capacitación preventiva o de educación.",
    "Reason (if postponed or cancelled)": "Motivo (si se posterga o cancela)", "whole canton": "todo el cantón",
    # list and detail
    "Attendees": "Asistentes", "Certificate": "Certificado", "Consent": "Consentimiento", "Attended": "Asistió",
    "Registered": "Registro", "Name": "Nombre", "Role": "Rol", "Sex": "Sexo", "Age band": "Rango de edad", "Phone": "Teléfono",
    "Cédula": "Cédula", "First names": "Nombres", "Last names": "Apellidos", "not present": "no asistió",
    "Nobody registered yet.": "Aún no hay nadie registrado.", "Unmark": "Desmarcar",
    "Cédula and phone numbers are masked: only the administration and the director see them (LOPDP).":
        "La cédula y los teléfonos aparecen enmascarados: solo la administración y la dirección los ven (LOPDP).",
    "Issue certificates": "Emitir certificados", "Import an attendance sheet": "Importar una hoja de asistencia",
    "Self check-in (QR)": "Registro autónomo (QR)", "Open self check-in": "Abrir el registro autónomo",
    "Close self check-in": "Cerrar el registro autónomo",
    "Attendees register on their own phone by scanning a QR code, while check-in is open.":
        "Los asistentes se registran desde su propio teléfono escaneando un código QR, mientras el registro esté abierto.",
    "Print or project the QR code": "Imprimir o proyectar el código QR",
    "Scan to register your attendance": "Escanee para registrar su asistencia",
    "Self check-in is open.": "El registro autónomo está abierto.", "Self check-in is closed.": "El registro autónomo está cerrado.",
    "Self check-in cannot open for a postponed or cancelled training.":
        "El registro autónomo no puede abrirse para una capacitación postergada o cancelada.",
    # attendance on a phone
    "Search by cédula or names": "Buscar por cédula o nombres", "Mark present": "Marcar presente", "Present": "Presente", "Marked present": "Presentes",
    "Not found? Add a person": "¿No aparece? Agregar una persona", "Add and mark present": "Agregar y marcar presente",
    "Nobody found. Add the person below.": "No se encontró a nadie. Agregue a la persona más abajo.",
    "Nobody marked present yet.": "Aún no hay nadie marcado como presente.", "See everyone": "Ver a todos",
    "no cédula": "sin cédula", "Optional for minors.": "Opcional para menores de edad.",
    "Consents to the processing of their personal data (for a minor, their parent or guardian)":
        "Consiente el tratamiento de sus datos personales (si es menor de edad, su madre, padre o representante)",
    "Without consent to data processing the person's data cannot be stored.":
        "Sin el consentimiento para el tratamiento de datos no se pueden guardar los datos de la persona.",
    "The cédula is required for adults.": "La cédula es obligatoria para adultos.",
    "%(name)s is marked present.": "%(name)s quedó marcado/a como presente.",
    "%(name)s was already marked present.": "%(name)s ya estaba marcado/a como presente.",
    "%(name)s is no longer marked present.": "%(name)s ya no está marcado/a como presente.",
    "You may not register people of another parish.": "No puede registrar personas de otra parroquia.",
    "Unknown role.": "Rol desconocido.",
    "This cédula is registered for someone with other last names. Check the number, or search for the person.":
        "Esta cédula está registrada para alguien con otros apellidos. Revise el número o busque a la persona.",
    "This training was postponed or cancelled: attendance cannot be taken.":
        "Esta capacitación se postergó o canceló: no se puede tomar asistencia.",
    "A certificate was issued for this attendance; it cannot be unmarked.":
        "Ya se emitió un certificado para esta asistencia; no se puede desmarcar.",
    # public check-in
    "Check-in": "Registro de asistencia", "Register your attendance": "Registre su asistencia", "Register": "Registrarme",
    "Self check-in for this training is closed.": "El registro autónomo de esta capacitación está cerrado.",
    "Self check-in for this training is closed. Please ask the staff at the training.":
        "El registro autónomo de esta capacitación está cerrado. Por favor, acuda al personal de la capacitación.",
    "Thank you, %(name)s: your attendance is registered.": "Gracias, %(name)s: su asistencia quedó registrada.",
    "%(name)s, you were already registered for this training.": "%(name)s, usted ya estaba registrado/a en esta capacitación.",
    "Your data are used only to record this training, issue your certificate and compute anonymous statistics, as the Ley Orgánica de Protección de Datos Personales requires.":
        "Sus datos se usan solo para registrar esta capacitación, emitir su certificado y calcular estadísticas anónimas, como exige la Ley Orgánica de Protección de Datos Personales.",
    "This cédula is registered with other names. Please ask the staff at the training.":
        "Esta cédula está registrada con otros nombres. Por favor, acuda al personal de la capacitación.",
    "Too many registrations from this device. Please ask the staff at the training.":
        "Demasiados registros desde este dispositivo. Por favor, acuda al personal de la capacitación.",
    "This training has reached its limit of self check-ins. Please ask the staff.":
        "Esta capacitación alcanzó el límite de registros autónomos. Por favor, acuda al personal.",
    # certificates
    "Certificate of attendance": "Certificado de asistencia", "The council certifies that": "El Concejo certifica que",
    "attended the preventive training": "asistió a la capacitación preventiva",
    "held on %(date)s, %(hours)s hours": "realizada el %(date)s, con una duración de %(hours)s horas",
    "Given by: %(institutions)s": "Impartida por: %(institutions)s", "Verification code": "Código de verificación",
    "Issued on %(date)s": "Emitido el %(date)s", "Issued on": "Emitido el", "Given by": "Impartida por",
    "Certificates are issued once the training is marked as done.":
        "Los certificados se emiten cuando la capacitación está marcada como realizada.",
    "Certificates issued: %(n)s.": "Certificados emitidos: %(n)s.",
    "Certificate verification": "Verificación de certificados", "Valid certificate": "Certificado válido",
    "Training": "Capacitación", "Verify": "Verificar",
    "No valid certificate has the code %(code)s. Check the code as printed on the certificate.":
        "Ningún certificado válido tiene el código %(code)s. Revise el código tal como está impreso en el certificado.",
    # attendance sheets
    "Attendance sheet (CSV or XLSX)": "Hoja de asistencia (CSV o XLSX)",
    "A sheet with one row per person. Every row is checked first and the problems are listed by row; nothing is saved until you confirm, and then everything confirmed is saved together or nothing is.":
        "Una hoja con una fila por persona. Primero se revisa cada fila y los problemas se listan por fila; nada se guarda hasta que usted confirme, y entonces todo lo confirmado se guarda junto o no se guarda nada.",
    "Columns of the sheet": "Columnas de la hoja",
    "CSV (comma or semicolon) or XLSX, at most %(max)s MB. The first row holds the column names:":
        "CSV (con comas o punto y coma) o XLSX, de máximo %(max)s MB. La primera fila lleva los nombres de las columnas:",
    "First names.": "Nombres.", "Last names.": "Apellidos.",
    "10 digits, checked with the Registro Civil check digit. May be empty only for people under 18.":
        "10 dígitos, verificados con el dígito verificador del Registro Civil. Puede quedar vacía solo para menores de 18 años.",
    "presidente parroquial, dirigente barrial, morador, policía, bombero or otro (empty: morador).":
        "presidente parroquial, dirigente barrial, morador, policía, bombero u otro (vacío: morador).",
    "F, M or X.": "F, M o X.",
    "Age in years, or a band: 0-17, 18-29, 30-44, 45-64, 65+.": "Edad en años, o un rango: 0-17, 18-29, 30-44, 45-64, 65+.",
    "Name of the barrio, as in Centinela.": "Nombre del barrio, como está en Centinela.",
    "sí when the person consented to the processing of their data; rows without it cannot be stored.":
        "sí cuando la persona consintió el tratamiento de sus datos; las filas sin consentimiento no se pueden guardar.",
    "Optional.": "Opcional.", "Row": "Fila", "Person": "Persona", "Problem": "Problema", "Row %(n)s": "Fila %(n)s",
    "%(ok)s valid rows can be imported; %(bad)s rows with problems will be skipped.":
        "Se pueden importar %(ok)s filas válidas; se omitirán %(bad)s filas con problemas.",
    "%(a)s to mark present, %(b)s already present, %(p)s new people.":
        "%(a)s por marcar como presentes, %(b)s ya presentes, %(p)s personas nuevas.",
    "Import only the valid rows": "Importar solo las filas válidas",
    "Or correct the rows in your file and upload it again.": "O corrija las filas en su archivo y vuelva a subirlo.",
    "Attendance imported: %(new)s marked present, %(already)s already present, %(people)s new people, %(skipped)s rows skipped.":
        "Asistencia importada: %(new)s marcados como presentes, %(already)s ya presentes, %(people)s personas nuevas, %(skipped)s filas omitidas.",
    "The file cannot be read as CSV or XLSX (%(e)s).": "El archivo no se puede leer como CSV ni XLSX (%(e)s).",
    "The file is empty.": "El archivo está vacío.",
    "Column %(c)s is missing; the file has: %(all)s": "Falta la columna %(c)s; el archivo tiene: %(all)s",
    "The sheet has more than %(n)s rows; split it.": "La hoja tiene más de %(n)s filas; divídala.",
    "the first names are missing": "faltan los nombres", "the last names are missing": "faltan los apellidos",
    "age %(v)s cannot be read (a number of years or a band such as 18-29)":
        "no se entiende la edad %(v)s (un número de años o un rango como 18-29)",
    "cédula %(v)s is not valid (10 digits with a correct check digit)":
        "la cédula %(v)s no es válida (10 dígitos con dígito verificador correcto)",
    "cédula repeated: already in row %(n)s": "cédula repetida: ya está en la fila %(n)s",
    "the cédula is missing (it may be left empty only for people under 18)":
        "falta la cédula (solo puede quedar vacía para menores de 18 años)",
    "the same person is already in row %(n)s": "la misma persona ya está en la fila %(n)s",
    "unknown role %(v)s": "rol desconocido: %(v)s", "sex %(v)s cannot be read (F, M or X)": "no se entiende el sexo %(v)s (F, M o X)",
    "unknown barrio %(v)s": "barrio desconocido: %(v)s",
    "no consent to data processing: the person's data cannot be stored":
        "sin consentimiento para el tratamiento de datos: no se pueden guardar los datos de la persona",
    "cédula %(v)s is registered with other names": "la cédula %(v)s está registrada con otros nombres",
    "leading zero of the cédula restored": "se restituyó el cero inicial de la cédula",
    # coverage
    "From": "Desde", "To": "Hasta", "Parish / barrio": "Parroquia / barrio", "Trainings held": "Capacitaciones realizadas",
    "People trained": "Personas capacitadas", "Targets (actual / target)": "Metas (logrado / meta)", "Whole canton": "Todo el cantón",
    "The period ends before it starts.": "El periodo termina antes de empezar.",
    "Trainings marked as done between %(a)s and %(b)s; people are counted once however many trainings they attended. Barrios: trainings aimed at the barrio, and people who live in it. Targets are the plan's indicator targets for each parish, measured over their own period.":
        "Capacitaciones marcadas como realizadas entre el %(a)s y el %(b)s; cada persona se cuenta una vez, aunque haya asistido a varias. Barrios: capacitaciones dirigidas al barrio y personas que viven en él. Las metas son las de los indicadores del plan para cada parroquia, medidas en su propio periodo.",
}
PLURALS = {}
