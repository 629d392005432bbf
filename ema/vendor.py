"""The front-end packages' files that the pages use, found in node_modules (`npm ci`) and
served from our own origin under static/vendor/: those files only, with their source maps, so
that collectstatic copies, hashes and compresses a handful of files instead of every build of
every package, and production serves nothing the pages do not load."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

# Where a package is served → (its folder in node_modules, the files served from it).
PACKAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "vendor/bootstrap": (
        "bootstrap/dist",
        (
            "css/bootstrap.min.css",
            "css/bootstrap.min.css.map",
            "js/bootstrap.bundle.min.js",
            "js/bootstrap.bundle.min.js.map",
        ),
    ),
    # The type-ahead of long lists (ema.widgets.SearchSelect).
    "vendor/tom-select": (
        "tom-select/dist",
        (
            "css/tom-select.bootstrap5.min.css",
            "css/tom-select.bootstrap5.min.css.map",
            "js/tom-select.complete.min.js",
            "js/tom-select.complete.min.js.map",
        ),
    ),
    # IndexedDB with promises, for the offline queue (offline/).
    "vendor/idb": ("idb/build", ("umd.js",)),
}


class VendorFinder(BaseFinder):
    """A staticfiles finder of PACKAGES' files in settings.BASE_DIR / "node_modules"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = Path(settings.BASE_DIR) / "node_modules"
        self.storages: dict[str, FileSystemStorage] = {}
        for prefix, (folder, _files) in PACKAGES.items():
            storage = FileSystemStorage(location=root / folder)
            storage.prefix = prefix  # type: ignore[attr-defined]  # collectstatic reads it
            self.storages[prefix] = storage

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(
                f"{self.storages[prefix].path(name)} is missing: run `npm ci`.",
                id="ema.E010",
            )
            for prefix, (_folder, files) in PACKAGES.items()
            for name in files
            if not self.storages[prefix].exists(name)
        ]

    def _served(self) -> Iterator[tuple[str, str, FileSystemStorage]]:
        for prefix, (_folder, files) in PACKAGES.items():
            for name in files:
                yield f"{prefix}/{name}", name, self.storages[prefix]

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...

    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        """The file's absolute path (a list of it with `find_all`), or [] when nothing
        matches, as Django's own finders answer: staticfiles.finders.find() skips an empty
        list but would keep a None."""
        for served, name, storage in self._served():
            if served == path and storage.exists(name):
                found = storage.path(name)
                return [found] if find_all else found
        return []

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for _served, name, storage in self._served():
            if storage.exists(name):
                yield name, storage
