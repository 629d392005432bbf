"""Production never has the demo: not the app, not `seed_demo`, not Faker, and no production
app imports them."""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEVELOPMENT_ONLY = {"demo", "faker", "factory"}
# Settings and every URL's view load without Faker or factory-boy, as on a server that
# installed requirements.txt only.
APPS = """
import importlib
import json
import sys
sys.modules.update(faker=None, factory=None)
import django
from django.apps import apps
from django.conf import settings
django.setup()
importlib.import_module(settings.ROOT_URLCONF)
print(json.dumps({
    "installed": settings.INSTALLED_APPS,
    "paths": [config.path for config in apps.get_app_configs()],
}))
"""


def production_env(**extra: str) -> dict[str, str]:
    """A server's environment: DEBUG off, a key and its host name; no EMA_TESTING, no EMA_DEMO."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("EMA_", "SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="production-like-secret-key-for-a-settings-test-0123456789",
        ALLOWED_HOSTS="ema.example.org",
        DJANGO_SETTINGS_MODULE="ema.settings",
        **extra,
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own interpreter and a constant script
        [sys.executable, *args], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def apps_of(env: dict[str, str]) -> dict:
    result = run(["-c", APPS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def production() -> dict:
    return apps_of(production_env())


def test_production_does_not_install_the_demo_app(production):
    assert "demo" not in production["installed"]
    assert not any(Path(path) == ROOT / "demo" for path in production["paths"])


def test_seed_demo_is_an_unknown_command_in_production():
    result = run(["manage.py", "seed_demo"], production_env())
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr


def test_ema_demo_installs_it_on_a_throw_away_database():
    assert "demo" in apps_of(production_env(EMA_DEMO="1"))["installed"]


def test_the_test_suite_has_it():
    assert "demo" in settings.INSTALLED_APPS


def imported_modules(path: Path) -> set[str]:
    """The top-level names of the packages a file imports (relative imports aside)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_production_app_imports_the_demo_faker_or_factory_boy(production):
    folders = [
        Path(path)
        for path in production["paths"]
        if Path(path).is_relative_to(ROOT) and ".venv" not in Path(path).parts
    ]
    files = [ROOT / "manage.py", *(file for folder in folders for file in folder.rglob("*.py"))]
    assert ROOT / "ema" / "settings.py" in files
    found = {
        str(file.relative_to(ROOT)): sorted(imported_modules(file) & DEVELOPMENT_ONLY)
        for file in files
    }
    assert {file: names for file, names in found.items() if names} == {}


def requirement_names(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {
        re.split(r"[\[=<>~! ]", line.strip())[0].lower()
        for line in lines
        if line.strip() and not line.startswith(("#", "-"))
    }


def test_faker_is_a_development_requirement_only():
    assert "faker" not in requirement_names(ROOT / "requirements.txt")
    assert "faker" in requirement_names(ROOT / "requirements-dev.txt")
