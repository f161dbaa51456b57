"""Static files as production sends them: hashed names, precompressed, cached for a year."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names even with DEBUG on (Django's storage drops them then), so the local demo
    serves and caches static files exactly as production does."""

    def url(self, name: str | None, force: bool = False) -> str:
        return super().url(name, force=True)
