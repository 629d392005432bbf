"""The front-end packages' files (ema.vendor): every file a page or the offline worker loads
from static/vendor/ is served from node_modules, and nothing else of those packages is."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from ema.vendor import PACKAGES
from offline.pwa import ASSETS, WORKER_SCRIPTS

SERVED = {f"{prefix}/{name}" for prefix, (_folder, files) in PACKAGES.items() for name in files}


def _referenced_in_templates() -> set[str]:
    """Every vendor/... path that a template or a script of ours names."""
    sources = [
        *Path(settings.BASE_DIR).glob("templates/**/*.html"),
        *Path(settings.BASE_DIR).glob("*/templates/**/*.html"),
        *Path(settings.BASE_DIR).glob("static/js/**/*.js"),
    ]
    pattern = re.compile(r"vendor/[\w./-]+\.(?:css|js)")
    return {path for source in sources for path in pattern.findall(source.read_text())}


def test_every_vendor_file_the_pages_load_is_served():
    loaded = _referenced_in_templates() | {
        path for path in [*ASSETS, *WORKER_SCRIPTS] if path.startswith("vendor/")
    }
    assert loaded, "the pages load Bootstrap from static/vendor/"
    assert loaded <= SERVED
    for path in loaded:
        assert finders.find(path), path


def test_a_minified_file_s_source_map_is_served_beside_it():
    # The manifest storage of production rewrites sourceMappingURL: a missing map would fail
    # collectstatic.
    for path in SERVED:
        if path.endswith((".min.css", ".min.js")):
            assert f"{path}.map" in SERVED
            assert finders.find(f"{path}.map")


def test_the_rest_of_the_packages_is_not_served():
    for path in (
        "vendor/bootstrap/css/bootstrap.css",
        "vendor/bootstrap/js/bootstrap.js",
        "vendor/tom-select/js/tom-select.js",
        "vendor/idb/index.js",
        "vendor/bootstrap/../package.json",
    ):
        assert not finders.find(path), path
