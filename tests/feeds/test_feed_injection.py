"""Every feed format carries what the page shows, and never live markup.

A writer's text goes through the editor's real path (``apply_data``), the
item page is fetched, and each output is parsed the way its readers parse
it: RSS and Atom with feedparser (unsanitized, as a naive reader sees
them), JSON Feed with ``json``, the browser view through ``feed.xsl`` with
lxml, e-mails from a real SMTP server.  HTML fields must hold no element or
attribute that runs code; text must come out as the page's text, exactly.
"""

from __future__ import annotations

import json
import re

import feedparser
import lxml.html
import pytest
from lxml import etree
from sqlalchemy import select

from cms.extensions import db
from cms.models import Post
from cms.newsroom import publishing
from cms.newsroom.posts import PostData, apply_data
from tests.feeds.conftest import body_of
from tests.feeds.test_subscriptions import active_subscriber
from tests.feeds.test_websub import editor

# (title, summary, body_html) as typed or pasted by a writer.
CORPUS = {
    "escaped-script": (
        "Rilis &lt;script&gt;alert(1)&lt;/script&gt; baru",
        "",
        "<p>Isi &lt;script&gt;alert(1)&lt;/script&gt; selesai.</p>",
    ),
    "raw-script": (
        "Rilis <script>alert(1)</script>aman",
        "Ringkasan <script>alert(2)</script>aman",
        "<p>Isi<script>alert(1)</script> aman.</p>",
    ),
    "img-onerror": (
        "Foto &lt;img src=x onerror=alert(1)&gt;",
        "",
        '<p><img src="x" onerror="alert(1)">Foto &lt;img src=x onerror=alert(1)&gt;</p>',
    ),
    "javascript-link": (
        "Tautan javascript:alert(1)",
        "Klik &lt;a href=&quot;javascript:alert(1)&quot;&gt;",
        '<p><a href="javascript:alert(1)">klik</a> <a href=" JaVaScRiPt:alert(1)">lagi</a></p>',
    ),
    "double-escaped": (
        "Kode &amp;lt;b&amp;gt; tetap teks",
        "",
        "<p>Kode &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; tetap teks.</p>",
    ),
    "cdata-end": (
        "Akhir ]]> CDATA ]]&gt;",
        "",
        '<p title="]]>">Teks ]]&gt; <a href="https://warta.test/?a=]]>">x</a> &lt;![CDATA[ y ]]&gt;</p>',
    ),
    "control-chars": (
        "Kontrol\x00\x08\x0b\x1b\x7f bersih",
        "Ringkasan\x0c\x1f bersih",
        "<p>Isi\x00\x07\x1b\x7f bersih.</p>",
    ),
    "ordinary": (
        "Rp 5.000 & PT A&B, x < y",
        "Rp 5.000 &amp; PT A&amp;B; jika x &lt; y maka y > x.",
        "<p>Rp 5.000 &amp; PT A&amp;B, x &lt; y dan y &gt; x.</p>",
    ),
}

DANGEROUS_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "base",
    "meta",
    "link",
    "frame",
    "frameset",
    "applet",
    "template",
}


def norm(text: str) -> str:
    return " ".join((text or "").split())


def html_text(fragment: str) -> str:
    """What a browser shows for an HTML fragment."""
    if not fragment.strip():
        return ""
    return norm(lxml.html.fragment_fromstring(fragment, create_parent="div").text_content())


def assert_inert(fragment: str, where: str) -> None:
    """No element or attribute in ``fragment`` can run code."""
    if not fragment.strip():
        return
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag.lower() not in DANGEROUS_TAGS, f"{where}: live <{el.tag}> in {fragment!r}"
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: {name}= in {fragment!r}"
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "data:")), f"{where}: {value!r}"


def shown(detail) -> str:
    """What a reader shows for a feedparser text construct (html or text)."""
    if detail.type in ("text/html", "application/xhtml+xml"):
        assert_inert(detail.value, "feed field")
        return html_text(detail.value)
    return norm(detail.value)


@pytest.fixture
def release(feeds_app):
    """``release(key)`` → (post, page) for a corpus entry, published through the editor's path."""

    def _make(key, kind="siaran-pers"):
        title, summary, body = CORPUS[key]
        post = Post(status="approved", author=editor())
        apply_data(post, PostData(title=title, kind=kind, summary=summary, body_html=body), is_new=True)
        db.session.add(post)
        db.session.commit()
        assert publishing.publish_now(post, editor())
        page = feeds_app.test_client().get(publishing.public_path(post))
        assert page.status_code == 200
        return post, lxml.html.fromstring(page.get_data(as_text=True))

    return _make


def page_view(page) -> dict[str, str]:
    body = page.xpath("//div[@class='post-body']")[0]
    body_html = "".join(etree.tostring(el, encoding="unicode", method="html") for el in body)
    lead = page.xpath("//article//p[@class='lead']")
    return {
        "title": norm(page.xpath("//article//h1")[0].text_content()),
        "summary": norm(lead[0].text_content()) if lead else "",
        "body": html_text(body_html),
    }


def parse(data: bytes):
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("key", CORPUS)
@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_rss_and_atom_carry_the_page_text_and_no_live_markup(fclient, release, key, name):
    _post, page = release(key)
    want = page_view(page)
    entry = parse(fclient.get(f"/feeds/{name}").data).entries[0]
    assert shown(entry.title_detail) == want["title"]
    assert shown(entry.summary_detail) == want["summary"]
    [content] = entry.content
    assert content.type == "text/html"
    assert_inert(content.value, "content")
    assert html_text(content.value) == want["body"]


@pytest.mark.parametrize("key", CORPUS)
def test_rss_text_elements_hold_no_markup_for_any_reader(fclient, release, key):
    """RSS cannot mark a title as text: whether a reader renders it as HTML
    or prints it, the element's text must not contain a tag."""
    release(key)
    doc = etree.fromstring(fclient.get("/feeds/rss.xml").data)
    item = doc.find("channel/item")
    for tag in ("title", "description", "{http://purl.org/dc/elements/1.1/}creator"):
        text = item.findtext(tag) or ""
        assert "<" not in text and ">" not in text, (tag, text)


@pytest.mark.parametrize("key", CORPUS)
def test_json_feed_text_stays_text_and_html_is_sanitized(fclient, release, key):
    _post, page = release(key)
    want = page_view(page)
    item = json.loads(fclient.get("/feeds/feed.json").data)["items"][0]
    assert norm(item["title"]) == want["title"]  # plain text by spec: compared as is
    assert norm(item["summary"]) == want["summary"]
    assert_inert(item["content_html"], "content_html")
    assert html_text(item["content_html"]) == want["body"]


def test_json_feed_without_a_body_carries_the_summary_as_text(fclient, make_post):
    make_post("Tanpa isi", body="", summary="Ringkasan <script>alert(1)</script> & A&B")
    item = json.loads(fclient.get("/feeds/feed.json").data)["items"][0]
    assert "content_html" not in item
    assert item["content_text"] == "Ringkasan <script>alert(1)</script> & A&B"


@pytest.mark.parametrize("key", ["escaped-script", "img-onerror", "ordinary", "double-escaped"])
@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_browser_view_of_a_feed_shows_the_page_text(feeds_app, fclient, release, key, name):
    """Browsers render the feeds through feed.xsl on the site's own origin."""
    _post, page = release(key)
    want = page_view(page)
    with feeds_app.open_resource("static/feeds/feed.xsl") as fh:
        transform = etree.XSLT(etree.parse(fh))
    out = str(transform(etree.fromstring(fclient.get(f"/feeds/{name}").data)))
    view = lxml.html.fromstring(out)
    assert not view.xpath("//script|//*[@*[starts-with(name(), 'on')]]")
    assert norm(view.xpath("//ol[@class='feed-items']/li/h2")[0].text_content()) == want["title"]
    assert norm(view.xpath("//ol[@class='feed-items']/li/p[not(@class)]")[0].text_content()) == want["summary"]


@pytest.mark.parametrize("key", CORPUS)
def test_embargo_feed_carries_text_as_text(fclient, feeds_app, key):
    from datetime import timedelta

    from cms.feeds import subscriptions
    from cms.timeutil import naive_utc

    title, summary, body = CORPUS[key]
    post = Post(status="approved", author=editor())
    apply_data(post, PostData(title=title, summary=summary, body_html=body), is_new=True)
    post.status, post.publish_at = "scheduled", naive_utc() + timedelta(days=1)
    post.embargo_until = post.publish_at
    journalist = subscriptions.create_journalist(
        subscriptions.JournalistData("Wartawan <b>", "Media & Co", "w@redaksi.test"), editor()
    )
    db.session.add(post)
    db.session.commit()
    url = subscriptions.private_feed_url(journalist).replace("https://warta.test", "")
    entry = parse(fclient.get(url).data).entries[0]
    assert shown(entry.title_detail).endswith(norm(post.title))
    assert shown(entry.summary_detail).endswith(norm(post.summary))
    assert_inert(entry.content[0].value, "embargo content")


@pytest.mark.parametrize("key", CORPUS)
def test_release_mail_shows_the_page_text(fclient, release, smtp, key):
    active_subscriber(fclient, smtp)
    post, page = release(key)
    want = page_view(page)
    mail = smtp.messages[-1]
    assert norm(str(mail["Subject"])) == f"[Siaran Pers] {want['title']}"
    text = body_of(mail)
    assert want["title"] in norm(text) and want["summary"] in norm(text)  # text/plain: the characters
    doc = lxml.html.fromstring(body_of(mail, "html"))
    assert_inert(etree.tostring(doc, encoding="unicode", method="html"), "mail html")
    assert norm(doc.xpath("//h1")[0].text_content()) == want["title"]
    if want["summary"]:
        assert norm(doc.xpath("//p/strong")[0].text_content()) == want["summary"]
    assert want["body"] in norm(doc.text_content())


def test_release_mail_cleans_a_body_written_around_the_editor(fclient, make_post, smtp):
    """Imports and scripts write ``body_html`` directly: mail goes through the sanitizer too."""
    active_subscriber(fclient, smtp)
    post = make_post(
        "Rilis impor",
        status="approved",
        body='<p onclick="x()">Isi<script>alert(1)</script><a href="javascript:x()">a</a></p>',
    )
    publishing.publish_now(post, editor())
    doc = lxml.html.fromstring(body_of(smtp.messages[-1], "html"))
    assert_inert(etree.tostring(doc, encoding="unicode", method="html"), "mail html")
    assert "Isi" in doc.text_content()


def test_titles_with_line_breaks_still_mail_on_one_subject_line(fclient, make_post, smtp):
    active_subscriber(fclient, smtp)
    post = make_post("Baris satu\r\nBcc: korban@contoh.test", status="approved")
    publishing.publish_now(post, editor())
    mail = smtp.messages[-1]
    assert mail["Subject"] == "[Siaran Pers] Baris satu Bcc: korban@contoh.test"
    assert mail["Bcc"] is None
    assert db.session.scalar(select(Post.id).where(Post.id == post.id))
