import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cityhall.posts.actions import do_create_post, do_delete_post
from cityhall.posts.models import Attachment, Post
from cityhall.posts.tests.conftest import join
from cityhall.posts.uploads import clean_upload, display_name

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ONLY = "添付できるのは画像（JPEG・PNG・WebP・GIF）とPDFだけです。"
FORM = {"kind": "discussion", "where": "", "title": "避難所の写真", "body": "レイアウトの参考に。"}


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""
    return tmp_path


def photo(name: str = "photo.jpg", fmt: str = "JPEG", size=(2400, 1200)) -> SimpleUploadedFile:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (43.0, 3.0, 0.0)})  # a GPS position
    Image.new("RGB", size, (30, 120, 200)).save(out, format=fmt, exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str = "manual.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def fake(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_with_files(author, *files, section=None) -> Post:
    cleaned = [clean_upload(f) for f in files]
    return do_create_post(
        section=section, kind="discussion", data=FORM, attachments=cleaned, actor=author
    )


def test_it_attaches_images_and_pdfs_when_posting(as_user, member, media):
    response = as_user(member).post(
        reverse("posts:new"), {**FORM, "attachments": [photo("避難所.JPG"), pdf("手順書.pdf")]}
    )
    post = Post.objects.get()
    assert response.status_code == 302
    image, document = post.attachments.order_by("id")
    assert (image.kind, image.name, image.width, image.height) == ("image", "避難所.jpg", 1600, 800)
    assert (document.kind, document.name, document.size) == ("pdf", "手順書.pdf", len(PDF))
    stored = Image.open(media / image.file.name)
    assert stored.format == "JPEG" and not stored.getexif()  # position and camera gone
    assert Image.open(media / image.thumbnail.name).size == (480, 240)
    # Stored under generated names: nothing the uploader chose reaches the disk.
    assert image.file.name.startswith(f"posts/{post.pk}/") and "避難所" not in image.file.name
    assert (media / document.file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (fake("page.png", b"<html><script>alert(1)</script></html>", "image/png"), ONLY),
        (
            fake(
                "logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "image/png"
            ),
            ONLY,
        ),
        (fake("shell.pdf", b"<?php system($_GET['c']); ?>", "application/pdf"), ONLY),
        (fake("empty.pdf", b"", "application/pdf"), "ファイルが空です"),
        (pdf("cut.pdf", PDF[:40]), "PDFファイルが壊れている"),
    ],
)
def test_it_refuses_disguised_empty_or_broken_files_and_keeps_the_draft(
    as_user, member, upload, message
):
    response = as_user(member).post(reverse("posts:new"), {**FORM, "attachments": [upload]})
    html = response.content.decode()
    assert response.status_code == 200 and not Post.objects.exists()
    assert f"「{upload.name}」" in html and message in html
    # Everything typed is still there; the page says which file to choose again.
    assert "避難所の写真" in html and "レイアウトの参考に。" in html
    assert "もう一度選んでください" in html and f"<li>{upload.name}</li>" in html
    assert 'enctype="multipart/form-data"' in html


def test_it_refuses_files_over_the_size_limit(as_user, member, settings):
    settings.POST_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = pdf("big.pdf", PDF[:-6] + b" " * (1024 * 1024) + b"%%EOF\n")
    response = as_user(member).post(reverse("posts:new"), {**FORM, "attachments": [big]})
    assert not Post.objects.exists()
    assert "ファイルが大きすぎます（1件1MBまで）" in response.content.decode()


def test_it_refuses_too_many_files(as_user, member, settings):
    settings.POST_ATTACHMENT_MAX_FILES = 2
    files = [pdf(f"{i}.pdf") for i in range(3)]
    response = as_user(member).post(reverse("posts:new"), {**FORM, "attachments": files})
    html = response.content.decode()
    assert not Post.objects.exists()
    assert "2件までです（いま3件）" in html and "避難所の写真" in html


def test_it_names_files_to_choose_again_after_a_preview(as_user, member):
    response = as_user(member).post(
        reverse("posts:new"), {**FORM, "preview": "1", "attachments": [pdf()]}
    )
    html = response.content.decode()
    assert not Post.objects.exists() and "<li>manual.pdf</li>" in html


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.png", "passwd.jpg"),
        ("..\\..\\windows\\evil.png", "evil.jpg"),
        ("a\x00b\x1fc\nd.png", "abcd.jpg"),
        ("invoice\u202egnp.exe.png", "invoicegnp.exe.jpg"),  # no right-to-left override
        ("   ...   ", "添付ファイル.jpg"),
        ("長" * 300 + ".png", "長" * 100 + ".jpg"),
    ],
)
def test_it_makes_hostile_file_names_harmless(raw, shown):
    assert display_name(raw, ".jpg") == shown


def test_it_stores_a_hostile_name_as_a_clean_display_name_only(member, media):
    post = post_with_files(member, photo("../../../tmp/x\x00.png"))
    attachment = post.attachments.get()
    assert attachment.name == "x.jpg"
    assert Path(attachment.file.path).resolve().is_relative_to(media)


def test_it_serves_images_inline_and_pdfs_as_downloads(as_user, member, leader):
    post = post_with_files(leader, photo(), pdf("議事録.pdf"))
    image, document = post.attachments.order_by("id")
    client = as_user(member)
    shown = client.get(reverse("posts:attachment", args=[post.pk, image.pk]))
    assert shown["Content-Type"] == "image/jpeg" and shown["Content-Disposition"].startswith(
        "inline"
    )
    thumb = client.get(reverse("posts:attachment_thumbnail", args=[post.pk, image.pk]))
    assert thumb.status_code == 200 and thumb["X-Content-Type-Options"] == "nosniff"
    download = client.get(reverse("posts:attachment", args=[post.pk, document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert "%E8%AD%B0%E4%BA%8B%E9%8C%B2.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_it_hands_files_to_nginx_when_configured(as_user, member, leader, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    post = post_with_files(leader, pdf())
    document = post.attachments.get()
    response = as_user(member).get(reverse("posts:attachment", args=[post.pk, document.pk]))
    assert response["X-Accel-Redirect"] == "/protected-media/" + document.file.name
    assert response["Content-Disposition"].startswith("attachment")


def test_it_hides_a_closed_sections_files_from_outsiders(
    as_user, member, leader, staff, closed_section
):
    post = post_with_files(leader, photo(), section=closed_section)
    image = post.attachments.get()
    urls = [
        reverse("posts:attachment", args=[post.pk, image.pk]),
        reverse("posts:attachment_thumbnail", args=[post.pk, image.pk]),
    ]
    for url in urls:
        assert as_user(member).get(url).status_code == 404
        assert as_user(leader).get(url).status_code == 200
        assert as_user(staff).get(url).status_code == 200
    join(closed_section, member)
    assert as_user(member).get(urls[0]).status_code == 200


def test_it_hides_a_deleted_posts_files_except_from_staff(as_user, member, leader, staff):
    post = post_with_files(leader, pdf())
    url = reverse("posts:attachment", args=[post.pk, post.attachments.get().pk])
    do_delete_post(post, actor=leader)
    assert as_user(leader).get(url).status_code == 404
    assert as_user(member).get(url).status_code == 404
    assert as_user(staff).get(url).status_code == 200


def test_it_refuses_a_file_through_another_posts_address(as_user, member, leader):
    first = post_with_files(leader, pdf())
    second = post_with_files(leader)
    url = reverse("posts:attachment", args=[second.pk, first.attachments.get().pk])
    assert as_user(member).get(url).status_code == 404


def test_it_asks_visitors_to_sign_in_for_a_file(client, leader):
    post = post_with_files(leader, pdf())
    response = client.get(reverse("posts:attachment", args=[post.pk, post.attachments.get().pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_thumbnails_and_a_download_list_on_the_post(as_user, member, leader):
    post = post_with_files(leader, photo(), pdf("手順書.pdf"))
    image, document = post.attachments.order_by("id")
    html = as_user(member).get(reverse("posts:detail", args=[post.pk])).content.decode()
    thumb = reverse("posts:attachment_thumbnail", args=[post.pk, image.pk])
    assert f'src="{thumb}" width="480" height="240" loading="lazy"' in html
    assert reverse("posts:attachment", args=[post.pk, document.pk]) in html
    assert "手順書.pdf" in html and "（PDF・" in html


def test_it_adds_and_removes_files_when_editing(
    as_user, leader, media, django_capture_on_commit_callbacks
):
    post = post_with_files(leader, pdf("old.pdf"), photo())
    old, kept = post.attachments.order_by("id")
    old_path = media / old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(leader).post(
            reverse("posts:edit", args=[post.pk]),
            {"title": post.title, "body": post.body, "remove_attachments": [old.pk],
             "attachments": [pdf("new.pdf")]},
        )  # fmt: skip
    assert response.status_code == 302
    assert sorted(post.attachments.values_list("name", flat=True)) == ["new.pdf", "photo.jpg"]
    assert not old_path.exists() and (media / kept.file.name).exists()


def test_it_counts_the_files_a_post_keeps_when_editing(as_user, leader, settings):
    settings.POST_ATTACHMENT_MAX_FILES = 2
    post = post_with_files(leader, pdf("a.pdf"), pdf("b.pdf"))
    url = reverse("posts:edit", args=[post.pk])
    form = {"title": "新しい題名", "body": post.body, "attachments": [pdf("c.pdf")]}
    response = as_user(leader).post(url, form)
    html = response.content.decode()
    assert response.status_code == 200 and "2件までです（いま3件）" in html
    assert "新しい題名" in html and "<li>c.pdf</li>" in html
    assert post.attachments.count() == 2
    first = post.attachments.order_by("id").first()
    assert first is not None
    again = {**form, "attachments": [pdf("c.pdf")], "remove_attachments": [first.pk]}
    response = as_user(leader).post(url, again)
    assert response.status_code == 302
    assert sorted(post.attachments.values_list("name", flat=True)) == ["b.pdf", "c.pdf"]


def test_it_lets_only_the_author_change_files(as_user, member, leader):
    post = post_with_files(leader, pdf())
    response = as_user(member).post(
        reverse("posts:edit", args=[post.pk]),
        {"title": "x", "body": "y", "remove_attachments": [post.attachments.get().pk]},
    )
    assert response.status_code == 404 and Attachment.objects.count() == 1


def test_it_removes_the_files_when_a_post_is_erased(
    member, media, django_capture_on_commit_callbacks
):
    post = post_with_files(member, photo(), pdf())
    paths = [media / f.name for a in post.attachments.all() for f in (a.file, a.thumbnail) if f]
    assert len(paths) == 3 and all(p.exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        post.delete()  # e.g. with the member's account, at their request
    assert not any(p.exists() for p in paths)
