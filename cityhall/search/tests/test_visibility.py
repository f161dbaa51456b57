"""Results only ever hold what the searcher may see."""

from typing import Any

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.members.models import Visibility
from cityhall.search import engine
from cityhall.search.query import parse
from cityhall.sections.models import SectionMembership


def found(viewer: Any, q: str, **filters: Any) -> set[tuple[str, int]]:
    ids = list(engine.search(viewer, parse(q), engine.Filters(**filters)))
    hits = engine.present(viewer, engine.documents(ids), [])
    return {(hit.document.kind, hit.document.object_id) for hit in hits}


def test_it_hides_a_closed_sections_posts_and_comments_from_outsiders(corpus, member) -> None:
    assert ("post", corpus["p9"].pk) not in found(member, "人事評価")
    assert ("comment", corpus["c2"].pk) not in found(member, "人事異動")


def test_it_shows_a_closed_sections_posts_to_its_members_and_staff(corpus, leader, staff) -> None:
    for viewer in (leader, staff):
        assert ("post", corpus["p9"].pk) in found(viewer, "人事評価")
        assert ("comment", corpus["c2"].pk) in found(viewer, "人事異動")


def test_it_hides_them_again_when_a_member_leaves(corpus, member) -> None:
    membership = SectionMembership.objects.create(section=corpus["jinji"], user=member)
    assert ("post", corpus["p9"].pk) in found(member, "人事評価")
    membership.delete()
    assert ("post", corpus["p9"].pk) not in found(member, "人事評価")


def test_it_follows_a_section_closing_without_reindexing(corpus, member) -> None:
    bousai = corpus["bousai"]
    bousai.is_closed = True
    bousai.save(update_fields=["is_closed"])
    assert ("post", corpus["p4"].pk) not in found(member, "防災訓練")
    assert ("section", bousai.pk) in found(member, "防災訓練")  # the section itself stays known


def test_it_never_shows_deleted_posts_even_to_staff(corpus, staff) -> None:
    assert found(staff, "防災無線") == set()


def test_it_never_shows_suspended_members(corpus, member, staff, suspended) -> None:
    for viewer in (member, staff):
        assert ("member", suspended.pk) not in found(viewer, "停止")


def test_it_removes_a_member_who_is_suspended(corpus, member, outsider) -> None:
    assert ("member", outsider.pk) in found(member, "横浜 四郎")
    outsider.status = User.Status.SUSPENDED
    outsider.save(update_fields=["status"])
    assert ("member", outsider.pk) not in found(member, "横浜")


def test_it_finds_members_by_name_kana_organisation_and_open_fields(db, member) -> None:
    colleague = testing.make_user(
        "kiki@vill.example.lg.jp", family_name="防人", given_name="守", department="危機管理課"
    )
    colleague.profile.bio = "防災士の資格を持っています。"
    colleague.profile.save()
    for q in ("防人", "やまだ", "猿払村", "危機管理課", "防災士"):
        assert ("member", colleague.pk) in found(member, q), q


def test_it_honours_fields_kept_to_staff(db, member, staff) -> None:
    shy = testing.make_user("shy@vill.example.lg.jp", family_name="内気", given_name="静")
    shy.profile.bio = "週末はサーフィンをしています。"
    shy.profile.department = "秘書広報課"
    shy.profile.visibility = {"bio": Visibility.STAFF}
    shy.profile.save()
    assert ("member", shy.pk) not in found(member, "サーフィン")
    assert ("member", shy.pk) in found(member, "秘書広報課")  # left open
    assert ("member", shy.pk) in found(staff, "サーフィン")
    assert ("member", shy.pk) in found(shy, "サーフィン")  # their own profile, whole


def test_it_does_not_snippet_a_hidden_field(db, member) -> None:
    shy = testing.make_user("shy2@vill.example.lg.jp", family_name="内気", given_name="静")
    shy.profile.bio = "秘密のサーフィン"
    shy.profile.visibility = {"bio": Visibility.STAFF}
    shy.profile.save()
    ids = list(engine.search(member, parse("内気"), engine.Filters()))
    hits = engine.present(member, engine.documents(ids), [])
    assert hits and all(
        hit.snippet_html is not None and "サーフィン" not in hit.snippet_html for hit in hits
    )


def test_it_never_lists_applicants(db, member, applicant) -> None:
    assert ("member", applicant.pk) not in found(member, "申請")


def test_it_finds_nothing_for_people_who_are_not_members(corpus, applicant) -> None:
    assert found(applicant, "防災") == set()
