from django.urls import reverse


def test_it_answers_an_unknown_address_with_a_japanese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_it_tells_a_member_in_japanese_that_a_staff_page_is_not_for_them(as_user, member):
    response = as_user(member).get(reverse("staff:dashboard"))
    assert response.status_code == 403
    assert "このページを見る権限がありません" in response.content.decode()


def test_it_has_a_standalone_500_page(client, settings):
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "エラーが発生しました" in html


def test_it_explains_an_expired_form_in_japanese(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"email": "a@example.jp", "password": "x"})
    assert response.status_code == 403
    assert "ページの有効期限が切れました" in response.content.decode()
