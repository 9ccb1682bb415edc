"""Whether an attendee took part as a trainee or as support to the speakers (issue 13: the police officers and
firefighters who came to inform the attendees were counted as people trained).

Every existing attendance is kept and becomes a trainee, except where the records already said otherwise: an
attendee from one of the training's speakers' institutions, at a training that also had attendees from elsewhere,
came with the speakers (a training all of whose attendees are the speakers' colleagues, such as an institution
training its own staff, keeps them all as trainees)."""

from django.db import migrations, models


def support_from_the_speakers_institutions(apps, schema_editor):
    Attendance = apps.get_model("activities", "Attendance")
    Speaker = apps.get_model("activities", "Speaker")
    speakers: dict[int, set[int]] = {}
    for training_id, institution_id in Speaker.objects.values_list("training_id", "institution_id"):
        speakers.setdefault(training_id, set()).add(institution_id)
    support = []
    for training_id, institutions in speakers.items():
        rows = list(Attendance.objects.filter(training_id=training_id).values_list("pk", "institution_id"))
        theirs = [pk for pk, institution_id in rows if institution_id in institutions]
        if theirs and len(theirs) < len(rows):
            support.extend(theirs)
    for start in range(0, len(support), 500):
        Attendance.objects.filter(pk__in=support[start : start + 500]).update(participation="support")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="participation",
            field=models.CharField(
                choices=[("trainee", "Trainee"), ("support", "Support to the speakers")],
                default="trainee",
                help_text=(
                    "Support: someone who came with the speakers to inform the attendees (e.g. police officers or "
                    "firefighters the council asked to come); not counted among the people trained and given no "
                    "certificate."
                ),
                max_length=8,
                verbose_name="took part as",
            ),
        ),
        migrations.RunPython(support_from_the_speakers_institutions, migrations.RunPython.noop),
    ]
