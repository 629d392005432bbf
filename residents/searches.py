"""Searches by name kept in the session: the address carries an opaque token, never the name
(OWASP ASVS 8.3.1: no sensitive data in query strings, which proxies and browsers keep)."""

import secrets

SEARCH_PARAMETER = "recherche"
SESSION_KEY = "residents_searches"
# A person rarely goes back more than a few searches; older tokens simply stop filtering.
SEARCHES_KEPT = 5


def remember_search(session, text: str) -> str:
    """Keep a search text in the session; return the token that recalls it."""
    searches = dict(session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(6)
    searches[token] = text
    session[SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return token


def recalled_search(session, token: str) -> str:
    """The text a token stands for, or "" when the token is unknown or expired."""
    if not token:
        return ""
    return session.get(SESSION_KEY, {}).get(token, "")
