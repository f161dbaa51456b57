"""Pages and API answers travel compressed; files do not pass through here.

Static files are precompressed at collectstatic and sent by WhiteNoise or nginx, and uploads
and archives are streamed with byte ranges, so only whole text responses are compressed.
Django's middleware pads each body with random bytes against BREACH-style length guessing.
"""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = (
    "text/html",
    "text/plain",
    "text/csv",
    "text/calendar",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
)


class CompressionMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if response.streaming or content_type not in COMPRESSIBLE_TYPES:
            return response
        return super().process_response(request, response)
