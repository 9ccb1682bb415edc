"""Sent after incidents are created in bulk (imports, the demo), so other apps can react without the incident
registry knowing them (the cameras app links new incidents to the cameras that saw them).

    incidents_created.send(sender=Incident, ids=[...])
"""

from django.dispatch import Signal

incidents_created = Signal()
