"""Changing citizen reports: filing one (public, no account), the reporter adding information, and staff triage
(status with a public update or an internal note, assignment, the public text). Staff changes start with the one
permission check; each public change e-mails the reporter when they left an e-mail."""

from __future__ import annotations

import calendar
import logging
import math
import secrets
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.accounts.models import Role
from centinela.accounts.permissions import require
from centinela.activities.evidence import check_upload
from centinela.cameras import services as camera_services
from centinela.cameras.models import Device, Lifecycle
from centinela.lib import audit
from centinela.lib.choices import display
from centinela.lib.uploads import too_large_message
from centinela.participation import channels, limits
from centinela.participation.categories import CAMERA_CATEGORY
from centinela.participation.channels import twilio_messages
from centinela.participation.limits import personal_data_in
from centinela.participation.models import (
    CLOSED,
    DESCRIPTION_MAX,
    MAX_PHOTOS,
    Open311Client,
    Report,
    ReportCategory,
    ReportPhoto,
    ReportUpdate,
    RoutingRule,
)
from centinela.participation.selectors import open_question
from centinela.territory import selectors as territory

log = logging.getLogger(__name__)

# A phone photo is a few megabytes; the public page accepts less than staff evidence (EVIDENCE_MAX_BYTES).
PHOTO_MAX_BYTES = 10 * 1024 * 1024
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B: read aloud over the phone without doubt
CODE_LENGTH = 6

# Where a report may go from each status. Closed reports may only be reopened (back to review).
TRANSITIONS: dict[str, set[str]] = {
    Report.Status.RECEIVED: {
        Report.Status.IN_REVIEW,
        Report.Status.ASSIGNED,
        Report.Status.IN_PROGRESS,
        Report.Status.RESOLVED,
        Report.Status.NOT_APPLICABLE,
        Report.Status.DUPLICATE,
    },
    Report.Status.IN_REVIEW: {
        Report.Status.ASSIGNED,
        Report.Status.IN_PROGRESS,
        Report.Status.RESOLVED,
        Report.Status.NOT_APPLICABLE,
        Report.Status.DUPLICATE,
    },
    Report.Status.ASSIGNED: {
        Report.Status.IN_REVIEW,
        Report.Status.IN_PROGRESS,
        Report.Status.RESOLVED,
        Report.Status.NOT_APPLICABLE,
        Report.Status.DUPLICATE,
    },
    Report.Status.IN_PROGRESS: {
        Report.Status.ASSIGNED,
        Report.Status.RESOLVED,
        Report.Status.NOT_APPLICABLE,
        Report.Status.DUPLICATE,
    },
    Report.Status.RESOLVED: {Report.Status.IN_REVIEW},
    Report.Status.NOT_APPLICABLE: {Report.Status.IN_REVIEW},
    Report.Status.DUPLICATE: {Report.Status.IN_REVIEW},
}
NEEDS_REASON = {Report.Status.NOT_APPLICABLE, Report.Status.DUPLICATE}


@dataclass
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False
    notify_by: str = "email"

    @property
    def given(self) -> bool:
        return bool(self.name or self.phone or self.email)


def check_length(field: str, text: str) -> None:
    if len(text) > DESCRIPTION_MAX:
        raise ValidationError(
            {
                field: _("The text is too long (%(n)s characters; at most %(max)s).")
                % {"n": len(text), "max": DESCRIPTION_MAX}
            }
        )


def new_code() -> str:
    while True:
        code = "R-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Report.objects.filter(code=code).exists():
            return code


def check_description(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"description": _("Describe what is happening.")})
    if len(text) > DESCRIPTION_MAX:
        raise ValidationError(
            {
                "description": _("The description is too long (%(n)s characters; at most %(max)s).")
                % {"n": len(text), "max": DESCRIPTION_MAX}
            }
        )
    return text


def check_location(lon, lat) -> None:
    if lon is None or lat is None:
        raise ValidationError({"lat": _("Choose the place on the map or use your position.")})
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError({"lat": _("The position is not valid.")})
    if not territory.in_canton(lon, lat):
        raise ValidationError(
            {"lat": _("The place is outside the canton of Loja. Choose a place inside the canton on the map.")}
        )


def check_photos(photos) -> list:
    """Each photo checked by content, size and pixels and re-encoded without metadata (the one check activity
    evidence uses); returns the clean files, nothing stored yet."""
    photos = [p for p in photos or [] if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}})
    checked = []
    for uploaded in photos:
        if getattr(uploaded, "oversized", False) or uploaded.size > PHOTO_MAX_BYTES:
            raise ValidationError({"photos": too_large_message(uploaded.size, PHOTO_MAX_BYTES)})
        try:
            checked.append(check_upload(uploaded, photo=True))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
    return checked


def check_contact(contact: Contact) -> None:
    if contact.given and not contact.consent:
        raise ValidationError(
            {"consent": _("To leave your contact data, accept their use; or leave them empty to report anonymously.")}
        )
    how = contact.notify_by or "email"
    channel = channels.CHANNELS.get(how)
    if channel is None or not channel.configured():
        raise ValidationError({"notify_by": _("Choose one of the ways to receive notices.")})
    if how != "email" and contact.given and not twilio_messages.e164(contact.phone):
        raise ValidationError(
            {
                "contact_phone": _("To receive notices by %(channel)s, write your phone number.")
                % {"channel": channel.label}
            }
        )


def file_report(
    *,
    category: ReportCategory,
    lon,
    lat,
    description: str,
    photos=(),
    contact: Contact | None = None,
    base_url: str = "",
    open311_client: Open311Client | None = None,
    camera_code: str = "",
):
    """A resident's report: every check first, then the report and its photos in one transaction, so a bad photo or
    a failure half-way stores nothing. A reporter who left an e-mail gets the code and the private link (`base_url`:
    scheme and host the link starts with). Public: no permission check (anyone may report); abuse limits come
    later. `open311_client`: the outside application that filed it through the Open311 API (an internal note says
    so)."""
    contact = contact or Contact()
    if contact.given:
        limits.check_contact_limit(contact.email, contact.phone)  # TooManyReports: the page answers 429
    errors: dict[str, list[str]] = {}
    if category is None or not category.active:
        errors["category"] = [_("Choose one of the categories.")]
    checks = [
        lambda: check_location(lon, lat),
        lambda: check_description(description),
        lambda: check_contact(contact),
    ]
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    try:
        checked = check_photos(photos)
    except ValidationError as exc:
        errors.setdefault("photos", []).extend(exc.message_dict["photos"])
    camera = None
    try:
        camera = camera_from_code(category, camera_code)
    except ValidationError as exc:
        errors.setdefault("camera_code", []).extend(exc.message_dict["camera_code"])
    if errors:
        raise ValidationError(errors)
    text = (description or "").strip()
    place = territory.locate(lon, lat)
    institution = route(category, place.parish)
    stored: list[ReportPhoto] = []
    try:
        with transaction.atomic():
            report = Report(
                code=new_code(),
                token=secrets.token_urlsafe(32),
                category=category,
                lon=lon,
                lat=lat,
                parish=place.parish,
                barrio=place.barrio,
                description=text,
                public_text=text,
                contact_name=contact.name.strip() if contact.given else "",
                contact_phone=contact.phone.strip() if contact.given else "",
                contact_email=contact.email.strip() if contact.given else "",
                contact_consent=contact.given and contact.consent,
                consent_at=timezone.now() if contact.given and contact.consent else None,
                notify_by=(contact.notify_by or "email") if contact.given else "email",
                assigned_institution=institution,
                flagged=bool(personal_data_in(text)),
                open311_client=open311_client,
            )
            report.full_clean()
            report.save()
            for clean in checked:
                photo = ReportPhoto(report=report, content_type=clean.content_type, size=clean.size)
                photo.file.save(clean.content.name, clean.content, save=False)
                stored.append(photo)
                photo.save()
            received = ReportUpdate.objects.create(
                report=report, public=True, status_to=Report.Status.RECEIVED, by_reporter=True, text=""
            )
            if open311_client is not None:
                ReportUpdate.objects.create(
                    report=report,
                    public=False,
                    text=_("Filed through the Open311 API by %(client)s.") % {"client": open311_client.name},
                )
            if institution is not None:
                ReportUpdate.objects.create(
                    report=report,
                    public=False,
                    text=_("Routed to %(i)s by the council's routing rules.") % {"i": institution.name},
                )
            if camera is not None:
                _tie_ticket(None, report, camera)
            notify_reporter(report, received, base_url.rstrip("/") + report.tracking_path() if base_url else "")
    except Exception:
        for photo in stored:  # files are not part of the transaction
            photo.file.delete(save=False)
        raise
    return report


def route(category: ReportCategory, parish):
    """The institution the council's routing rules give a new report: the active rule of its category for its
    parish, else the category's rule for any parish; None when no rule applies (staff assign it in triage)."""
    rules = RoutingRule.objects.filter(category=category, active=True, institution__active=True).select_related(
        "institution"
    )
    if parish is not None:
        rule = rules.filter(parish=parish).first()
        if rule is not None:
            return rule.institution
    rule = rules.filter(parish=None).first()
    return rule.institution if rule is not None else None


def add_reporter_information(report: Report, text: str) -> ReportUpdate:
    """The reporter adds information through the private link (the link is the permission); while staff wait for
    the answer to a question, it answers the question."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you want to add.")})
    check_length("text", text)
    update = ReportUpdate.objects.create(
        report=report, public=True, by_reporter=True, text=text, answers=open_question(report)
    )
    if personal_data_in(text):
        # a cédula or a phone number in the added text: to moderation, as in the report's first text (saved, so the
        # audit trail records the flag)
        report.flagged = True
        report.save(update_fields=["flagged", "updated_at"])
    else:
        Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    return update


RATINGS = {
    1: gettext_lazy("Very poor"),
    2: gettext_lazy("Poor"),
    3: gettext_lazy("Acceptable"),
    4: gettext_lazy("Good"),
    5: gettext_lazy("Very good"),
}


@transaction.atomic
def rate_resolution(report: Report, rating, comment: str = "") -> Report:
    """The reporter rates how the council resolved the report (from 1, very poor, to 5, very good), once it is
    resolved or closed as not applicable; a new rating replaces the earlier one. Through the private link."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in (Report.Status.RESOLVED, Report.Status.NOT_APPLICABLE):
        raise ValidationError({"rating": _("You can rate the answer once the report is closed.")})
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if rating not in RATINGS:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError(
            {"comment": _("The comment is too long (%(n)s characters; at most 500).") % {"n": len(comment)}}
        )
    report.rating, report.rating_comment, report.rated_at = rating, comment, timezone.now()
    report.flagged = report.flagged or bool(personal_data_in(comment))
    report.save(update_fields=["rating", "rating_comment", "rated_at", "flagged", "updated_at"])
    return report


# --- staff triage ----------------------------------------------------------------------------------------------


def check_transition(report: Report, status: str) -> None:
    if status != report.status and status not in TRANSITIONS.get(report.status, set()):
        raise ValidationError(
            {
                "status": _("A report that is %(from)s cannot go to %(to)s.")
                % {
                    "from": display(report, "status"),
                    "to": dict(Report.Status.choices).get(status, status),
                }
            }
        )


@transaction.atomic
def post_update(
    user, report: Report, *, status: str, text: str, public: bool, tracking_url: str = "", question: bool = False
) -> ReportUpdate:
    """A staff update: a new status and/or a text, public (the reporter reads it and is e-mailed) or an internal
    note. A status change is always visible to the reporter (the tracking page shows the status); the text of an
    internal note never is. A question is a public update the reporter answers on the tracking page."""
    require(user, "change", report)
    text = (text or "").strip()
    check_transition(report, status)
    changed = status != report.status
    if question:
        public = True
        if not text:
            raise ValidationError({"text": _("Write the question.")})
        if report.closed and not changed:
            raise ValidationError({"text": _("The report is closed: reopen it to ask the reporter.")})
    if not changed and not text:
        raise ValidationError({"text": _("Write the update, or choose a new status.")})
    if changed and status in NEEDS_REASON and not (text and public):
        raise ValidationError({"text": _("Tell the reporter why, in a public update.")})
    check_length("text", text)
    update = ReportUpdate(
        report=report,
        public=public,
        question=question,
        text=text,
        author=user,
        status_from=report.status if changed else "",
        status_to=status if changed else "",
    )
    update.save()
    if changed:
        if report.status == Report.Status.DUPLICATE:  # reopened: no longer merged into another report
            report.duplicate_of = None
        report.status = status
        report.save(update_fields=["status", "duplicate_of", "updated_at"])
    if public or changed:
        notify_reporter(report, update, tracking_url)
    return update


@transaction.atomic
def assign(user, report: Report, *, institution, person, tracking_url: str = "") -> Report:
    """Assign to an institution and, within it, a person. A report still received or in review moves to
    "assigned" with a public update naming the institution (the person stays internal)."""
    require(user, "change", report)
    if person is not None and person.role == Role.LIAISON and institution and person.institution_id != institution.pk:
        raise ValidationError({"person": _("%(p)s does not belong to %(i)s.") % {"p": person, "i": institution}})
    if institution is None and person is None:
        raise ValidationError({"institution": _("Choose an institution or a person.")})
    report.assigned_institution, report.assigned_to = institution, person
    report.save(update_fields=["assigned_institution", "assigned_to", "updated_at"])
    moves = report.status in (Report.Status.RECEIVED, Report.Status.IN_REVIEW)
    text = _("Assigned to %(i)s.") % {"i": institution.name} if institution else ""
    update = ReportUpdate.objects.create(
        report=report,
        public=bool(institution),
        text=text or _("Assigned to a person of the council."),
        author=user,
        status_from=report.status if moves else "",
        status_to=Report.Status.ASSIGNED if moves else "",
    )
    if moves:
        report.status = Report.Status.ASSIGNED
        report.save(update_fields=["status", "updated_at"])
    if update.public or moves:
        notify_reporter(report, update, tracking_url)
    return report


def edit_public_text(user, report: Report, text: str) -> Report:
    """Moderation: what the reporter and the public read (e.g. without a name or a phone number the reporter
    wrote). The reporter's original words stay in `description`, for staff."""
    require(user, "change", report)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"public_text": _("The public text cannot be empty.")})
    check_length("public_text", text)
    found = personal_data_in(text)
    if found and report.published:
        # publish() lets no such text onto the public map, list and open data; nor may an edit once it is there
        raise ValidationError(
            {
                "public_text": _(
                    "The report is published and this text seems to carry a cédula or a phone number: remove them, "
                    "or take the report off the public map first."
                )
            }
        )
    report.public_text = text
    report.flagged = bool(found)
    report.save(update_fields=["public_text", "flagged", "updated_at"])
    return report


def notify_reporter(report: Report, update: ReportUpdate, tracking_url: str = "") -> bool:
    """Tell the reporter of a public change, by the channel they chose (participation.channels: e-mail, SMS,
    WhatsApp) when they left an address and consent; sent after the commit, so a rolled-back change tells nobody.
    The text of an internal note is never sent. The reporters of the reports merged into this one are told too, each
    with the link of their own report (never this report's private link)."""
    status = display(report, "status")
    text = update.text if update.public else ""
    sent = _send_to_reporter(report, report.code, status, text, tracking_url)
    path = report.tracking_path()
    base = tracking_url[: -len(path)] if tracking_url.endswith(path) else ""
    merged = Report.objects.filter(duplicate_of=report, status=Report.Status.DUPLICATE, contact_consent=True).exclude(
        contact_email="", contact_phone=""
    )
    for other in merged:
        own_url = base + other.tracking_path() if base else ""
        sent = _send_to_reporter(other, other.code, status, text, own_url, merged_into=report.code) or sent
    return sent


def compose_notice(code: str, status: str, text: str, url: str, merged_into: str = "") -> channels.Notice:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"code": code, "status": status, "text": text, "url": url, "kept": merged_into}
        subject = _("Your report %(code)s: %(status)s") % context
        if merged_into:
            lines = [
                _("Your report %(code)s was merged into %(kept)s, which follows the same problem.") % context,
                _("Report %(kept)s is now: %(status)s.") % context,
            ]
        else:
            lines = [_("Your report %(code)s is now: %(status)s.") % context]
        short = " ".join(lines)
        if text:
            lines.append(text)
        if url:
            lines.append(_("Follow it here (a private link, do not share it): %(url)s") % context)
            short += " " + url
        lines.append(_("For an emergency call 911."))
        return channels.Notice(subject=subject, body="\n\n".join(lines), short=short)


def _send_to_reporter(report: Report, code: str, status: str, text: str, url: str, merged_into: str = "") -> bool:
    delivery = channels.delivery_for(report)
    if delivery is None:
        return False
    channel, address = delivery
    notice = compose_notice(code, status, text, url, merged_into)

    def send():
        try:
            channel.send(address, notice)
        except Exception:  # noqa: BLE001 - the change is saved; a mail or message service down must not undo it
            log.exception("could not notify the reporter of %s by %s", code, channel.code)

    transaction.on_commit(send)
    return True


@transaction.atomic
def merge(user, report: Report, keep: Report, *, tracking_url: str = "") -> Report:
    """Merge `report` into `keep` (the same problem): it becomes a duplicate pointing at the kept report, leaves the
    public map, and its reporter is told (public update); the reports merged into it before follow it to the kept
    one. From then on each public update of the kept report is e-mailed to the reporters of all of them."""
    require(user, "change", report)
    require(user, "change", keep)
    if keep.pk == report.pk:
        raise ValidationError({"keep": _("A report cannot be merged into itself.")})
    if keep.status == Report.Status.DUPLICATE:
        raise ValidationError(
            {"keep": _("%(code)s is itself a duplicate: merge into the report it points to.") % {"code": keep.code}}
        )
    if report.status == Report.Status.DUPLICATE:
        raise ValidationError({"keep": _("This report is already merged into another.")})
    Report.objects.filter(duplicate_of=report).update(duplicate_of=keep)
    update = ReportUpdate.objects.create(
        report=report,
        public=True,
        text=_("This report was merged into %(code)s, which follows the same problem.") % {"code": keep.code},
        author=user,
        status_from=report.status,
        status_to=Report.Status.DUPLICATE,
    )
    report.status, report.duplicate_of, report.published = Report.Status.DUPLICATE, keep, False
    report.save(update_fields=["status", "duplicate_of", "published", "updated_at"])
    ReportUpdate.objects.create(
        report=keep,
        public=False,
        text=_("%(code)s was merged into this report.") % {"code": report.code},
        author=user,
    )
    notify_reporter(report, update, tracking_url)
    return report


def publish(user, report: Report, published: bool) -> Report:
    """Moderation: the report on the public map, list and open data, or off them again. A duplicate is never
    published (its kept report is); sensitive categories are only ever counted per barrio."""
    require(user, "change", report)
    if published and report.status == Report.Status.DUPLICATE:
        raise ValidationError({"published": _("A duplicate is not published: its kept report is.")})
    if published and personal_data_in(report.public_text):
        raise ValidationError(
            {"published": _("The public text seems to carry a cédula or a phone number: edit it before publishing.")}
        )
    report.published = published
    report.save(update_fields=["published", "updated_at"])
    return report


# --- retention (LOPDP) -----------------------------------------------------------------------------------------


def months_before(moment, months: int):
    """The same local day and time `months` calendar months earlier (the month's last day when it is shorter)."""
    local = timezone.localtime(moment)
    index = local.year * 12 + (local.month - 1) - months
    year, month = divmod(index, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    return local.replace(year=year, month=month + 1, day=day)


def reports_to_anonymise(months: int, *, now=None):
    """Closed reports whose contact data are still kept, closed (their last change to a closed status) more than
    `months` months ago."""
    cutoff = months_before(now or timezone.now(), months)
    return (
        Report.objects.filter(status__in=CLOSED, anonymised_at=None)
        .exclude(contact_name="", contact_phone="", contact_email="")
        .annotate(closed_at=Max("updates__created_at", filter=Q(updates__status_to__in=CLOSED)))
        .filter(closed_at__lt=cutoff)
        .order_by("pk")
    )


def anonymise_closed_reports(months: int | None = None, *, now=None, dry_run: bool = False) -> list[str]:
    """Erase the reporter's name, phone and e-mail from reports closed more than `months` months ago
    (PARTICIPATION_RETENTION_MONTHS): the report stays for the statistics, with the day its contact was erased.
    Each report is saved on its own, so the audit log records the erasure (its contact values masked). Returns the
    codes of the reports anonymised (or that would be, with `dry_run`)."""
    months = settings.PARTICIPATION_RETENTION_MONTHS if months is None else months
    if months < 1:
        raise ValidationError(_("The retention period must be at least one month."))
    codes = []
    for report in reports_to_anonymise(months, now=now):
        codes.append(report.code)
        if dry_run:
            continue
        with transaction.atomic():
            anonymise_report(report, now=now)
    return codes


def anonymise_report(report: Report, *, now=None) -> None:
    """Erase one report's contact (name, phone, e-mail, and with them the consent and the channel): the report stays
    for the statistics, with the day its contact was erased. The retention rule above and a data-protection
    request (accounts.data_requests, participation/personal_data.py) both erase through here."""
    report.contact_name = report.contact_phone = report.contact_email = ""
    report.contact_consent = False
    report.notify_by = "email"
    report.anonymised_at = now or timezone.now()
    report.save(
        update_fields=[
            "contact_name",
            "contact_phone",
            "contact_email",
            "contact_consent",
            "notify_by",
            "anonymised_at",
            "updated_at",
        ]
    )
    # the audit trail's earlier entries of this report: contact values recorded before the masking was full (the
    # library's default kept half of them) are masked in full too
    audit.scrub(LogEntry.objects.get_for_object(report), Report.CONTACT_FIELDS)


# --- Open311 clients ---------------------------------------------------------------------------------------------


@transaction.atomic
def issue_open311_key(name: str, *, hourly_limit: int | None = None) -> tuple[Open311Client, str]:
    """A new Open311 client and its API key (returned once: only its hash is stored). Administrators issue keys in
    the Django admin or with `manage.py open311_key create NAME`; the creation is in the audit trail."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the application the key is for.")})
    if Open311Client.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("There is already an Open311 client named %(name)s.") % {"name": name}})
    client = Open311Client(name=name, hourly_limit=hourly_limit)
    key = client.new_key()
    client.full_clean()
    client.save()
    return client, key


def open311_client_for(key: str | None) -> Open311Client | None:
    """The active client whose key this is (and its use recorded), or None."""
    if not key or len(key) > 200:
        return None
    client = Open311Client.objects.filter(key_hash=Open311Client.hash(key), active=True).first()
    if client is not None:  # an update, not a save: the audit trail records changes to the client, not each use
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


def deactivate_open311_client(name: str) -> bool:
    """The client's key stops working (saved one by one, so the audit trail records it)."""
    found = False
    for client in Open311Client.objects.filter(name__iexact=(name or "").strip()):
        client.active = False
        client.save(update_fields=["active"])
        found = True
    return found


# --- ties to cameras and activities (issue 12 item 6) -----------------------------------------------------------


def is_camera_report(report_or_category) -> bool:
    category = getattr(report_or_category, "category", report_or_category)
    return category is not None and category.code == CAMERA_CATEGORY


def camera_from_code(category, code: str, devices=None) -> Device | None:
    """The camera a "cámara dañada" report names by the code on its pole (case and spaces aside); None when no code
    was given or the category is another one (the field is shown only for cameras). An unknown code is an error,
    so the report is not filed half-way with a camera nobody can find."""
    code = (code or "").strip()
    if not code or not is_camera_report(category):
        return None
    devices = Device.objects.all() if devices is None else devices
    camera = devices.exclude(lifecycle=Lifecycle.DECOMMISSIONED).filter(code__iexact=code).first()
    if camera is None:
        raise ValidationError(
            {
                "camera_code": _(
                    "There is no camera with the code %(code)s. Check the code on the camera's pole, or leave it empty."
                )
                % {"code": code[:40]}
            }
        )
    return camera


def _tie_ticket(user, report: Report, camera: Device) -> None:
    """Name the camera on the report and tie it to the camera's maintenance ticket: the open one if there is one
    (noted there), else a new ticket "reported" opened through the cameras app's own service. `user` None: filed by
    a resident. The reporter's words go to the ticket only when moderation has nothing to remove from them."""
    lines = [_("Citizen report %(code)s: the camera was reported damaged.") % {"code": report.code}]
    if report.public_text and not report.flagged:
        lines.append(report.public_text)
    ticket, opened = camera_services.ticket_for_failure_report(
        user,
        camera,
        "\n".join(lines),
        note=_("Citizen report %(code)s reports this camera damaged too.") % {"code": report.code},
    )
    report.camera, report.ticket = camera, ticket
    report.save(update_fields=["camera", "ticket", "updated_at"])
    text = (
        _("Maintenance ticket #%(n)s opened for camera %(camera)s.")
        if opened
        else _("Linked to maintenance ticket #%(n)s, already open for camera %(camera)s.")
    )
    ReportUpdate.objects.create(
        report=report, public=False, author=user, text=text % {"n": ticket.pk, "camera": camera.code}
    )


@transaction.atomic
def set_camera(user, report: Report, camera: Device) -> Report:
    """Staff confirm (or correct) in triage which camera a "cámara dañada" report is about: the report names it and
    is tied to its open maintenance ticket, or to a new one."""
    require(user, "change", report)
    if not is_camera_report(report):
        raise ValidationError({"camera": _("Only a report of the category “Cámara dañada” names a camera.")})
    if camera.lifecycle == Lifecycle.DECOMMISSIONED:
        raise ValidationError({"camera": _("Camera %(code)s is decommissioned.") % {"code": camera.code}})
    ticket_open = report.ticket_id is not None and report.ticket.status in camera_services.OPEN_TICKET
    if report.camera_id == camera.pk and ticket_open:
        return report
    _tie_ticket(user, report, camera)
    return report


def _activity_text(activity) -> str:
    day = timezone.localtime(activity.starts_at).strftime("%d/%m/%Y")
    return _("%(kind)s “%(title)s” on %(date)s") % {
        "kind": activity.get_kind_display(),
        "title": activity.title,
        "date": day,
    }


@transaction.atomic
def answer_with(user, report: Report, activity, *, tracking_url: str = "") -> ReportUpdate:
    """An activity of the council answered the report (a training in the barrio that asked for it): linked, and a
    public update tells the reporter which one and when."""
    require(user, "change", report)
    require(user, "view", activity)
    if activity.status == type(activity).Status.CANCELLED:
        raise ValidationError({"activity": _("A cancelled activity does not answer a report.")})
    if report.answered_by.filter(pk=activity.pk).exists():
        raise ValidationError({"activity": _("This activity is already linked to the report.")})
    report.answered_by.add(activity)
    update = ReportUpdate.objects.create(
        report=report,
        public=True,
        author=user,
        text=_("Answered by the council's activity: %(activity)s.") % {"activity": _activity_text(activity)},
    )
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    notify_reporter(report, update, tracking_url)
    return update


@transaction.atomic
def unlink_activity(user, report: Report, activity) -> None:
    """A link made by mistake: removed, with an internal note (the public update stays in the history)."""
    require(user, "change", report)
    if not report.answered_by.filter(pk=activity.pk).exists():
        raise ValidationError({"activity": _("This activity is not linked to the report.")})
    report.answered_by.remove(activity)
    ReportUpdate.objects.create(
        report=report,
        public=False,
        author=user,
        text=_("Unlinked from the activity %(activity)s.") % {"activity": _activity_text(activity)},
    )
