"""The self-introduction and interests written on the application (for the reviewers) were
copied into the profile, visible to every member and searchable. Where a profile still shows
exactly what the application said, the member never chose to publish it: keep it to staff
(the member can open it to members on their profile page), and drop the members' copy of their
search entry so the next catch-up re-indexes it without those fields."""

from django.db import migrations
from django.utils import timezone

STAFF = "staff"
COPIED = {"bio": "introduction", "interests": "interests"}


def keep_copied_answers_private(apps, schema_editor):
    Profile = apps.get_model("members", "Profile")
    Application = apps.get_model("members", "MembershipApplication")
    Document = apps.get_model("search", "Document")
    now = timezone.now()
    changed = []
    for profile in Profile.objects.iterator():
        application = (
            Application.objects.filter(user_id=profile.user_id).order_by("-submitted_at").first()
        )
        if application is None:
            continue
        visibility = dict(profile.visibility or {})
        for field, answer in COPIED.items():
            value = getattr(profile, field)
            if value and value == getattr(application, answer):
                visibility[field] = STAFF
        if visibility != (profile.visibility or {}):
            Profile.objects.filter(pk=profile.pk).update(visibility=visibility, updated_at=now)
            changed.append(profile.user_id)
    Document.objects.filter(kind="member", audience="members", object_id__in=changed).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_alter_membershipapplication_status"),
        ("search", "0002_fulltext"),
    ]

    operations = [migrations.RunPython(keep_copied_answers_private, migrations.RunPython.noop)]
