"""Template filters that format figures exactly as the DOCX and PDF renderers do (reports.formatting)."""

from django import template

from centinela.reports import formatting

register = template.Library()
register.filter("money", formatting.money)
register.filter("number", formatting.number)
register.filter("percent", formatting.percent)
register.filter("report_day", formatting.day)
register.filter("join_and", formatting.join)
