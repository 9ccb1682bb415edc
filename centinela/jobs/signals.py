"""What the queue tells the apps above it: `job_ended` (sender Job, `job` the ended job), sent once a job has ended
for good, done or failed (a job sent back to the queue for another attempt has not ended). The notifications app
listens to it to tell the person who asked for the job; the queue itself knows nothing of them."""

from django.dispatch import Signal

job_ended = Signal()
