"""Spanish translations of the user administration, the second factor (TOTP, backup codes) and the set-password
e-mail (issue 10, item 7)."""

ES = {
    # user administration
    "Users": "Usuarios", "New user": "Nuevo usuario", "Edit user": "Editar usuario", "All users": "Todos los usuarios",
    "User name": "Nombre de usuario", "Last login": "Último ingreso", "never": "nunca", "Active account": "Cuenta activa",
    "Password": "Contraseña", "set": "establecida", "not set yet": "aún no establecida",
    "Deactivate": "Desactivar", "Reactivate": "Reactivar", "Account reactivated.": "Cuenta reactivada.",
    "Account deactivated.": "Cuenta desactivada.", "Nothing recorded yet.": "Nada registrado todavía.",
    "Send a link to set the password": "Enviar un enlace para establecer la contraseña",
    "By e-mail, now. The account cannot log in before its password is set.":
        "Por correo electrónico, ahora. La cuenta no puede ingresar antes de establecer su contraseña.",
    "A link to set the password was sent to %(email)s.": "Se envió un enlace para establecer la contraseña a %(email)s.",
    "Required for institutional liaisons: the institution they act for.":
        "Obligatoria para los enlaces institucionales: la institución a la que representan.",
    "A parish president needs their parish.": "Una presidencia parroquial necesita su parroquia.",
    "An institutional liaison needs their institution.": "Un enlace institucional necesita su institución.",
    "You cannot take away your own administrator role.": "No puede quitarse a sí mismo el rol de administrador.",
    "This is the last active administrator: make another one first.":
        "Es el último administrador activo: nombre primero a otro.",
    "You cannot deactivate your own account.": "No puede desactivar su propia cuenta.",
    "The account is deactivated: reactivate it first.": "La cuenta está desactivada: reactívela primero.",
    "The account has no e-mail address.": "La cuenta no tiene correo electrónico.",
    "sent to %(email)s": "enviado a %(email)s",
    "Your Centinela account": "Su cuenta de Centinela",
    "Hello %(name)s,\n\nAn administrator of Centinela has sent you this link to set the password of your account:":
        "Hola, %(name)s:\n\nUn administrador de Centinela le envió este enlace para establecer la contraseña de su "
        "cuenta:",
    "Your user name: %(username)s\nThe link can be used once, within %(days)s days. If you did not expect it, ignore "
    "this message.":
        "Su nombre de usuario: %(username)s\nEl enlace sirve una sola vez, dentro de %(days)s días. Si no lo "
        "esperaba, ignore este mensaje.",
    # second factor
    "Second factor": "Segundo factor", "Reset the second factor": "Restablecer el segundo factor",
    "authenticator app": "aplicación de autenticación", "none": "ninguno",
    "enrolled": "registrado", "reset": "restablecido", "removed by the user": "quitado por el usuario",
    "enrolled by create_admin": "registrado por create_admin", "reset on the server": "restablecido en el servidor",
    "There is no user named %(username)s.": "No existe un usuario llamado %(username)s.",
    "Second factor of %(username)s removed: they enrol again at the next login.":
        "Se quitó el segundo factor de %(username)s: lo registrará de nuevo en su próximo ingreso.",
    "The second factor was removed: the user will enrol again.":
        "Se quitó el segundo factor: el usuario lo registrará de nuevo.",
    "Second factor removed.": "Segundo factor quitado.",
    "Code": "Código",
    "The six digits your authenticator app shows now, or one of your backup codes.":
        "Los seis dígitos que muestra ahora su aplicación de autenticación, o uno de sus códigos de respaldo.",
    "Second factor (TOTP) secret: %(secret)s": "Clave del segundo factor (TOTP): %(secret)s",
    "Backup codes (each works once): %(codes)s": "Códigos de respaldo (cada uno sirve una vez): %(codes)s",
    "Backup codes": "Códigos de respaldo",
    "Keep these codes somewhere safe, apart from your phone. Each one logs you in once if you lose the phone. They "
    "are shown only now.":
        "Guarde estos códigos en un lugar seguro, lejos de su teléfono. Cada uno le permite ingresar una vez si pierde "
        "el teléfono. Solo se muestran ahora.",
    "Continue": "Continuar", "Confirm": "Confirmar", "Secret key": "Clave secreta",
    "Your account asks for a code from your authenticator app after the password.":
        "Su cuenta pide un código de su aplicación de autenticación después de la contraseña.",
    "Make new backup codes": "Generar nuevos códigos de respaldo",
    "Remove the second factor": "Quitar el segundo factor",
    "Administrators must use a second factor: enrol one to continue.":
        "Los administradores deben usar un segundo factor: registre uno para continuar.",
    "Install an authenticator app on your phone (FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator...).":
        "Instale una aplicación de autenticación en su teléfono (FreeOTP, Aegis, Google Authenticator, Microsoft "
        "Authenticator...).",
    "Scan this code with it, or type the secret key.": "Escanee este código con ella, o escriba la clave secreta.",
    "Type the code your authenticator app shows for Centinela.":
        "Escriba el código que su aplicación de autenticación muestra para Centinela.",
    "Lost your phone? Use one of your backup codes, or ask the administrator to reset your second factor.":
        "¿Perdió su teléfono? Use uno de sus códigos de respaldo, o pida al administrador que restablezca su segundo "
        "factor.",
    "Log in again, please.": "Ingrese de nuevo, por favor.",
    "The code is not valid. Type the one your app shows now, or a backup code.":
        "El código no es válido. Escriba el que muestra ahora su aplicación, o un código de respaldo.",
    "The code is not valid. Type the one your app shows now.":
        "El código no es válido. Escriba el que muestra ahora su aplicación.",
    "You used a backup code; %(n)s remain. Make new ones on your second factor page if few are left.":
        "Usó un código de respaldo; quedan %(n)s. Genere nuevos en la página de su segundo factor si quedan pocos.",
}

PLURALS = {
    "%(n)s backup code left.": ("Queda %(n)s código de respaldo.", "Quedan %(n)s códigos de respaldo."),
    "%(n)s backup code left": ("queda %(n)s código de respaldo", "quedan %(n)s códigos de respaldo"),
}
