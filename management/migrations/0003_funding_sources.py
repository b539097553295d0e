"""Seed the funding sources of shared/domain/MIPG.md §2 (editable in the admin)."""

from django.db import migrations

SOURCES = [
    ("RP", "Recursos propios"),
    ("SGP", "Sistema General de Participaciones (SGP)"),
    ("SGR", "Sistema General de Regalías (SGR)"),
    ("PGN", "Nación (PGN)"),
    ("COF", "Cofinanciación"),
    ("CRED", "Crédito"),
    ("COOP", "Cooperación"),
    ("OTR", "Otros"),
]


def seed(apps, schema_editor):
    FundingSource = apps.get_model("management", "FundingSource")
    for code, name in SOURCES:
        FundingSource.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("management", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
