"""The installable app's two files: a manifest in French that opens on "Ma journée", and a
service worker at the root whose version follows the static files it keeps, and that keeps
every file the pages load."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from offline import pwa


@pytest.fixture
def anonymous(db):
    return Client()


def test_the_manifest_is_in_french_and_opens_on_my_day(anonymous):
    response = anonymous.get(reverse("offline:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == "fr-CA"
    assert manifest["name"] == "EMA — L’Entre-Maisons Ahuntsic"
    assert manifest["start_url"] == reverse("interventions:my_day")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == pwa.THEME_COLOUR
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


def test_the_worker_is_served_at_the_root_with_its_configuration(anonymous):
    response = anonymous.get(reverse("offline:service_worker"))
    assert reverse("offline:service_worker") == "/sw.js"  # its scope is the whole app
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response
    text = response.content.decode()
    config = json.loads(re.search(r"self\.EMA_WORKER = (.*);", text).group(1))
    assert config["version"] == pwa.version()
    assert all(script.startswith("/static/") for script in config["scripts"])
    # Nobody's data: the same bytes for whoever asks.
    assert "EMA_WORKER" in text and "csrf" not in text.lower()


def test_the_worker_keeps_every_static_file_that_the_pages_load(client_as, intervenant_ss):
    client = client_as(intervenant_ss)
    config = pwa.worker_config()
    for url in [
        reverse("interventions:my_day"),
        reverse("offline:day"),
        reverse("offline:quick_log"),
    ]:
        page = client.get(url).content.decode()
        loaded = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
        assert loaded, url
        assert loaded <= set(config["assets"]), loaded - set(config["assets"])


def test_the_version_changes_with_the_content_of_a_kept_file(monkeypatch):
    before = pwa._compute_version()
    real = pwa._content
    monkeypatch.setattr(
        pwa, "_content", lambda path: real(path) + (b"/* new */" if path == "css/ema.css" else b"")
    )
    assert pwa._compute_version() != before


def test_each_offline_route_leads_to_an_offline_page():
    routes = dict(pwa.offline_routes())
    session = reverse("interventions:session_create", args=[12])

    def offline_page_for(path):
        for pattern, target in routes.items():
            found = re.search(pattern, path)
            if found:
                groups = [found.group(0), *found.groups()]
                return re.sub(r"\{(\d)\}", lambda m, g=groups: g[int(m.group(1))], target)
        return None

    assert offline_page_for(reverse("interventions:my_day")) == reverse("offline:day")
    assert offline_page_for(reverse("interventions:quick_log")) == reverse("offline:quick_log")
    assert offline_page_for(session) == reverse("offline:session", args=[12])
    assert offline_page_for(reverse("offline:quick_log")) == reverse("offline:quick_log")
    assert offline_page_for(reverse("residents:household_list")) is None
