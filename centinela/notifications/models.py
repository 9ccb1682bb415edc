"""What each user is told inside Centinela (issue 13 item 9): notices (something was assigned to them, something of
theirs is overdue, a job they asked for ended), read or not, and their preference for the daily e-mail digest.
What is assigned and overdue is read live from the records by the sources (`sources/`); a notice records that the
user was told, once per item and kind."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notice(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned to you")
        OVERDUE = "overdue", pgettext_lazy("notice", "Overdue")
        JOB_DONE = "job_done", _("Job finished")
        JOB_FAILED = "job_failed", _("Job failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The source that knows the item (sources.SOURCES) and the item's id there: the notice is shown only while the
    # user may still open it (the source asks the permission check), and never twice for the same item and kind.
    source = models.CharField(_("source"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("item"))
    title = models.CharField(_("title"), max_length=255)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The day the notice went out in a daily digest: a job's notice is sent in one digest at most, not every day
    # until it is read. The sender's bookkeeping (the items assigned and overdue are read live each day instead).
    digested_on = models.DateField(_("sent in a digest on"), null=True, blank=True, editable=False)

    parish_path = None  # a user's own notices: read only through selectors.unread(user) and recently_read(user)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread_idx")]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "source", "object_id"], name="one_notice_per_item_kind")
        ]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """A user's choices about notices. A user without a row has the defaults (the digest on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preference",
        verbose_name=_("user"),
    )
    daily_digest = models.BooleanField(
        _("daily e-mail digest"),
        default=True,
        help_text=_("An e-mail each morning with what is assigned to you and overdue, only when there is something."),
    )
    # The local day of the last digest sent: the loop and the timer never send two on one day.
    last_digest_on = models.DateField(_("last digest sent on"), null=True, blank=True, editable=False)

    parish_path = None

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self):
        return str(self.user)
