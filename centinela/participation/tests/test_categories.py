"""The taxonomy the council edits: the issue's categories ship with the data migration (drugs and violence marked
sensitive, each with a time limit); administrators edit them in the admin; a retired category is no longer offered."""

from centinela.participation.models import ReportCategory

SHIPPED = {
    "Alumbrado deficiente",
    "Lugar abandonado",
    "Consumo o venta de drogas en vía pública",
    "Cámara dañada",
    "Riña o violencia recurrente",
    "Ruido y libadores",
    "Vehículo abandonado",
    "Otro",
}


def test_the_migration_ships_the_issues_categories(db):
    categories = {c.name: c for c in ReportCategory.objects.all()}
    assert set(categories) >= SHIPPED
    sensitive = {name for name, c in categories.items() if c.sensitive}
    assert sensitive == {"Consumo o venta de drogas en vía pública", "Riña o violencia recurrente"}
    assert all(c.days_to_resolve > 0 for c in categories.values())
    assert list(ReportCategory.objects.values_list("name", flat=True))[-1] == "Otro"


def test_administrators_edit_the_taxonomy_in_the_admin_and_others_cannot(client_for, categories):
    light = categories["alumbrado-deficiente"]
    url = f"/admin/participation/reportcategory/{light.pk}/change/"
    assert client_for("admin").get(url).status_code == 200
    assert client_for("tecnico").get(url).status_code in (302, 403)
    assert client_for("admin").post(f"/admin/participation/reportcategory/{light.pk}/delete/").status_code == 403


def test_a_retired_category_is_not_offered_to_residents(client, categories):
    noise = categories["ruido-libadores"]
    noise.active = False
    noise.save()
    page = client.get("/participa/reportar/").content.decode()
    assert "Ruido y libadores" not in page and "Alumbrado deficiente" in page
