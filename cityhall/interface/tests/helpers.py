"""Asking for a data export in tests, with the worker run at once (the test task backend is
immediate; the task starts when the request's transaction commits)."""

import io
import json
import uuid
import zipfile
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.interface.models import DataExport


def ask_for_export(client: Client, **headers: str) -> Any:
    return client.post(
        reverse("export_data"), {"submission_key": str(uuid.uuid4())}, headers=headers
    )


def requested_zip(client: Client, user: User, capture: Callable[..., Any]) -> Any:
    """As the signed-in `user`: ask for an export, let the worker build it, download it."""
    with capture(execute=True):
        ask_for_export(client)
    export = DataExport.objects.get(user=user)
    return client.get(reverse("export_data_download", args=[export.pk]))


def content_of(response: Any) -> bytes:
    """The file sent; reading it to the end closes it (the test client sees to that)."""
    return b"".join(response.streaming_content)


def unzip(response: Any) -> tuple[dict[str, Any], str]:
    archive = zipfile.ZipFile(io.BytesIO(content_of(response)))
    assert sorted(archive.namelist()) == ["data.json", "index.html"]
    return json.loads(archive.read("data.json")), archive.read("index.html").decode()
