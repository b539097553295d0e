"""Create the role groups (MIPG.md §7) with their permissions."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from mipg.roles import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("mipg", "0002_reference_data"),
        ("planning", "0001_initial"),
        ("management", "0003_funding_sources"),
        ("evaluation", "0002_initial"),
        ("accountability", "0002_initial"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
