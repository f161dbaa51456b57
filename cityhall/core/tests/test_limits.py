"""Each page accepts a body as large as its forms need, refused before it is read."""

import io
import tracemalloc
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from cityhall.core.limits import MB
from cityhall.posts.tests.test_attachments import FORM, post_with_files


class EndlessBody(io.RawIOBase):
    """A client that claims a large body and sends it only as fast as it is read."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"a" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def post_raw(path: str, length: int | str, content_type: str) -> tuple[str, dict, EndlessBody]:
    body = EndlessBody()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(length),
        "REMOTE_ADDR": "203.0.113.9",
    }
    answer: dict = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        answer["status"] = status
        answer["headers"] = dict(headers)
        return lambda data: None  # the WSGI write() callable, which Django never uses

    content = b"".join(WSGIHandler()(environ, start_response))
    return answer["status"], {**answer, "content": content.decode()}, body


def test_it_refuses_a_9_mb_form_to_sign_in_without_reading_it(db):
    post_raw("/accounts/login/", 100, "application/x-www-form-urlencoded")  # imports, templates
    tracemalloc.start()
    try:
        status, answer, body = post_raw(
            "/accounts/login/", 9 * MB, "application/x-www-form-urlencoded"
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status.startswith("413")
    assert "送信された内容が大きすぎます" in answer["content"]
    assert "64 KB" in answer["content"]
    assert body.read_bytes == 0
    assert peak < 4 * MB, f"the refusal held {peak / MB:.1f} MB"


def test_it_accepts_a_sign_in_form_of_ordinary_size(client, member):
    response = client.post(
        reverse("accounts:login"), {"email": member.email, "password": "x" * 200}
    )
    assert response.status_code == 200  # a wrong password, answered as one


def test_it_refuses_a_members_oversized_comment_as_json_for_scripts(as_user, member, settings):
    post = post_with_files(member)
    response = as_user(member).post(
        reverse("posts:comment", args=[post.pk]),
        {"body": "あ" * (settings.MEMBER_BODY_LIMIT // 2)},  # 3 bytes a character, encoded
        headers={"accept": "application/json"},
    )
    assert response.status_code == 413
    assert "1 MB" in response.json()["error"]


def test_it_lets_a_post_carry_its_files_but_no_more(as_user, member, settings):
    settings.POST_ATTACHMENT_MAX_FILES = 2
    settings.POST_ATTACHMENT_MAX_BYTES = 300 * 1024
    client = as_user(member)
    small = b"%PDF-1.4\n" + b"0" * (250 * 1024)
    files = [
        SimpleUploadedFile(f"f{i}.pdf", small, content_type="application/pdf") for i in range(2)
    ]
    assert client.post(reverse("posts:new"), {**FORM, "attachments": files}).status_code != 413
    too_many = b"0" * (settings.POST_ATTACHMENT_MAX_FILES * 300 * 1024 + 2 * MB)
    big = SimpleUploadedFile("big.pdf", too_many, content_type="application/pdf")
    response = client.post(reverse("posts:new"), {**FORM, "attachments": [big]})
    assert response.status_code == 413


def test_it_reads_a_body_whose_length_is_not_a_number_as_empty(db):
    status, _, body = post_raw("/accounts/login/", "9e9", "application/x-www-form-urlencoded")
    assert not status.startswith("413")
    assert body.read_bytes == 0
