"""`{% load jobs_tags %}{% no_worker_notice %}`: on every page that starts or follows background jobs, a plain
warning when no job worker is running (its jobs would wait in the queue without a word otherwise)."""

from django import template

from centinela.jobs import selectors

register = template.Library()


@register.inclusion_tag("jobs/_no_worker.html")
def no_worker_notice():
    return {"worker_running": selectors.worker_running()}
