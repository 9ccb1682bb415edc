"""The page of data-protection requests (`/cuenta/datos-personales/`): search, export, erase with a confirmation.
Everything is posted, never in the address, so a cédula or an e-mail never reaches the server's access log."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from centinela.accounts.data_requests import selectors, services
from centinela.accounts.data_requests.forms import DataRequestForm
from centinela.accounts.permissions import can_see_personal_data

TEMPLATE = "accounts/data_requests.html"


def _error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        form.add_error(None, exc)


@never_cache  # a page of one person's personal data: never kept by a browser or a proxy
def data_requests(request):
    user = request.user
    if not can_see_personal_data(user):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": DataRequestForm()})
    form = DataRequestForm(request.POST)
    action = request.POST.get("action", "search")
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    query, reference = form.cleaned_data["query"], form.cleaned_data["reference"]
    chosen = request.POST.getlist("records")

    if action == "export":
        services.audit_lookup(user, query, reference, what="data_request_export")
        data = selectors.export(user, query, reference)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="datos-personales-{stamp}.json"'
        return response

    if action in ("erase", "confirm"):
        try:
            if action == "erase":  # the confirmation step: what would be erased, nothing written yet
                found = services.to_erase(user, query, chosen, reference)
                return render(request, "accounts/data_requests_confirm.html", {"form": form, "to_erase": found})
            erased = services.erase(user, query, chosen, reference)
        except ValidationError as exc:
            _error(form, exc)
            groups = selectors.find(user, query)
            return render(request, TEMPLATE, {"form": form, "groups": groups, "chosen": chosen}, status=400)
        messages.success(
            request,
            ngettext(
                "The personal data of %(n)s record were erased (%(reference)s).",
                "The personal data of %(n)s records were erased (%(reference)s).",
                len(erased),
            )
            % {"n": len(erased), "reference": reference},
        )
        return render(request, TEMPLATE, {"form": form, "groups": selectors.find(user, query), "searched": True})

    services.audit_lookup(user, query, reference)
    groups = selectors.find(user, query)
    return render(request, TEMPLATE, {"form": form, "groups": groups, "searched": True, "chosen": chosen})
