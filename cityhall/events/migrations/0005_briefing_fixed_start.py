"""The 説明会 series used to start on the day 0002 ran, so "the next Friday" before that day was
unknown and depended on when the database was made. Move it to the fixed Friday 0002 now uses.

Only a weekly series that has already begun is moved: for it an earlier first date changes no
date from today on, and no past session is created (sessions are generated from today only). A
first date staff set earlier or in the future, or another rhythm, is left alone. updated_at is
touched so the search index's catch-up picks up the new date."""

import datetime

from django.db import migrations
from django.utils import timezone

STARTS_ON = datetime.date(2026, 1, 2)  # a Friday, as in 0002_briefing_series


def forwards(apps, schema_editor):
    EventSeries = apps.get_model("events", "EventSeries")
    now = timezone.now()
    EventSeries.objects.filter(
        slug="briefing",
        frequency="weekly",
        starts_on__gt=STARTS_ON,
        starts_on__lte=timezone.localdate(now),
    ).update(starts_on=STARTS_ON, updated_at=now)


class Migration(migrations.Migration):
    dependencies = [("events", "0004_recording_url")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
