"""Populations say what they are (census, estimate, or unverified), for which year and from which source (text and
address), for parishes and now barrios. The field `census_year` becomes `year`. The figures an earlier gazetteer took
from an encyclopaedia are kept with their values, marked unverified: shown as such, never used for a rate. An upgrade
loses no row."""

import django.db.models.deletion
from django.db import migrations, models


# The figures an earlier gazetteer took from an encyclopaedia: not INEC's tables, so not a source for a rate.
ENCYCLOPAEDIA = "German Wikipedia article on the parish"


def mark_encyclopaedia_figures_unverified(apps, schema_editor):
    figures = apps.get_model("territory", "ParishPopulation").objects.filter(source__startswith=ENCYCLOPAEDIA)
    figures.update(kind="unverified")


def mark_unverified_as_census(apps, schema_editor):
    apps.get_model("territory", "ParishPopulation").objects.filter(kind="unverified").update(kind="census")


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0002_street_segments"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="parishpopulation", name="one_population_per_census"),
        migrations.RenameField(model_name="parishpopulation", old_name="census_year", new_name="year"),
        migrations.AlterField(
            model_name="parishpopulation", name="year", field=models.PositiveSmallIntegerField(verbose_name="year")
        ),
        migrations.AddField(
            model_name="parishpopulation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("census", "Census"),
                    ("estimate", "Estimate"),
                    ("unverified", "Unverified (not used for rates)"),
                ],
                default="census",
                max_length=10,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(mark_encyclopaedia_figures_unverified, mark_unverified_as_census),
        migrations.AddField(
            model_name="parishpopulation",
            name="source_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="source address"),
        ),
        migrations.AlterField(
            model_name="parishpopulation",
            name="source",
            field=models.CharField(
                help_text="Who published the figure, and which table.", max_length=300, verbose_name="source"
            ),
        ),
        migrations.AlterField(
            model_name="parishpopulation",
            name="parish",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="populations",
                to="territory.parish",
                verbose_name="parish",
            ),
        ),
        migrations.AlterModelOptions(
            name="parishpopulation",
            options={
                "ordering": ["-year"],
                "verbose_name": "parish population",
                "verbose_name_plural": "parish populations",
            },
        ),
        migrations.AddConstraint(
            model_name="parishpopulation",
            constraint=models.UniqueConstraint(fields=("parish", "year", "kind"), name="one_parish_population_per_year_kind"),
        ),
        migrations.CreateModel(
            name="BarrioPopulation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("population", models.PositiveIntegerField(verbose_name="population")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("census", "Census"),
                            ("estimate", "Estimate"),
                            ("unverified", "Unverified (not used for rates)"),
                        ],
                        default="census",
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="Who published the figure, and which table.", max_length=300, verbose_name="source"
                    ),
                ),
                ("source_url", models.URLField(blank=True, max_length=500, verbose_name="source address")),
                (
                    "barrio",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="populations",
                        to="territory.barrio",
                        verbose_name="barrio",
                    ),
                ),
            ],
            options={
                "verbose_name": "barrio population",
                "verbose_name_plural": "barrio populations",
                "ordering": ["-year"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(fields=("barrio", "year", "kind"), name="one_barrio_population_per_year_kind")
                ],
            },
        ),
    ]
