from django.urls import path

from centinela.partners import views

app_name = "partners"
urlpatterns = [
    path("instituciones/", views.institution_list, name="institution_list"),
    path("instituciones/nueva/", views.institution_create, name="institution_create"),
    path("instituciones/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("instituciones/<int:pk>/editar/", views.institution_edit, name="institution_edit"),
    path("instituciones/<int:pk>/contactos/nuevo/", views.contact_create, name="contact_create"),
    path("contactos/<int:pk>/editar/", views.contact_edit, name="contact_edit"),
    path("instituciones/<int:pk>/actividades/nueva/", views.participation_create, name="participation_create"),
    path("participacion/<int:pk>/editar/", views.participation_edit, name="participation_edit"),
    path("aportes/", views.in_kind_summary, name="in_kind_summary"),
    path("convenios/", views.agreement_list, name="agreement_list"),
    path("convenios/nuevo/", views.agreement_create, name="agreement_create"),
    path("convenios/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("convenios/<int:pk>/editar/", views.agreement_edit, name="agreement_edit"),
    path("convenios/<int:pk>/obligaciones/nueva/", views.obligation_create, name="obligation_create"),
    path("obligaciones/<int:pk>/editar/", views.obligation_edit, name="obligation_edit"),
]
