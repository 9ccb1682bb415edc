"""The committee pages' addresses, under /participa/comites/ in the participation namespace."""

from django.urls import path

from centinela.participation.committees import views

urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("nuevo/", views.committee_create, name="committee_create"),
    path("acuerdos/", views.agreement_list, name="agreement_list"),
    path("acuerdos/<int:pk>/seguimiento/", views.agreement_follow_up, name="agreement_follow_up"),
    path("<int:pk>/", views.committee_detail, name="committee_detail"),
    path("<int:pk>/editar/", views.committee_edit, name="committee_edit"),
    path("<int:pk>/miembros/nuevo/", views.member_add, name="committee_member_add"),
    path("miembros/<int:pk>/editar/", views.member_edit, name="committee_member_edit"),
    path("<int:pk>/reuniones/nueva/", views.meeting_create, name="committee_meeting_create"),
    path("reuniones/<int:pk>/editar/", views.meeting_edit, name="committee_meeting_edit"),
]
