"""Spanish translations of partners (institutions, contacts, agreements, in-kind contributions) and governance
(working groups, council sessions, resolutions). Model field names are in es_activities.py."""

ES = {
    # institutions and contacts
    "Institutions": "Instituciones", "New institution": "Nueva institución", "Edit institution": "Editar institución",
    "Short name": "Siglas", "Council member": "Miembro del concejo", "Website": "Sitio web", "Active": "Activa",
    "Main premises": "Sede principal", "Contact people": "Personas de contacto", "Add contact": "Agregar contacto",
    "New contact at %(i)s": "Nuevo contacto en %(i)s", "Edit contact": "Editar contacto", "Position": "Cargo",
    "E-mail": "Correo electrónico", "Phone": "Teléfono",
    "Personal data: shown to the director and administrators only":
        "Dato personal: visible solo para la directora o el director y los administradores",
    "Activities it took part in": "Actividades en las que participó",
    "Record its part in an activity": "Registrar su participación en una actividad",
    "%(i)s in an activity": "%(i)s en una actividad", "Activity": "Actividad", "In-kind (USD)": "En especie (USD)",
    "What was contributed": "Qué aportó",
    "This institution already has this role in that activity.": "Esta institución ya tiene este rol en esa actividad.",
    # in-kind contributions
    "In-kind contributions": "Aportes en especie", "Contributions": "Aportes", "Total (USD)": "Total (USD)",
    "Year": "Año", "All years": "Todos los años",
    "In-kind contributions recorded on activities that were not cancelled; the year is the activity's.":
        "Aportes en especie registrados en actividades no canceladas; el año es el de la actividad.",
    # agreements
    "Agreement": "Convenio", "New agreement": "Nuevo convenio", "Edit agreement": "Editar convenio",
    "Counterpart": "Contraparte", "Signed on": "Firmado el", "Valid until": "Vigente hasta", "Object": "Objeto",
    "In force": "Vigente", "Expiring": "Por vencer", "Expired": "Vencido", "Not yet in force": "Aún no vigente",
    "no end date": "sin fecha de fin", "Warning": "Aviso",
    "The agreement cannot end before it is signed.": "El convenio no puede terminar antes de firmarse.",
    "This agreement expires today.": "Este convenio vence hoy.", "expires today": "vence hoy",
    "Obligations": "Obligaciones", "Obligation": "Obligación", "Add obligation": "Agregar obligación",
    "New obligation in %(a)s": "Nueva obligación en %(a)s", "Edit obligation": "Editar obligación",
    "Activities that fulfil it": "Actividades que la cumplen", "Fulfilled": "Cumplida", "Not yet": "Aún no",
    "Hold Ctrl (or Cmd) to choose several.": "Mantenga presionada Ctrl (o Cmd) para elegir varias.",
    "The due date is before the agreement was signed (%(d)s).":
        "La fecha límite es anterior a la firma del convenio (%(d)s).",
    "The due date is after the agreement ends (%(d)s).":
        "La fecha límite es posterior a la fecha en que termina el convenio (%(d)s).",
    "days before expiry": "días antes del vencimiento", "sent to": "enviado a", "sent at": "enviado el",
    "expiry warning": "aviso de vencimiento", "expiry warnings": "avisos de vencimiento",
    "Centinela: agreement %(code)s expires today": "Centinela: el convenio %(code)s vence hoy",
    "The agreement %(code)s (%(title)s) with %(counterpart)s is valid until %(date)s.\n\nRenew it or plan its closure: %(url)s":
        "El convenio %(code)s (%(title)s) con %(counterpart)s está vigente hasta el %(date)s.\n\n"
        "Renuévelo o planifique su cierre: %(url)s",
    # working groups
    "Working groups": "Grupos de trabajo", "New working group": "Nuevo grupo de trabajo",
    "Edit working group": "Editar grupo de trabajo", "Plan": "Plan", "Members": "Miembros", "Meetings": "Reuniones",
    "Formed on": "Conformado el", "Purpose": "Propósito", "Member institutions": "Instituciones miembro",
    "Add member": "Agregar miembro", "Representative": "Representante", "Role in the group": "Función en el grupo",
    "Remove": "Quitar", "Remove this member from the group?": "¿Quitar este miembro del grupo?",
    "New member of %(g)s": "Nuevo miembro de %(g)s", "Edit member of %(g)s": "Editar miembro de %(g)s",
    "%(i)s is no longer a member of the group.": "%(i)s ya no es miembro del grupo.",
    "This institution is already a member of the group.": "Esta institución ya es miembro del grupo.",
    "Record a meeting": "Registrar una reunión", "Meeting of %(g)s": "Reunión de %(g)s",
    "New meeting of %(g)s": "Nueva reunión de %(g)s", "Edit meeting": "Editar reunión",
    "Signed minutes (file)": "Acta firmada (archivo)",
    "PDF, DOCX, ODT or a photo of the signed minutes.": "PDF, DOCX, ODT o una foto del acta firmada.",
    "Title of the file": "Título del archivo", "What was discussed and agreed.": "Lo que se trató y acordó.",
    "No minutes written yet.": "Aún no se ha escrito el acta.", "Signed minutes:": "Acta firmada:",
    # council sessions and resolutions
    "Council sessions": "Sesiones del concejo", "Council session": "Sesión del concejo",
    "New council session": "Nueva sesión del concejo", "Edit %(s)s": "Editar %(s)s", "Session": "Sesión",
    "Number": "Número", "Held at": "Fecha y hora", "Agenda": "Orden del día", "Institutions present": "Instituciones presentes",
    "There is already a session of this type with that number.": "Ya hay una sesión de este tipo con ese número.",
    "Attendance": "Asistencia", "Record attendance": "Registrar asistencia", "Present": "Presente", "absent": "ausente",
    "Attendance saved.": "Asistencia guardada.", "Attendance not recorded yet.": "Aún no se ha registrado la asistencia.",
    "Council member institutions are listed; tick those present and say who represented them.":
        "Se listan las instituciones miembro del concejo; marque las presentes e indique quién las representó.",
    "No institution is marked as a council member yet.": "Aún no hay instituciones marcadas como miembro del concejo.",
    "Resolutions": "Resoluciones", "Resolution": "Resolución", "Add resolution": "Agregar resolución",
    "New resolution of %(s)s": "Nueva resolución de %(s)s", "Edit resolution %(n)s": "Editar resolución %(n)s",
    "Responsible institution": "Institución responsable", "Responsible person": "Persona responsable",
    "Due on": "Fecha límite", "Follow-up": "Seguimiento", "Overdue": "Vencida",
    "Resolutions board": "Tablero de resoluciones", "Pending and overdue resolutions": "Resoluciones pendientes y vencidas",
    "The due date is before the session (%(d)s).": "La fecha límite es anterior a la sesión (%(d)s).",
    "Say when it was done.": "Indique cuándo se cumplió.",
    "Only a resolution that is done has a done date.": "Solo una resolución realizada tiene fecha de cumplimiento.",
    "The done date is before the session (%(d)s).": "La fecha de cumplimiento es anterior a la sesión (%(d)s).",
    "The done date cannot be in the future.": "La fecha de cumplimiento no puede ser futura.",
    "This session already has a resolution with that number.": "Esta sesión ya tiene una resolución con ese número.",
}

PLURALS = {
    "%(n)s contribution": ("%(n)s aporte", "%(n)s aportes"),
    "Centinela: agreement %(code)s expires in %(days)s day": (
        "Centinela: el convenio %(code)s vence en %(days)s día", "Centinela: el convenio %(code)s vence en %(days)s días",
    ),
    "%(n)s agreement expires soon:": ("%(n)s convenio vence pronto:", "%(n)s convenios vencen pronto:"),
    "%(d)s day left": ("queda %(d)s día", "quedan %(d)s días"),
    "This agreement expires in %(d)s day.": ("Este convenio vence en %(d)s día.", "Este convenio vence en %(d)s días."),
    "%(d)s day before it expires": ("%(d)s día antes de que venza", "%(d)s días antes de que venza"),
    "%(n)s resolution to follow up": ("%(n)s resolución por cumplir", "%(n)s resoluciones por cumplir"),
    "%(n)s overdue": ("%(n)s vencida", "%(n)s vencidas"),
    "%(n)s day overdue": ("%(n)s día de retraso", "%(n)s días de retraso"),
}
