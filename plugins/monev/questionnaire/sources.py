"""Where generated evidence comes from: the plugins' documents offered through
``cms_monev_evidence``, and Warta's public pages (``halaman:/ppid/...``)
printed to PDF as an anonymous visitor sees them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, render_template
from werkzeug.exceptions import HTTPException

from cms.api import html_to_pdf, results, tanggal, to_wib, utcnow

PAGE = "halaman:"
# What a printed page must not carry: scripts, styles from the site, forms' hidden tokens.
STRIP = re.compile(
    r"<(script|style|noscript)\b.*?</\1\s*>|<link\b[^>]*>|<input\b[^>]*type=\"hidden\"[^>]*>", re.S | re.I
)
BODY = re.compile(r"<main\b[^>]*>(.*)</main>", re.S | re.I)


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    make: Callable[[], bytes]


class Unavailable(LookupError):
    """No enabled plugin offers this evidence ("tidak tersedia")."""


def offered(year: int) -> dict[str, Source]:
    """Every plugin-made document for ``year``, by key (a failing plugin is left out)."""
    found: dict[str, Source] = {}
    for _plugin, items in results("cms_monev_evidence", year=year):
        for item in items or []:
            if isinstance(item, dict) and isinstance(item.get("key"), str) and callable(item.get("make")):
                found[item["key"]] = Source(item["key"], str(item.get("title") or item["key"]), item["make"])
    return found


def page_exists(path: str) -> bool:
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
    except HTTPException as exc:
        return getattr(exc, "code", None) in (301, 308)  # a redirect to the slash form
    return True


def available(key: str, year: int, plugin_sources: dict[str, Source] | None = None) -> bool:
    if key.startswith(PAGE):
        return page_exists(key[len(PAGE) :])
    return key in (plugin_sources if plugin_sources is not None else offered(year))


def title_of(key: str, plugin_sources: dict[str, Source]) -> str:
    if key.startswith(PAGE):
        return f"Halaman {key[len(PAGE) :]}"
    source = plugin_sources.get(key)
    return source.title if source else key


def make(key: str, year: int, plugin_sources: dict[str, Source]) -> bytes:
    if key.startswith(PAGE):
        return print_page(key[len(PAGE) :])
    source = plugin_sources.get(key)
    if source is None:
        raise Unavailable(key)
    return source.make()


def print_page(path: str) -> bytes:
    """The public page at ``path`` as an anonymous visitor gets it, printed with its URL and date."""
    if not page_exists(path):
        raise Unavailable(PAGE + path)
    with current_app.test_client() as client:
        resp = client.get(path, follow_redirects=True)
    if resp.status_code != 200:
        raise Unavailable(PAGE + path)
    html = resp.get_data(as_text=True)
    match = BODY.search(html)
    body = STRIP.sub("", match.group(1) if match else html)
    page = render_template(
        "monev/emonev/print/page.html",
        body=body,
        url=site_url(path),
        printed=tanggal(to_wib(utcnow()).date()),
    )
    return html_to_pdf(page)


def site_url(path: str) -> str:
    return (current_app.config.get("SITE_URL") or "").rstrip("/") + path
