"""Store whether an application's address is on a government mail domain, so the review queue
filters on a column instead of running a regular expression over every application."""

import re

from django.db import migrations, models

# Frozen copy of cityhall.members.evidence's rule at the time of this migration.
GOVERNMENT_DOMAIN = re.compile(
    r"(^|\.)(lg\.jp|go\.jp|metro\.tokyo\.jp|(pref|city|town|vill)\.[a-z0-9-]+\.jp)$"
)


def fill(apps, schema_editor):
    Application = apps.get_model("members", "MembershipApplication")
    government = [
        pk
        for pk, email in Application.objects.values_list("pk", "email").iterator()
        if GOVERNMENT_DOMAIN.search(email.strip().lower().rpartition("@")[2])
    ]
    for start in range(0, len(government), 500):
        Application.objects.filter(pk__in=government[start : start + 500]).update(
            government_domain=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_application_decided_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="membershipapplication",
            name="government_domain",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
