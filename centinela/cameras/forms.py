"""Forms of the camera network. Field checks live on the models (ranges, URL schemes); these add the point in
the canton, the write-only password and the choices a user may pick from."""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centinela.accounts.models import User
from centinela.accounts.permissions import NETWORK_FIELDS, can_manage_network, scope
from centinela.cameras.models import (
    TRANSITIONS,
    Device,
    FootageRequest,
    Lifecycle,
    MaintenanceSchedule,
    MaintenanceTicket,
    Site,
    System,
)
from centinela.lib import crypto
from centinela.lib.dates import DatePicker, DateTimePicker
from centinela.territory.models import Place

UNREADABLE_CREDENTIALS = _(
    "Credentials unreadable: enter them again. The stored password cannot be decrypted with "
    "the current key (CAMERA_CREDENTIALS_KEY changed, or the key file was not restored)."
)
DATE = DatePicker()
DATETIME = DateTimePicker()


class M2MLater:
    """form_view saves with commit=False and hands the row to a save function; this keeps the form's many-to-many
    data with the row so the save function can apply it once the row exists (views._save)."""

    def save(self, commit=True):
        obj = super().save(commit=commit)
        if not commit:
            obj._pending_m2m = self.save_m2m
        return obj


def _staff():
    from centinela.accounts.permissions import STAFF

    return User.objects.filter(role__in=[r.value for r in STAFF], is_active=True).order_by("username")


def _people_for(user, *, with_liaisons=True, also=()):
    """Whom a user may pick as responsible for a camera or assignee of a ticket. Staff: the council's staff and the
    institutions' liaisons (for tickets: the staff only). Anyone else (a parish president) is not shown the council's
    people: only the active users of their own parish, plus whoever is already chosen (`also`), so saving the form
    never drops them."""
    from centinela.accounts.permissions import is_staff

    if user is not None and is_staff(user):
        people = _staff()
        if with_liaisons:
            people = people | User.objects.filter(role="liaison", is_active=True)
    elif user is not None and getattr(user, "parish_id", None):
        people = User.objects.filter(parish_id=user.parish_id, is_active=True)
    else:
        people = User.objects.none()
    also = [u.pk for u in also if u is not None]
    if also:
        people = people | User.objects.filter(pk__in=also)
    return people.distinct().order_by("username")


class SiteForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = scope(user, Place.objects.all()) if user else Place.objects.none()

    class Meta:
        model = Site
        fields = ["name", "place", "lat", "lon", "address", "mounting_height_m", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"lat": _("Click the map to set the point."), "lon": ""}


class SystemForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from centinela.activities.models import Activity

        self.fields["reactivation"].queryset = (
            scope(user, Activity.objects.filter(programme__kind="surveillance")).order_by("-starts_at")
            if user
            else Activity.objects.none()
        )

    class Meta:
        model = System
        fields = [
            "name",
            "kind",
            "owner",
            "owner_institution",
            "monitored_by",
            "installed_on",
            "reactivated_on",
            "reactivation",
        ]
        widgets = {"installed_on": DATE, "reactivated_on": DATE}


class DeviceForm(forms.ModelForm):
    password = forms.CharField(
        label=_("password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted. Leave it blank to keep the current one."),
    )
    clear_password = forms.BooleanField(label=_("Remove the stored password"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["system"].queryset = (
            scope(user, System.objects.select_related("site")) if user else System.objects.none()
        )
        current = list(self.instance.responsible.all()) if self.instance.pk else []
        self.fields["responsible"].queryset = _people_for(user, also=current)
        if self.instance.password_encrypted and not crypto.readable(self.instance.password_encrypted):
            self.fields["password"].help_text = UNREADABLE_CREDENTIALS
        elif self.instance.password_encrypted:
            shown = crypto.masked(self.instance.password_encrypted)
            self.fields["password"].help_text = _("Stored: %(masked)s. Leave it blank to keep it.") % {"masked": shown}
        else:
            del self.fields["clear_password"]
        if not can_manage_network(user):  # addresses and credentials are the network managers' business
            for name in NETWORK_FIELDS + ("clear_password",):
                self.fields.pop(name, None)
        if self.instance.pk:
            del self.fields["lifecycle"]  # changes go through the lifecycle form, with a reason

    def clean_stream_url(self):
        return _check_address(self.cleaned_data.get("stream_url"), ("rtsp", "rtsps"), "rtsp://192.168.1.10:554/stream1")

    def clean_snapshot_url(self):
        return _check_address(
            self.cleaned_data.get("snapshot_url"), ("http", "https"), "http://192.168.1.10/snapshot.jpg"
        )

    def clean_onvif_url(self):
        return _check_address(
            self.cleaned_data.get("onvif_url"), ("http", "https"), "http://192.168.1.10/onvif/device_service"
        )

    def save(self, commit=True):
        """The row with the password typed (if any) attached: services.save_device encrypts it, and drops the
        stored credentials when the address changes without one."""
        device = super().save(commit=False)
        device._credentials = {
            "password": self.cleaned_data.get("password") or None,
            "clear_password": bool(self.cleaned_data.get("clear_password")),
        }
        device._pending_m2m = self.save_m2m
        if commit:
            from centinela.cameras.services import save_device

            save_device(self.user, device, **device._credentials)
        return device

    class Meta:
        model = Device
        fields = [
            "system",
            "code",
            "name",
            "camera_type",
            "brand",
            "model",
            "serial",
            "stream_url",
            "snapshot_url",
            "onvif_url",
            "host",
            "port",
            "username",
            "password",
            "bearing",
            "field_of_view",
            "tilt",
            "range_m",
            "height_m",
            "lifecycle",
            "installed_on",
            "reactivated_on",
            "probe_interval_s",
            "responsible",
        ]
        widgets = {"installed_on": DATE, "reactivated_on": DATE, "responsible": forms.CheckboxSelectMultiple}


def _check_address(value, schemes, example):
    """The model checks the scheme; here: an address with that scheme must also name a host (and a numeric port)."""
    if not value:
        return value
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in schemes:
        return value  # Device.clean gives the message about the scheme
    try:
        parts.port  # noqa: B018 - reading it raises ValueError on a port out of range
        ok = bool(parts.hostname) and not any(c.isspace() for c in value)
    except ValueError:
        ok = False
    if not ok:
        raise ValidationError(_("This address is malformed; write it like %(example)s") % {"example": example})
    return value


class LifecycleForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), max_length=300)
    reactivation = forms.ModelChoiceField(
        label=_("Reactivation activity"),
        required=False,
        queryset=None,
        help_text=_(
            "When the camera returns to service after being abandoned: the video-surveillance programme "
            "activity that reactivated it."
        ),
    )

    def __init__(self, *args, device=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from centinela.activities.models import Activity

        allowed = TRANSITIONS.get(Lifecycle(device.lifecycle), set()) if device else set()
        self.fields["to_status"].choices = [(v, label) for v, label in Lifecycle.choices if v in allowed]
        # the same activities System.reactivation offers (SystemForm)
        self.fields["reactivation"].queryset = (
            scope(user, Activity.objects.filter(programme__kind="surveillance")).order_by("-starts_at")
            if user
            else Activity.objects.none()
        )
        if device is None or Lifecycle.OPERATIONAL not in allowed:
            del self.fields["reactivation"]
        else:
            from centinela.cameras.services import away_since_abandoned

            if not away_since_abandoned(device):  # only a return from abandonment is a reactivation
                del self.fields["reactivation"]


class ScheduleDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class TicketForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = scope(user, Device.objects.all()) if user else Device.objects.none()

    class Meta:
        model = MaintenanceTicket
        fields = ["device", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("assigned to"), queryset=User.objects.none())
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = [ticket.assigned_to] if ticket is not None and ticket.assigned_to_id else []
        self.fields["assigned_to"].queryset = _people_for(user, with_liaisons=False, also=current)


class ProgressForm(forms.Form):
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    cause = forms.CharField(label=_("cause"), max_length=250)
    parts = forms.CharField(label=_("parts replaced"), max_length=250, required=False)
    cost = forms.DecimalField(label=_("cost (USD)"), min_value=0, max_digits=10, decimal_places=2, initial=0)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = scope(user, Device.objects.all()) if user else Device.objects.none()

    class Meta:
        model = MaintenanceSchedule
        fields = ["device", "task", "every_days", "next_due"]
        widgets = {"next_due": DATE}


class IncidentNumberField(forms.ModelChoiceField):
    """An incident picked by its number in the registry (a list of thousands would not fit a drop-down)."""

    widget = forms.NumberInput(attrs={"min": 1})
    default_error_messages = {"invalid_choice": _("There is no incident with that number that you may see.")}

    def label_from_instance(self, obj):
        return f"#{obj.pk} · {obj}"


def _incidents(user):
    from centinela.incidents.models import Incident

    return scope(user, Incident.objects.all()) if user else Incident.objects.none()


class FootageRequestForm(M2MLater, forms.ModelForm):
    # A liaison asks for their own institution, in their own name, now (services.save_footage_request).
    LIAISON_SETS = ("institution", "requester", "requested_at")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and getattr(user, "role", None) == "liaison" and not user.is_superuser:
            for name in self.LIAISON_SETS:
                del self.fields[name]
        self.fields["devices"].queryset = scope(user, Device.objects.all()) if user else Device.objects.none()
        self.fields["incident"] = IncidentNumberField(
            queryset=_incidents(user),
            required=False,
            label=_("Incident number"),
            help_text=_(
                "The incident's number in the registry. For an incident not in the registry, leave it "
                "empty and write its reference below."
            ),
        )
        self.order_fields(self.Meta.fields)
        for name in ("requested_at", "period_start", "period_end"):
            if name in self.fields:
                self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    class Meta:
        model = FootageRequest
        fields = [
            "institution",
            "requester",
            "requested_at",
            "incident",
            "incident_reference",
            "devices",
            "period_start",
            "period_end",
            "notes",
        ]
        widgets = {
            "requested_at": DATETIME,
            "period_start": DATETIME,
            "period_end": DATETIME,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class FootageAnswerForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_at"].required = True
        self.fields["answered_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    class Meta:
        model = FootageRequest
        fields = ["answered_at", "outcome", "notes"]
        widgets = {"answered_at": DATETIME, "notes": forms.Textarea(attrs={"rows": 2})}


class LinkIncidentForm(forms.Form):
    """Staff link an incident to a camera by hand."""

    incident = IncidentNumberField(queryset=None, label=_("Incident number"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = _incidents(user)
