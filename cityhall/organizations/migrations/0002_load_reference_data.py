"""Loads the 1,788 local governments and the national bodies, so every fresh database has them."""

from django.db import migrations


def load(apps, schema_editor):
    from cityhall.organizations.reference import load_reference_data

    load_reference_data(apps.get_model("organizations", "Organization"))


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0001_initial"),
    ]

    operations = [
        # Reversing keeps the rows: members and applications point at them.
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
