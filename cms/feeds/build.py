# Over 300 lines on purpose: the one module that imports feedgen (house rule), with the workarounds it needs.
"""Feed building: the only module that imports feedgen.

The builder works on plain dataclasses (``FeedChannel``, ``FeedItem``), not on
ORM rows, so it is fast to test and knows nothing about the database.  It
works around feedgen 1.0.0's traps:

- Atom entry links lose every attribute but ``href`` (feedgen #135), so the
  Atom enclosure is written by our own entry extension;
- ``lastBuildDate``/``updated`` default to *now*: we always pass the newest
  change, so the same data gives the same bytes (and ETag) in every worker;
- entries are prepended by default: we add them with ``order="append"``;
- naive datetimes raise: stored datetimes are naive UTC, converted to WIB here;
- control characters raise: they are stripped from every string;
- RSS dates went through ``locale.setlocale(LC_ALL, "C")`` and back around
  each ``strftime``, a process-wide switch racing any other thread (a date
  formatted while another thread had put the old locale back came out in
  it): feedgen's ``formatRFC2822`` is replaced by ``email.utils.format_datetime``,
  the same text with no locale at all (``_rfc822``).

Text and HTML never mix.  ``FeedItem.title``/``summary`` are plain text (what
the page prints escaped); ``content_html`` is HTML already through
``cms.sanitize.clean_html``.  RSS cannot say which of its elements are HTML
and readers render ``<description>`` (and most render ``<title>``) as HTML,
so every RSS text is HTML-escaped before lxml escapes it for XML; a body
pasted as ``&lt;script&gt;`` then stays text in the reader.  Atom titles and
summaries are ``type="text"`` and JSON Feed's are plain text by spec: there
the text goes in as it is.

Most of a build is feedgen's per-entry Python, so each entry's element is
kept (by format and item, ``_EntryCache``) and a rebuild after a change
builds only the entries that changed; the bytes are the same either way.

JSON Feed 1.1 is plain JSON, written by hand.
"""

from __future__ import annotations

import copy
import html
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import feedgen.entry
import feedgen.feed
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from flask import current_app, has_app_context
from lxml import etree

WIB = timezone(timedelta(hours=7), "WIB")
FORMATS = ("rss", "atom", "json")
MIMETYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
ATOM_NS = "http://www.w3.org/2005/Atom"
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
# Characters XML 1.0 forbids (C0 controls, DEL, lone surrogates, U+FFFE/FFFF).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL_TABLE = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
)


def budget(key: str, default: int) -> int:
    """A cache budget from the app's configuration, read at each use (the
    builder also runs outside an app: then ``default``)."""
    return int(current_app.config.get(key, default)) if has_app_context() else default


def _rfc822(moment: datetime) -> str:
    """RFC 822 date in English whatever the locale, without touching it."""
    return format_datetime(moment)


feedgen.entry.formatRFC2822 = feedgen.feed.formatRFC2822 = _rfc822
_RELATIVE_URL = re.compile(r"""(\s(?:src|href)=["'])/(?!/)""")


@dataclass(frozen=True)
class FeedFile:
    """A downloadable file: the enclosure (press-kit PDF) or the lead image."""

    url: str
    mime: str
    length: int = 0
    title: str = ""
    credit: str = ""


@dataclass(frozen=True)
class FeedCategory:
    name: str
    slug: str
    url: str


@dataclass(frozen=True)
class FeedItem:
    guid: str
    url: str
    title: str
    published: datetime
    updated: datetime
    content_html: str = ""
    summary: str = ""
    author: str = ""
    categories: tuple[FeedCategory, ...] = ()
    enclosure: FeedFile | None = None
    image: FeedFile | None = None  # the lead image: Media RSS / JSON Feed ``image``
    photos: tuple[FeedFile, ...] = ()  # every photo of the release, lead first (Media RSS)


@dataclass(frozen=True)
class FeedChannel:
    title: str
    description: str
    home_url: str
    urls: dict[str, str]  # format -> absolute URL of that feed (self links)
    updated: datetime  # used when there are no items
    language: str = "id"
    ttl: int = 15
    author: str = ""
    hub: str | None = None
    stylesheet: str | None = None  # XSL URL for browsers (RSS and Atom)
    feed_id: str = ""  # Atom feed id; defaults to the Atom self URL


def clean(text: str | None) -> str:
    """Strip characters that XML cannot carry (feedgen would raise on them).

    Bodies go through ``str.translate`` (one C pass, ~2.5x faster than the
    regex over 3 KB); short strings through the regex, since translate's
    per-call set-up costs more than they do, unless ``isprintable()`` already
    says there is nothing to strip (it is false for every character the
    regex removes)."""
    text = text or ""
    if len(text) > 512:
        return text.translate(_ILLEGAL_TABLE)
    # Titles, names and slugs are nearly always printable: no regex for them.
    return text if text.isprintable() else _ILLEGAL.sub("", text)


def rss_text(text: str | None) -> str:
    """Plain text for an RSS element a reader may render as HTML."""
    return html.escape(clean(text), quote=False)


def absolutize(html: str, base_url: str) -> str:
    """Make root-relative ``src``/``href`` absolute: feed readers have no base."""
    return _RELATIVE_URL.sub(lambda m: m.group(1) + base_url.rstrip("/") + "/", html or "")


def to_wib(moment: datetime) -> datetime:
    """Stored datetimes are naive UTC; feeds show WIB (+0700)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(WIB)


def newest_change(channel: FeedChannel, items: list[FeedItem]) -> datetime:
    """``lastBuildDate``/``updated``: the newest change, never *now*."""
    return to_wib(max([channel.updated, *(max(i.published, i.updated) for i in items)], key=lambda d: to_wib(d)))


def render(fmt: str, channel: FeedChannel, items: list[FeedItem]) -> bytes:
    """Build feed ``fmt`` ("rss", "atom" or "json") as bytes."""
    if fmt == "rss":
        return build_rss(channel, items)
    if fmt == "atom":
        return build_atom(channel, items)
    if fmt == "json":
        return build_json(channel, items)
    raise ValueError(f"unknown feed format {fmt!r}")


# ------------------------------------------------------------------ feedgen


DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


class _NoFeedExtension(BaseExtension):
    pass


class _RssNamespaces(BaseExtension):
    def extend_ns(self):
        return {"dc": DC_NS, "media": MEDIA_NS}


class _RssExtrasExtension(BaseEntryExtension):
    """``dc:creator`` and Media RSS in one pass (feedgen's own ``dc`` and
    ``media`` extensions cost a third of the build time)."""

    def __init__(self):
        self.creator = ""
        self.image: FeedFile | None = None
        self.photos: tuple[FeedFile, ...] = ()

    def extend_rss(self, item):
        if self.creator:
            etree.SubElement(item, f"{{{DC_NS}}}creator").text = rss_text(self.creator)
        for photo in self.photos or ((self.image,) if self.image is not None else ()):
            content = etree.SubElement(item, f"{{{MEDIA_NS}}}content")
            content.set("url", photo.url)
            content.set("medium", "image")
            content.set("type", photo.mime)
            if photo.length:
                content.set("fileSize", str(photo.length))
            if photo.title:
                etree.SubElement(content, f"{{{MEDIA_NS}}}description").text = rss_text(photo.title)
            if photo.credit:
                etree.SubElement(content, f"{{{MEDIA_NS}}}credit").text = rss_text(photo.credit)
        if self.image is not None:
            etree.SubElement(item, f"{{{MEDIA_NS}}}thumbnail").set("url", self.image.url)
        return item


class _AtomEnclosureExtension(BaseEntryExtension):
    """Writes ``<link rel="enclosure" …>`` that feedgen #135 would strip."""

    def __init__(self):
        self.files: tuple[FeedFile, ...] = ()

    def extend_atom(self, entry):
        for file in self.files:
            # No namespace, like feedgen's own elements: the default namespace of
            # the <feed> root applies when written (a qualified name got "ns0:").
            link = etree.SubElement(entry, "link")
            link.set("rel", "enclosure")
            link.set("href", file.url)
            link.set("type", file.mime)
            link.set("length", str(file.length or 0))
            if file.title:
                link.set("title", clean(file.title))
        return entry


def _generator(channel: FeedChannel, items: list[FeedItem], fmt: str) -> FeedGenerator:
    """The channel only: entries are added by ``_build_xml``."""
    fg = FeedGenerator()
    if fmt == "rss":
        fg.register_extension("warta", _RssNamespaces, _RssExtrasExtension, atom=False, rss=True)
    else:
        fg.register_extension("warta", _NoFeedExtension, _AtomEnclosureExtension, atom=True, rss=False)
    text = rss_text if fmt == "rss" else clean
    fg.title(text(channel.title))
    fg.description(text(channel.description) or text(channel.title))
    fg.id(channel.feed_id or channel.urls.get("atom") or channel.home_url)
    # RSS <channel><link> is the *last* link set: self first, alternate last.
    fg.link(href=channel.urls[fmt], rel="self", type=MIMETYPES[fmt])
    if channel.hub and fmt == "atom":
        fg.link(href=channel.hub, rel="hub")
    fg.link(href=channel.home_url, rel="alternate", type="text/html")
    fg.language(channel.language)
    fg.generator("Warta")
    if channel.author:
        fg.author({"name": clean(channel.author)})
    newest = newest_change(channel, items)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    if fmt == "rss":
        fg.ttl(channel.ttl)
    return fg


class _EntryCache:
    """Entry elements by (format, item), least recently used out first.

    An element depends on nothing but its item (a frozen dataclass, so equal
    items give equal elements); it is never changed in here, only copied
    into a feed."""

    def __init__(self, max_entries: int = 2048):
        self.max_entries = max_entries
        self._elements: OrderedDict[tuple[str, FeedItem], etree._Element] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, fmt: str, item: FeedItem):
        with self._lock:
            found = self._elements.get((fmt, item))
            if found is not None:
                self._elements.move_to_end((fmt, item))
            return found

    def put(self, fmt: str, item: FeedItem, element) -> None:
        limit = budget("FEEDS_ENTRY_CACHE_ITEMS", self.max_entries)
        with self._lock:
            self._elements[(fmt, item)] = element
            while len(self._elements) > limit:
                self._elements.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._elements.clear()


_entry_cache = _EntryCache()


def _build_xml(channel: FeedChannel, items: list[FeedItem], fmt: str) -> bytes:
    fg = _generator(channel, items, fmt)
    elements = []
    for item in items:
        element = _entry_cache.get(fmt, item)
        if element is None:
            fe = fg.add_entry(order="append")
            _add_entry(fe, item, fmt)
            element = fe.rss_entry() if fmt == "rss" else fe.atom_entry()
            fg.remove_entry(fe)
            _entry_cache.put(fmt, item, element)
        elements.append(element)
    _, doc = fg._create_rss() if fmt == "rss" else fg._create_atom()
    parent = doc.getroot()[0] if fmt == "rss" else doc.getroot()  # <channel> or <feed>
    for element in elements:  # where feedgen would append them, in order
        parent.append(copy.deepcopy(element))
    return _serialize(doc, channel.stylesheet)


def _add_entry(fe, item: FeedItem, fmt: str) -> None:
    text = rss_text if fmt == "rss" else clean  # Atom: type="text" (the default)
    fe.title(text(item.title))
    fe.guid(item.guid, permalink=item.guid == item.url)
    fe.link(href=item.url, rel="alternate", type="text/html")
    if item.summary:
        fe.description(text(item.summary)) if fmt == "rss" else fe.summary(text(item.summary))
    if item.content_html:
        fe.content(clean(item.content_html), type="html")
    published = to_wib(item.published)
    fe.published(published)
    fe.updated(max(to_wib(item.updated), published))
    for cat in item.categories:
        fe.category(term=clean(cat.slug), scheme=cat.url, label=text(cat.name))
    if fmt == "rss":
        fe.warta.creator = item.author
        fe.warta.image = item.image
        fe.warta.photos = item.photos
        if item.enclosure:
            fe.enclosure(item.enclosure.url, str(item.enclosure.length or 0), item.enclosure.mime)
    else:
        if item.author:
            fe.author({"name": clean(item.author)})
        fe.warta.files = downloads(item)


def downloads(item: FeedItem) -> tuple[FeedFile, ...]:
    """Atom enclosures and JSON Feed attachments: the press kit (or whatever
    the enclosure is) and the lead image, each once."""
    files = [f for f in (item.enclosure, item.image) if f is not None]
    return tuple(f for i, f in enumerate(files) if all(f.url != g.url for g in files[:i]))


def _serialize(doc, stylesheet: str | None) -> bytes:
    if stylesheet:
        pi = etree.ProcessingInstruction("xml-stylesheet", f'type="text/xsl" href="{stylesheet}"')
        doc.getroot().addprevious(pi)
    return etree.tostring(doc, encoding="UTF-8", xml_declaration=True)


def build_rss(channel: FeedChannel, items: list[FeedItem]) -> bytes:
    """RSS 2.0 with content:encoded, dc:creator, one enclosure and Media RSS."""
    return _build_xml(channel, items, "rss")


def build_atom(channel: FeedChannel, items: list[FeedItem]) -> bytes:
    """Atom 1.0 with ``content type="html"`` and ``rel="enclosure"`` links."""
    return _build_xml(channel, items, "atom")


# ---------------------------------------------------------------- JSON Feed


def rfc3339(moment: datetime) -> str:
    return to_wib(moment).isoformat(timespec="seconds")


def build_json(channel: FeedChannel, items: list[FeedItem]) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    feed: dict = {
        "version": JSONFEED_VERSION,
        "title": clean(channel.title),
        "home_page_url": channel.home_url,
        "feed_url": channel.urls["json"],
        "description": clean(channel.description),
        "language": channel.language,
    }
    if channel.author:
        feed["authors"] = [{"name": clean(channel.author)}]
    if channel.hub:
        feed["hubs"] = [{"type": "WebSub", "url": channel.hub}]
    feed["items"] = [_json_item(item) for item in items]
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_item(item: FeedItem) -> dict:
    entry: dict = {
        "id": item.guid,
        "url": item.url,
        "title": clean(item.title),
    }
    # content_html is HTML, summary plain text: a release without a body
    # carries its summary as content_text, never as HTML.
    if item.content_html:
        entry["content_html"] = clean(item.content_html)
    else:
        entry["content_text"] = clean(item.summary)
    if item.summary:
        entry["summary"] = clean(item.summary)
    if item.image:
        entry["image"] = item.image.url
    entry["date_published"] = rfc3339(item.published)
    entry["date_modified"] = rfc3339(max(item.updated, item.published, key=to_wib))
    if item.author:
        entry["authors"] = [{"name": clean(item.author)}]
    if item.categories:
        entry["tags"] = [clean(c.name) for c in item.categories]
    entry["language"] = "id"
    attachments = []
    for file in downloads(item):
        attachment: dict[str, str | int] = {"url": file.url, "mime_type": file.mime}
        if file.title:
            attachment["title"] = clean(file.title)
        if file.length:
            attachment["size_in_bytes"] = int(file.length)
        attachments.append(attachment)
    if attachments:
        entry["attachments"] = attachments
    return entry
