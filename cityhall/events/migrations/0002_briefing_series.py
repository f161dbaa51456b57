"""The weekly newcomer orientation (説明会) exists in every install: every Friday 21:00–22:00
JST. Only the series is created here; the periodic job generates its sessions. No user is needed
(a fresh install has no staff yet): staff set the venue URL and hosts later.

The series starts on a fixed Friday, not on the day this migration runs: the rule then means the
same on every install and in every test database, whatever the clock says. Sessions are only
generated from today on, so an early first date creates no past sessions."""

import datetime

from django.db import migrations

# A Friday (see 0005_briefing_fixed_start, which moves rows made by the old version here).
STARTS_ON = datetime.date(2026, 1, 2)

DESCRIPTION = """オンライン市役所にはじめて参加した方向けの説明会です。

- コミュニティの歩き方（投稿・課・勉強会・庁内放送）
- プロフィールの書き方と、同じ業務の仲間の探し方
- 困ったときの相談先

毎週金曜日の夜、オンラインで開いています。カメラ・マイクはオフのままでも大丈夫です。
"""


def create(apps, schema_editor):
    EventSeries = apps.get_model("events", "EventSeries")
    if EventSeries.objects.filter(slug="briefing").exists():
        return
    EventSeries.objects.create(
        slug="briefing",
        title="説明会",
        description=DESCRIPTION,
        organizer="staff",
        frequency="weekly",
        weekday=4,
        start_time=datetime.time(21, 0),
        duration_minutes=60,
        starts_on=STARTS_ON,
    )


def remove(apps, schema_editor):
    apps.get_model("events", "EventSeries").objects.filter(slug="briefing").delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
