"""The personal data activities hold, for data-protection requests (accounts.data_requests.registry): the people
who attend trainings. Erasing one blanks their names, cédula, phone and e-mail and keeps the person, their sex, age
band, parish and attendances, so every count of people trained stays as it was."""

from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy

from centinela.accounts.data_requests.registry import Holder, register
from centinela.activities.models import Attendance, Person


@register
class TrainingAttendees(Holder):
    key = "activities.person"
    label = gettext_lazy("Training attendee")
    model = Person
    cedula_field, email_field, phone_field = "cedula", "email", "phone"
    personal_fields = ("first_names", "last_names", "cedula", "phone", "email")
    erased = {"first_names": "", "last_names": "", "cedula": None, "phone": "", "email": ""}

    def _attendances(self, record):
        return (
            Attendance.objects.filter(person=record)
            .select_related("training__activity")
            .order_by("-training__activity__starts_at", "-pk")
        )

    def title(self, record):
        return f"{record.first_names} {record.last_names}".strip()

    def url(self, record):
        latest = self._attendances(record).first()
        return latest.training.get_absolute_url() if latest else ""

    def context(self, record):
        trainings = [
            f"{a.training.topic} ({formats.date_format(localtime(a.training.activity.starts_at), 'SHORT_DATE_FORMAT')})"
            for a in self._attendances(record)
        ]
        return [(str(gettext_lazy("Trainings attended")), "; ".join(trainings))]
