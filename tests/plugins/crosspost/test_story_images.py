"""A story carries the lead image and the release's gallery images, each
with its alt text and an absolute URL (networks that fetch images need it)."""

from __future__ import annotations

import io

from PIL import Image

from cms.extensions import db
from cms.newsroom import media
from plugins.crosspost.story import MAX_GALLERY, story_from_dict, story_from_post, story_to_dict


def _jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


def test_story_images_are_the_lead_then_the_gallery(xapp, make_post):
    with xapp.test_request_context():
        lead = media.save_image_bytes(_jpeg("red"), "utama.jpg", alt="Wali kota meresmikan taman")
        gallery = [
            media.save_image_bytes(_jpeg("blue"), f"galeri-{n}.jpg", alt=f"Foto {n}") for n in range(MAX_GALLERY + 2)
        ]
        db.session.flush()
        post = make_post(featured_image_id=lead.id)
        post.attachments.extend(gallery)
        db.session.commit()

        story = story_from_post(post)

    assert story.image == story.images[0]
    assert [i.alt for i in story.images] == ["Wali kota meresmikan taman"] + [f"Foto {n}" for n in range(MAX_GALLERY)]
    assert all(i.url.startswith("http://warta.test/media/") for i in story.images)
    assert story_from_dict(story_to_dict(story)).images == story.images


def test_a_story_without_images_has_none(xapp, make_post):
    with xapp.test_request_context():
        story = story_from_post(make_post())
    assert story.images == () and story.image is None
