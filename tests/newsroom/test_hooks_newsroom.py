"""Content events fire exactly once per publication, after the commit."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from cms.hookspecs import hookimpl
from cms.newsroom import drafts, publishing
from cms.newsroom.posts import PostData
from cms.timeutil import naive_utc


def test_hook_cms_post_published(app, make_post, users, recorder):
    # By a click.
    clicked = make_post("published", title="Terbit dengan klik")
    assert recorder.events == [("published", clicked.id, "published")]
    # A second click on an already published item publishes nothing.
    try:
        publishing.publish_now(clicked, users["editor"])
    except publishing.WorkflowError as exc:
        assert "disetujui" in str(exc)
    assert recorder.names(clicked.id) == ["published"]

    # By the schedule (worker sweep), and by an embargo lift.
    scheduled = make_post("scheduled", title="Terbit terjadwal")
    embargoed = make_post("embargo", title="Terbit setelah embargo")
    assert recorder.names(scheduled.id) == [] and recorder.names(embargoed.id) == []
    with time_machine.travel(naive_utc() + timedelta(hours=3), tick=False):
        assert publishing.publish_due() == 2
        assert publishing.publish_due() == 0  # a second sweep finds nothing
        assert publishing.publish_if_due(embargoed.id) is False  # the late eta job neither
    assert recorder.names(scheduled.id) == ["published"]
    assert recorder.names(embargoed.id) == ["published"]
    assert all(status == "published" for _, _, status in recorder.events)


def test_publication_race_fires_once(app, make_post, recorder):
    """Two workers both see the item due; the conditional UPDATE lets one win."""
    post = make_post("scheduled")
    with time_machine.travel(naive_utc() + timedelta(hours=3), tick=False):
        first = publishing._go_public(post.id, ("scheduled",), action="scheduled_publish")
        second = publishing._go_public(post.id, ("scheduled",), action="scheduled_publish")
    assert (first, second) == (True, False)
    assert recorder.names(post.id) == ["published"]


def test_hook_cms_post_updated(app, make_post, users, recorder):
    post = make_post("published")
    recorder.events.clear()
    data = PostData(title=post.title, body_html="<p>Isi yang diralat.</p>", kind=post.kind)
    drafts.save_post(post, users["editor"], data, post.version, correction="Angka anggaran diperbaiki.")
    assert recorder.events == [("updated", post.id, "published")]
    # Edits to an unpublished draft are not "updates" of public content.
    draft = make_post("draft", title="Draf saja")
    drafts.save_post(draft, users["writer"], PostData(title="Draf diubah", body_html="<p>x</p>"), draft.version)
    assert recorder.names(draft.id) == []


def test_hook_cms_post_unpublished(app, make_post, users, recorder):
    post = make_post("published")
    publishing.unpublish(post, users["editor"], reason="Data keliru")
    assert recorder.names(post.id) == ["published", "unpublished"]
    assert recorder.events[-1] == ("unpublished", post.id, "unpublished")


class FooterPlugin:
    @hookimpl
    def cms_tpl_item_footer(self, post):
        from markupsafe import Markup, escape

        return Markup('<p class="share-footer">Bagikan: ') + escape(post.title) + Markup("</p>")


def test_hook_cms_tpl_item_footer(make_app, make_user):
    from cms import accounts

    app = make_app(plugins=[FooterPlugin()])
    with app.app_context():
        writer = make_user("writer", unit=accounts.get_or_create_unit("Humas"))
        editor = make_user("editor")
        post = drafts.create_post(writer, PostData(title='Jalan "Baru" & Lebar Dibuka', body_html="<p>Isi</p>"))
        publishing.submit(post, writer)
        publishing.approve(post, editor)
        publishing.publish_now(post, editor)
        html = app.test_client().get(publishing.public_url(post, external=False)).get_data(as_text=True)
    assert '<p class="share-footer">Bagikan: Jalan &#34;Baru&#34; &amp; Lebar Dibuka</p>' in html
    # It sits under the article body.
    assert html.index("share-footer") > html.index('class="post-body"')
