"""MkDocs hooks (mkdocs.yml ``hooks:``): the ``cms.api`` reference lists every
name of ``cms.api.__all__``, read from cms/api.py at build time, so a name
added to the API is on the page without anyone editing it.

``__all__``'s comments (``# database and models``) become the page's
sections; names before the first comment go under "Version".
"""

from __future__ import annotations

import re
from pathlib import Path

API = Path(__file__).resolve().parent.parent / "cms" / "api.py"
PLACEHOLDER = "<!-- cms.api names -->"


def api_sections(source: str) -> list[tuple[str, list[str]]]:
    """``(heading, names)`` in the order of ``__all__``, each name once."""
    body = source[source.index("__all__ = [") :]
    body = body[: body.index("\n]")]
    sections: list[tuple[str, list[str]]] = [("Version", [])]
    seen: set[str] = set()
    for line in body.splitlines()[1:]:
        line = line.strip()
        if line.startswith("#"):
            title = line.lstrip("# ").strip()
            sections.append((title[:1].upper() + title[1:], []))
        for name in re.findall(r'"(\w+)"', line.split("#")[0]):
            if name not in seen:
                seen.add(name)
                sections[-1][1].append(name)
    return [(title, names) for title, names in sections if names]


def api_markdown() -> str:
    parts = []
    for title, names in api_sections(API.read_text(encoding="utf-8")):
        parts.append(f"## {title}\n")
        parts.extend(f"::: cms.api.{name}\n" for name in names)
    return "\n".join(parts)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if PLACEHOLDER in markdown:
        return markdown.replace(PLACEHOLDER, api_markdown())
    return markdown
