"""Partner pages: institutions with their contacts and part in activities, agreements with their obligations,
and in-kind contributions per partner. Reads go through selectors, changes through services."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, can_see_personal_data, scope
from centinela.lib.views import form_view, get_scoped_or_404, list_view
from centinela.partners import columns, selectors, services
from centinela.partners.filters import AgreementFilter, InKindFilter, InstitutionFilter
from centinela.partners.forms import AgreementForm, ContactForm, InstitutionForm, ObligationForm, ParticipationForm
from centinela.partners.models import Agreement, ContactPerson, Institution, Obligation, contribution_model


def institution_list(request):
    return list_view(
        request,
        queryset=selectors.institutions_for(request.user),
        filterset_class=InstitutionFilter,
        columns=columns.INSTITUTION,
        title=_("Institutions"),
        basename="instituciones",
        add_url=reverse("partners:institution_create"),
        extra={"add_choices": [(reverse("partners:in_kind_summary"), _("In-kind contributions"))]},
    )


def institution_detail(request, pk):
    user = request.user
    institution = get_scoped_or_404(selectors.institutions_for(user), pk)
    return render(
        request,
        "partners/institution_detail.html",
        {
            "institution": institution,
            "contacts": selectors.contacts_for(user, institution),
            "show_personal_data": can_see_personal_data(user),
            "agreements": selectors.agreements_for(user).filter(counterpart=institution),
            "participation": selectors.participation(user, institution),
            "in_kind": selectors.in_kind_total(user, institution),
            "can_change": can(user, "change", institution),
            "can_add_contact": can(user, "add", ContactPerson),
            "can_change_contact": can(user, "change", ContactPerson),
            "can_add_participation": can(user, "add", contribution_model()),
            "can_add_agreement": can(user, "add", Agreement),
        },
    )


def _edit(request, *, form_class, instance, save, title, success_url, cancel_url, with_user=False):
    return form_view(
        request,
        form_class=form_class,
        instance=instance,
        save=save,
        title=title,
        success_url=success_url,
        template="lib/form.html",
        form_kwargs={"user": request.user} if with_user else None,
        extra={"cancel_url": cancel_url},
    )


def _detail(obj):
    return obj.get_absolute_url()


def institution_create(request):
    return _edit(
        request,
        form_class=InstitutionForm,
        instance=Institution(),
        save=services.save_institution,
        title=_("New institution"),
        success_url=_detail,
        cancel_url=reverse("partners:institution_list"),
    )


def institution_edit(request, pk):
    institution = get_scoped_or_404(selectors.institutions_for(request.user), pk)
    return _edit(
        request,
        form_class=InstitutionForm,
        instance=institution,
        save=services.save_institution,
        title=_("Edit institution"),
        success_url=_detail,
        cancel_url=institution.get_absolute_url(),
    )


def contact_create(request, pk):
    institution = get_scoped_or_404(selectors.institutions_for(request.user), pk)
    return _edit(
        request,
        form_class=ContactForm,
        instance=ContactPerson(institution=institution),
        save=services.save_contact,
        title=_("New contact at %(i)s") % {"i": institution},
        success_url=lambda c: institution.get_absolute_url(),
        cancel_url=institution.get_absolute_url(),
        with_user=True,
    )


def contact_edit(request, pk):
    contact = get_scoped_or_404(scope(request.user, ContactPerson.objects.select_related("institution")), pk)
    back = contact.institution.get_absolute_url()
    return _edit(
        request,
        form_class=ContactForm,
        instance=contact,
        save=services.save_contact,
        title=_("Edit contact"),
        success_url=lambda c: back,
        cancel_url=back,
        with_user=True,
    )


def participation_create(request, pk):
    institution = get_scoped_or_404(selectors.institutions_for(request.user), pk)
    back = institution.get_absolute_url()
    return _edit(
        request,
        form_class=ParticipationForm,
        instance=contribution_model()(institution=institution),
        save=services.save_participation,
        title=_("%(i)s in an activity") % {"i": institution},
        success_url=lambda p: back,
        cancel_url=back,
        with_user=True,
    )


def participation_edit(request, pk):
    part = get_scoped_or_404(
        scope(request.user, contribution_model().objects.select_related("institution", "activity")), pk
    )
    back = part.institution.get_absolute_url()
    return _edit(
        request,
        form_class=ParticipationForm,
        instance=part,
        save=services.save_participation,
        title=_("%(i)s in an activity") % {"i": part.institution},
        success_url=lambda p: back,
        cancel_url=back,
        with_user=True,
    )


def in_kind_summary(request):
    return list_view(
        request,
        queryset=scope(request.user, Institution.objects.all()),
        filterset_class=InKindFilter,
        columns=columns.IN_KIND,
        title=_("In-kind contributions"),
        basename="aportes-en-especie",
        template="partners/in_kind.html",
    )


# --- agreements -------------------------------------------------------------------------------------------------


def agreement_list(request):
    return list_view(
        request,
        queryset=selectors.agreements_for(request.user),
        filterset_class=AgreementFilter,
        columns=columns.AGREEMENT,
        title=_("Agreements"),
        basename="convenios",
        add_url=reverse("partners:agreement_create"),
        template="partners/agreement_list.html",
        extra={"expiring_agreements": selectors.expiring_agreements(user=request.user)},
    )


def agreement_detail(request, pk):
    user = request.user
    agreement = get_scoped_or_404(selectors.agreements_for(user), pk)
    status = agreement.status()
    return render(
        request,
        "partners/agreement_detail.html",
        {
            "agreement": agreement,
            "status": status,
            "status_badge": columns.agreement_status_badge(agreement),
            "days_left": (agreement.valid_until - timezone.localdate()).days if status == "expiring" else None,
            "parties": selectors.obligations_by_party(user, agreement),
            "can_change": can(user, "change", agreement),
            "can_add_obligation": can(user, "add", Obligation),
            "can_change_obligation": can(user, "change", Obligation),
        },
    )


def agreement_create(request):
    initial_counterpart = request.GET.get("counterpart")
    agreement = Agreement()
    if initial_counterpart and initial_counterpart.isdigit():
        agreement.counterpart = selectors.institutions_for(request.user).filter(pk=initial_counterpart).first()
    return _edit(
        request,
        form_class=AgreementForm,
        instance=agreement,
        save=services.save_agreement,
        title=_("New agreement"),
        success_url=_detail,
        cancel_url=reverse("partners:agreement_list"),
    )


def agreement_edit(request, pk):
    agreement = get_scoped_or_404(selectors.agreements_for(request.user), pk)
    return _edit(
        request,
        form_class=AgreementForm,
        instance=agreement,
        save=services.save_agreement,
        title=_("Edit agreement"),
        success_url=_detail,
        cancel_url=agreement.get_absolute_url(),
    )


def obligation_create(request, pk):
    agreement = get_scoped_or_404(selectors.agreements_for(request.user), pk)
    back = agreement.get_absolute_url()
    return _edit(
        request,
        form_class=ObligationForm,
        instance=Obligation(agreement=agreement),
        save=services.save_obligation,
        title=_("New obligation in %(a)s") % {"a": agreement.code},
        success_url=lambda o: back,
        cancel_url=back,
        with_user=True,
    )


def obligation_edit(request, pk):
    obligation = get_scoped_or_404(selectors.obligations_for(request.user), pk)
    back = obligation.agreement.get_absolute_url()
    return _edit(
        request,
        form_class=ObligationForm,
        instance=obligation,
        save=services.save_obligation,
        title=_("Edit obligation"),
        success_url=lambda o: back,
        cancel_url=back,
        with_user=True,
    )
