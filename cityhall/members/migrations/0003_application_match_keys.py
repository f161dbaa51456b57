"""Normalised email and name on each application, indexed, for the queue's duplicate flags."""

from django.db import migrations, models

from cityhall.core.text import compact


def email_key(email):
    # Frozen copy of cityhall.members.evidence.email_key.
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def fill_keys(apps, schema_editor):
    Application = apps.get_model("members", "MembershipApplication")
    for application in Application.objects.only("email", "family_name", "given_name").iterator():
        application.email_key = email_key(application.email)
        application.name_key = compact(application.family_name + application.given_name)
        application.save(update_fields=["email_key", "name_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0002_seed_duties"),
    ]

    operations = [
        migrations.AddField(
            model_name="membershipapplication",
            name="email_key",
            field=models.CharField(blank=True, editable=False, max_length=254),
        ),
        migrations.AddField(
            model_name="membershipapplication",
            name="name_key",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddIndex(
            model_name="membershipapplication",
            index=models.Index(fields=["email_key"], name="members_app_email_key_idx"),
        ),
        migrations.AddIndex(
            model_name="membershipapplication",
            index=models.Index(
                fields=["organization", "name_key"], name="members_app_name_key_idx"
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
