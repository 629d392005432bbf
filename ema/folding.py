"""Text folded the way people compare names: "Étienne", "etienne" and "ÉTIENNE" are one.

Search and sorting read a key folded once, when a row is saved, so that SQLite and
PostgreSQL agree without an extension (neither folds accents in a plain comparison)."""

import unicodedata


def folded(text: str) -> str:
    """`text` without case, accents or repeated spaces: the key that search and sorting use."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


def folded_terms(text: str) -> list[str]:
    """The words of a search, folded: every one of them must be found."""
    return folded(text).split()
