from django.contrib.auth import views as auth_views
from django.urls import path

from centinela.accounts import views

urlpatterns = [
    path("ingresar/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("clave/olvido/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("clave/olvido/enviado/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("clave/nueva/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("clave/nueva/lista/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("clave/cambiar/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("clave/cambiar/lista/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("auditoria/", views.audit_log, name="audit_log"),
]
