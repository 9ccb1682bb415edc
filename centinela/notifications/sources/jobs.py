"""Background jobs the user asked for: nothing is assigned or overdue, but the user is told when one ends (done or
failed; `services.job_ended`, connected to the queue's signal). Its page opens for those `jobs.selectors.visible_jobs`
allows."""

from centinela.jobs.models import Job
from centinela.jobs.selectors import visible_jobs
from centinela.notifications.sources.base import Source, register


@register
class Jobs(Source):
    name = "jobs"
    model = Job

    def scoped(self, user, queryset):
        return queryset.filter(pk__in=visible_jobs(user).values("pk"))
