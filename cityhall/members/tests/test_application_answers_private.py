"""What an applicant writes for the reviewers (自己紹介「審査の参考にします」, 興味のある課) stays
in the application: it is not copied into the profile, and where an earlier version copied it,
a data migration keeps it to staff and out of what members can search."""

import importlib

from django.apps import apps

from cityhall import testing
from cityhall.members.models import Visibility
from cityhall.search.index import refresh
from cityhall.search.models import Audience, Document

migration = importlib.import_module("cityhall.members.migrations.0007_application_answers_private")


def copied_profile(user, **profile):
    testing.make_application(
        user, status="approved", introduction="審査用の自己紹介です。", interests="防災課"
    )
    for field, value in {"bio": "審査用の自己紹介です。", "interests": "防災課", **profile}.items():
        setattr(user.profile, field, value)
    user.profile.save()
    return user.profile


def test_it_makes_copied_answers_private_for_existing_members(member):
    profile = copied_profile(member)
    migration.keep_copied_answers_private(apps, None)
    profile.refresh_from_db()
    assert profile.visibility_of("bio") == Visibility.STAFF
    assert profile.visibility_of("interests") == Visibility.STAFF


def test_it_leaves_what_the_member_wrote_themselves_as_they_chose(member):
    profile = copied_profile(member, bio="プロフィールで書き直した自己紹介です。")
    migration.keep_copied_answers_private(apps, None)
    profile.refresh_from_db()
    assert profile.visibility_of("bio") == Visibility.MEMBERS
    assert profile.visibility_of("interests") == Visibility.STAFF


def test_it_takes_the_answers_out_of_what_members_can_search(member):
    copied_profile(member)
    refresh("member", [member.pk])
    seen_by_members = Document.objects.get(
        kind="member", object_id=member.pk, audience=Audience.MEMBERS
    )
    assert "審査用の自己紹介" in seen_by_members.text
    migration.keep_copied_answers_private(apps, None)
    refresh("member", [member.pk])  # what the periodic catch-up does after the migration
    seen_by_members = Document.objects.get(
        kind="member", object_id=member.pk, audience=Audience.MEMBERS
    )
    assert "審査用の自己紹介" not in seen_by_members.text
    assert "防災課" not in seen_by_members.text
    staff_copy = Document.objects.get(kind="member", object_id=member.pk, audience=Audience.STAFF)
    assert "審査用の自己紹介" in staff_copy.text


def test_it_removes_the_members_copy_until_it_is_reindexed(member):
    copied_profile(member)
    refresh("member", [member.pk])
    migration.keep_copied_answers_private(apps, None)
    assert not Document.objects.filter(
        kind="member", object_id=member.pk, audience=Audience.MEMBERS
    ).exists()
