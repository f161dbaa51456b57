from collections.abc import Iterator
from typing import cast

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.test import RequestFactory

from cityhall.core.files import serve_file
from cityhall.members.models import Profile


@pytest.fixture
def field_file(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("photos/7/abc.jpg", ContentFile(b"\xff\xd8\xff fake jpeg bytes"))
    file = FieldFile(Profile(), Profile._meta.get_field("photo"), name)
    file.storage = storage
    return file


def get():
    return RequestFactory().get("/members/7/photo/")


def test_it_streams_the_file_with_safe_headers(field_file, settings):
    settings.MEDIA_ACCEL_REDIRECT = ""
    response = serve_file(get(), field_file, filename="7.jpg")
    assert isinstance(response, FileResponse)
    assert response.status_code == 200
    # A FileResponse on a file streams synchronously.
    content = cast(Iterator[bytes], response.streaming_content)
    assert b"".join(content) == b"\xff\xd8\xff fake jpeg bytes"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="7.jpg"'
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.file_to_stream is not None
    response.file_to_stream.close()


def test_it_offers_a_download_when_not_inline(field_file, settings):
    settings.MEDIA_ACCEL_REDIRECT = ""
    response = serve_file(get(), field_file, filename="報告書.jpg", inline=False)
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response.file_to_stream is not None
    response.file_to_stream.close()


def test_it_hands_the_file_to_nginx_when_accel_redirect_is_set(field_file, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    response = serve_file(get(), field_file)
    assert isinstance(response, HttpResponse)
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-media/photos/7/abc.jpg"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="abc.jpg"'


def test_it_is_404_for_a_missing_or_empty_file(field_file, settings):
    field_file.storage.delete(field_file.name)
    with pytest.raises(Http404):
        serve_file(get(), field_file)
    field_file.name = ""
    with pytest.raises(Http404):
        serve_file(get(), field_file)
