"""Files attached to posts, sent only after the same access check as the post."""

from django.http import Http404
from django.http.response import HttpResponseBase

from cityhall.accounts.requests import SignedInRequest
from cityhall.core.files import serve_file
from cityhall.posts.access import access_attachment


def attachment(request: SignedInRequest, post_id: int, attachment_id: int) -> HttpResponseBase:
    """Images open in the browser; PDFs are always downloaded, never shown inside the site."""
    item = access_attachment(request.user, post_id, attachment_id)
    return serve_file(request, item.file, filename=item.name, inline=item.is_image)


def thumbnail(request: SignedInRequest, post_id: int, attachment_id: int) -> HttpResponseBase:
    item = access_attachment(request.user, post_id, attachment_id)
    if not item.thumbnail:
        raise Http404
    return serve_file(request, item.thumbnail, filename=item.name, inline=True)
