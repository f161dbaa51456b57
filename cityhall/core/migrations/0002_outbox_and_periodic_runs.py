# The mail outbox and the periodic-job record move from the notifications app to core. Their
# tables keep their names: only Django's model state changes, no row is copied.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("notifications", "0007_application_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboundEmail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("to", models.EmailField(max_length=254)),
                        ("subject", models.CharField(max_length=200)),
                        ("body", models.TextField()),
                        ("status", models.CharField(choices=[("queued", "送信待ち"), ("sent", "送信済み"), ("failed", "送信失敗")], default="queued", max_length=10)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("next_attempt_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                        ("claimed_until", models.DateTimeField(blank=True, null=True)),
                        ("carries_secret", models.BooleanField(default=False, editable=False, verbose_name="秘密のリンクを含む")),
                    ],
                    options={
                        "verbose_name": "送信メール",
                        "verbose_name_plural": "送信メール",
                        "ordering": ["-created_at"],
                        "db_table": "notifications_outboundemail",
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="notificatio_status_36aace_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="PeriodicRun",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100, unique=True)),
                        ("last_run_at", models.DateTimeField()),
                    ],
                    options={
                        "verbose_name": "定期処理の実行",
                        "verbose_name_plural": "定期処理の実行",
                        "db_table": "notifications_periodicrun",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
