"""Personas, named as the product names its people: applicant, rejected, suspended, member,
leader, staff, admin and outsider (a member of another organisation)."""

import os
import shutil

import pytest
from django.test import Client
from playwright.sync_api import sync_playwright

from cityhall import testing
from cityhall.accounts.models import User


@pytest.fixture
def applicant(db):
    user = testing.make_user(
        "applicant@city.example.lg.jp",
        status=User.Status.APPLICANT,
        family_name="申請",
        given_name="太郎",
        password=None,
    )
    testing.make_application(user)
    return user


@pytest.fixture
def rejected(db):
    user = testing.make_user(
        "rejected@example.jp",
        status=User.Status.REJECTED,
        family_name="却下",
        given_name="次郎",
        password=None,
    )
    testing.make_application(
        user, status="rejected", staff_message="公務員であることを確認できませんでした。"
    )
    return user


@pytest.fixture
def suspended(db):
    return testing.make_user(
        "suspended@town.example.lg.jp",
        status=User.Status.SUSPENDED,
        family_name="停止",
        given_name="三郎",
    )


@pytest.fixture
def member(db):
    return testing.make_user(
        "member@vill.sarufutsu.lg.jp",
        family_name="新家",
        given_name="一郎",
        department="企画政策課",
    )


@pytest.fixture
def leader(db):
    return testing.make_user("leader@city.example.lg.jp", family_name="課長", given_name="花子")


@pytest.fixture
def outsider(db):
    return testing.make_user(
        "outsider@city.yokohama.lg.jp",
        family_name="横浜",
        given_name="四郎",
        org=testing.organization("141003"),
    )


@pytest.fixture
def staff(db):
    return testing.make_user(
        "staff@pref.hokkaido.lg.jp", role=User.Role.STAFF, family_name="運営", given_name="五郎"
    )


@pytest.fixture
def admin_user(db):
    return testing.make_user(
        "admin@example.go.jp", role=User.Role.ADMIN, family_name="管理", given_name="六子"
    )


@pytest.fixture
def as_user(client: Client):
    """`as_user(member)` returns the test client signed in as that persona."""

    def sign_in(user: User) -> Client:
        return testing.sign_in(client, user)

    return sign_in


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests flush the database when they end, which would drop the reference
    data the migrations load (local governments, duties); serialized rollback restores it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            serialized = pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True})
            item.add_marker(serialized, append=False)  # closest, so it is the one used


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttling counters live in the cache: every test starts and ends with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright, for tests marked `browser`: skipped with the
    reason on a machine without it, a failure in CI (env CI set)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
