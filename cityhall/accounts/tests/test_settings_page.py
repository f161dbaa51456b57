from django.urls import reverse


def test_it_links_every_account_setting(as_user, member):
    body = as_user(member).get("/accounts/settings/").content.decode()
    for name in (
        "profiles:edit",
        "accounts:email_change",
        "accounts:password_change",
        "accounts:sessions",
        "accounts:two_factor_setup",
    ):
        assert f'href="{reverse(name)}"' in body
    assert member.email in body


def test_it_shows_whether_two_factor_and_a_password_are_set(as_user, member):
    member.set_unusable_password()
    member.two_factor_enabled = False
    member.save()
    body = as_user(member).get("/accounts/settings/").content.decode()
    assert "未設定" in body
    assert "無効" in body


def test_it_sends_non_members_to_their_status(as_user, applicant):
    response = as_user(applicant).get("/accounts/settings/")
    assert response["Location"] == reverse("members:status")
