from django.contrib.auth import views as auth_views
from django.urls import path

from centinela.accounts import views
from centinela.accounts.data_requests import views as data_requests

urlpatterns = [
    path("ingresar/", views.LoginView.as_view(), name="login"),
    path("ingresar/codigo/", views.second_factor_verify, name="second_factor_verify"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("clave/olvido/", views.PasswordResetView.as_view(), name="password_reset"),
    path("clave/olvido/enviado/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("clave/nueva/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("clave/nueva/lista/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("clave/cambiar/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("clave/cambiar/lista/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("segundo-factor/", views.second_factor, name="second_factor"),
    path("auditoria/", views.audit_log, name="audit_log"),
    path("datos-personales/", data_requests.data_requests, name="data_requests"),
    path("usuarios/", views.user_list, name="user_list"),
    path("usuarios/nuevo/", views.user_create, name="user_create"),
    path("usuarios/<int:pk>/", views.user_detail, name="user_detail"),
    path("usuarios/<int:pk>/editar/", views.user_edit, name="user_edit"),
    path("usuarios/<int:pk>/activo/", views.user_set_active, name="user_set_active"),
    path("usuarios/<int:pk>/enlace-clave/", views.user_password_link, name="user_password_link"),
    path("usuarios/<int:pk>/segundo-factor/", views.user_reset_second_factor, name="user_reset_second_factor"),
]
