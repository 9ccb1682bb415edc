"""Versions of the yearly report (rendición de cuentas): generating a draft, the director's approval that freezes it
(figures, PDF, SHA-256, who and when, a signature block), and checking a frozen file against its hash. Drafts are
read for the whole canton (user=None): a version is the council's account, not one reader's view of it."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, require
from centinela.accounts.services import acting
from centinela.reports import charts, render_pdf, selectors
from centinela.reports.models import DemoDataset, ReportVersion


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pdf(report) -> bytes:
    return render_pdf.render(report, charts.build_charts(report))


def _filename(version: ReportVersion) -> str:
    state = "aprobada" if version.approved else "borrador"
    return f"rendicion-de-cuentas-{version.year}-v{version.number}-{state}.pdf"


def generate_draft(user, year: int) -> ReportVersion:
    """A draft of `year` from today's records. The year's open draft is replaced; once a version is approved, the
    next generation is a new draft with the next number (an approved version never changes)."""
    require(user, "add", ReportVersion)
    report = selectors.annual_report(year)
    content = _pdf(report)
    with transaction.atomic(), acting(user):
        latest = ReportVersion.objects.select_for_update().filter(year=year).order_by("-number").first()
        if latest is None or latest.approved:
            number = (ReportVersion.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1
            version = ReportVersion(year=year, number=number)
        else:
            version = latest
        replaced = version.file.name if version.file else ""
        version.created_by = user
        version.figures = selectors.figures(report)
        version.demo_data = "\n".join(report.demo_data)
        version.sha256 = sha256(content)
        version.file.save(_filename(version), ContentFile(content), save=False)
        version.save()
    if replaced and replaced != version.file.name:
        version.file.storage.delete(replaced)  # the replaced draft's file, once the new one is recorded
    return version


def approve(user, version: ReportVersion) -> ReportVersion:
    """The director approves a draft: it is read again and must say what the draft said (else the records changed
    since and a new draft is needed); the PDF is built with the signature block, stored with its SHA-256 and frozen.
    A report that includes demo or synthetic data is never approved."""
    if not can(user, "change", version):  # the director's alone (accounts.permissions.RULES)
        raise PermissionDenied(_("Only the director approves the accountability report."))
    if version.approved:
        raise ValidationError(_("This version is already approved; it cannot be approved again."))
    report = selectors.annual_report(version.year)
    if report.demo_data or version.demo_data:
        raise ValidationError(
            _(
                "This report includes demonstration or synthetic data (%(sets)s): it is not an official report and "
                "cannot be approved."
            )
            % {"sets": ", ".join(report.demo_data or version.demo_data.splitlines())}
        )
    if selectors.figures(report) != version.figures:
        raise ValidationError(
            _("The records changed since this draft was generated: generate a new draft, review it and approve that.")
        )
    now = timezone.now()
    name = user.get_full_name() or user.username
    role = user.get_role_display()
    report.signature = selectors.Signature(name, role, now)
    content = _pdf(report)
    with transaction.atomic(), acting(user):
        locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if locked.approved:
            raise ValidationError(_("This version is already approved; it cannot be approved again."))
        old = locked.file.name
        locked.status = ReportVersion.Status.APPROVED
        locked.approved_by, locked.approved_at = user, now
        locked.approver_name, locked.approver_role = name, role
        locked.sha256 = sha256(content)
        locked.file.save(_filename(locked), ContentFile(content), save=False)
        locked.save()
    if old and old != locked.file.name:
        locked.file.storage.delete(old)  # the unsigned draft's file: the signed one replaces it
    return locked


def file_matches(version: ReportVersion) -> bool:
    """Whether the stored file is still the one frozen (its SHA-256 as recorded)."""
    if not version.file or not version.sha256:
        return False
    try:
        with version.file.open("rb") as f:
            return sha256(f.read()) == version.sha256
    except OSError:
        return False


def mark_demo_dataset(code: str, name: str, *, first_year: int, last_year: int | None, synthetic: bool = False):
    """Record that a data set loaded here is not the council's records (load_demo calls it for each of its sets)."""
    origin = DemoDataset.Origin.SYNTHETIC if synthetic else DemoDataset.Origin.DEMO
    dataset, _created = DemoDataset.objects.update_or_create(
        code=code, defaults={"name": name, "origin": origin, "first_year": first_year, "last_year": last_year}
    )
    return dataset
