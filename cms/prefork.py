"""What the gunicorn master loads before it forks the workers (issue #24).

Every worker needs the Indonesian stemmer's dictionary at its first search
and Babel's data for the site's language at its first page.  Loaded in each
worker they cost each one ~10 MiB of its own memory (the stemmer alone ~7
MiB resident while it reads its word list); loaded once in the master they
sit in pages the workers share after the fork (``gc.freeze`` keeps the
collector from writing to them, so they stay shared), and the first search
of a fresh worker no longer waits ~0.2 s for the dictionary.

Nothing here touches the database: a connection opened before the fork
would be shared by every worker.
"""

from __future__ import annotations

from flask import Flask


def warm_shared(app: Flask) -> list[str]:
    """Load the read-only pieces every worker needs; returns what was loaded."""
    from babel import localedata

    from cms import stemming

    locale = app.config.get("BABEL_DEFAULT_LOCALE") or "id"
    localedata.load(locale)  # Babel caches it for the process: dates, numbers, plurals
    stemming.stem("pemerintahan")  # loads Sastrawi's dictionary
    return [f"babel:{locale}", "sastrawi"]
