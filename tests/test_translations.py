"""French is the default language: every message of ours must have its French translation."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "\nmsgid " in f"\n{block}"][1:]


def _translations(block: str) -> list[str]:
    found = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", flags=re.M)
    return ["".join(re.findall(r'"(.*)"', chunk)) for chunk in found]


def test_the_french_catalogue_has_no_missing_or_fuzzy_translation():
    text = CATALOGUE.read_text(encoding="utf-8")
    untranslated = [b for b in _entries(text) if not all(_translations(b))]
    fuzzy = [b for b in _entries(text) if "#, fuzzy" in b]
    assert not untranslated, f"{len(untranslated)} untranslated:\n" + "\n\n".join(untranslated[:5])
    assert not fuzzy, f"{len(fuzzy)} fuzzy:\n" + "\n\n".join(fuzzy[:5])


def test_the_compiled_french_catalogue_is_in_use():
    with translation.override("fr-ca"):
        assert translation.gettext("Households") == "Ménages"
    with translation.override("en"):
        assert translation.gettext("Households") == "Households"
