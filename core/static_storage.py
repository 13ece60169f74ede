"""Static file storages that work out each file's URL once per process.

A page names a dozen static files in its layout; the storage builds every URL afresh (the
manifest lookup, joining and quoting), a large share of an empty page's rendering. A name's URL
does not change while the process runs: collectstatic writes the manifest before the app starts.
"""

from functools import lru_cache

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedUrlMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._remembered_url = lru_cache(maxsize=1024)(super().url)

    def url(self, name, *args, **kwargs):
        if args or kwargs:  # force=True (collectstatic's post-processing): not remembered
            return super().url(name, *args, **kwargs)
        return self._remembered_url(name)


class RememberedUrlManifestStorage(RememberedUrlMixin, CompressedManifestStaticFilesStorage):
    """Production's storage (hashed, compressed names)."""


class RememberedUrlStaticFilesStorage(RememberedUrlMixin, StaticFilesStorage):
    """Plain names, for the bench and the tests (no collectstatic run)."""
