"""The lead picture of a release names its maker under the image, as the
gallery photos do (issue 21: each image with caption and credit)."""

from __future__ import annotations

from cms.extensions import db
from cms.models import Post


def test_demo_release_shows_its_lead_picture_credit(app, runner, client):
    assert runner.invoke(args=["cms", "demo"]).exit_code == 0
    post = db.session.scalar(db.select(Post).where(Post.slug.like("pemkot-resmikan-jembatan%")))
    assert post.featured_image.credit == "Ilustrasi: Bagian Humas"
    page = client.get(f"/siaran-pers/{post.slug}").get_data(as_text=True)
    figure = page[page.index('<figure class="featured">') : page.index("</figure>")]
    assert '<span class="credit">Ilustrasi: Bagian Humas</span></figcaption>' in figure


def test_lead_picture_caption_and_credit_both_show(app, runner, client):
    assert runner.invoke(args=["cms", "demo"]).exit_code == 0
    post = db.session.scalar(db.select(Post).where(Post.slug.like("pemkot-resmikan-jembatan%")))
    post.featured_image.caption = "Jembatan Kali Malang dilihat dari hilir."
    post.featured_image.credit = "Foto: Humas"
    db.session.commit()
    page = client.get(f"/siaran-pers/{post.slug}").get_data(as_text=True)
    assert (
        '<figcaption>Jembatan Kali Malang dilihat dari hilir. <span class="credit">Foto: Humas</span></figcaption>'
        in page
    )
