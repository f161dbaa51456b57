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


def test_a_script_that_asked_for_json_gets_a_json_500(as_user, member, monkeypatch):
    """The live comment box shows the message; an HTML page would leave it guessing."""
    from cityhall.broadcasts import views
    from cityhall.broadcasts.tests.conftest import make_episode, make_programme

    def broken(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(views, "do_post_live_comment", broken)
    client = as_user(member)
    client.raise_request_exception = False
    url = reverse("broadcasts:post_comment", args=[make_episode(make_programme()).pk])
    response = client.post(url, {"body": "こんにちは"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert response.json() == {
        "error": "エラーが発生しました。しばらくしてからもう一度お試しください。"
    }
    page = client.post(url, {"body": "こんにちは"})
    assert page.status_code == 500 and "エラーが発生しました" in page.content.decode()
