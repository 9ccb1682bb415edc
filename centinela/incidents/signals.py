"""Sent after incidents are created in bulk (imports, the demo), so other apps can react without the incident
registry knowing them (the cameras app links new incidents to the cameras that saw them).

    incidents_created.send(sender=Incident, ids=[...])
"""

from django.dispatch import Signal

incidents_created = Signal()

# Sent by the import job in the worker once a file's rows are stored and the figures' data version has moved: apps
# compute now what they derive from every incident, so that no visitor waits for it (the observatory's open data).
#     incidents_imported.send(sender=Incident, created=n)
incidents_imported = Signal()
