"""What sessions still hold of a household once it is anonymised (Law 25, retention).

A session keeps what its person typed or read a moment ago: searches by name (behind the
opaque tokens of residents.searches) and the rows of a spreadsheet waiting to be imported.
When a household is anonymised, every such search or pending import that mentions one of its
names leaves every session: the person searches again, or reads their file again.

Sessions are read from the database (Django's database session engine, EMA's setting): one
query, then one write per session changed.
"""

import re
import unicodedata
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from residents import searches
from residents.imports.pending import SESSION_KEY as PENDING_IMPORT
from residents.imports.pending import unpack_rows

# Shorter words ("de", "la") are in too many texts to say anything about a person.
SHORTEST_WORD = 3


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", str(text).casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return {word for word in re.split(r"\W+", folded) if len(word) >= SHORTEST_WORD}


def _pending_import_texts(pending: dict) -> Iterable[str]:
    yield pending.get("file_name", "")
    for row in unpack_rows(pending.get("rows")):
        yield from row.values()


def forget_in_sessions(*, names: Iterable[str]) -> int:
    """Drop, from every live session, the searches and the pending import that mention any
    word of `names`; return how many sessions changed."""
    words = set().union(*(_words(name) for name in names))
    if not words:
        return 0
    engine = import_module(settings.SESSION_ENGINE)
    changed = 0
    live = Session.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", flat=True
    )
    for key in live.iterator():
        store = engine.SessionStore(session_key=key)
        remembered = store.get(searches.SESSION_KEY) or {}
        kept = {token: text for token, text in remembered.items() if not _words(text) & words}
        dirty = kept != remembered
        if dirty:
            store[searches.SESSION_KEY] = kept
        pending = store.get(PENDING_IMPORT)
        if pending and any(_words(text) & words for text in _pending_import_texts(pending)):
            del store[PENDING_IMPORT]
            dirty = True
        if dirty:
            store.save()
            changed += 1
    return changed
