"""Sent after citizen reports are created in bulk (the demo), which sends no post_save, so other apps can react
without the reports knowing them (the notices app tells each assignee of their report).

    reports_created.send(sender=Report, ids=[...])
"""

from django.dispatch import Signal

reports_created = Signal()
