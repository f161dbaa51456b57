# The outbox and the periodic-job record now belong to core (core/0002): forget them here
# without touching their tables.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0007_application_notifications"),
        ("core", "0002_outbox_and_periodic_runs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="OutboundEmail"),
                migrations.DeleteModel(name="PeriodicRun"),
            ],
            database_operations=[],
        ),
    ]
