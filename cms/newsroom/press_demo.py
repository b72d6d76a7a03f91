"""Demo content of the press room: two press contacts, the boilerplate,
a credited kit photo, and numbers for the demo releases (written straight
as published, so they never passed through the first publication)."""

from __future__ import annotations

from sqlalchemy import select

from cms.extensions import db
from cms.models.content import Media, Post
from cms.models.press import PressContact, PressKitPhoto
from cms.newsroom import press_room, release_format

CONTACTS = (
    ("Rahmawati Putri", "Kepala Subbagian Publikasi, Bagian Humas", "0812-8890-4411", True, "humas@warta.local"),
    ("Dimas Prasetyo", "Pranata Humas Ahli Muda", "(021) 8894 0101", False, "media@warta.local"),
)
BOILERPLATE = (
    "Pemerintah kota melayani lebih dari dua juta warga di dua belas kecamatan dan lima puluh enam "
    "kelurahan, dengan prioritas layanan kesehatan, pendidikan, dan transportasi publik.\n\n"
    "Bagian Hubungan Masyarakat menerbitkan siaran pers, menjawab pertanyaan media, dan mengelola "
    "ruang media ini. Semua siaran pers juga tersedia sebagai umpan RSS dan lewat e-mail."
)


def load() -> int:
    """Add what is missing; returns how many contacts were added."""
    added = 0
    if db.session.scalar(select(PressContact.id).limit(1)) is None:
        for position, (name, role, phone, whatsapp, email) in enumerate(CONTACTS):
            db.session.add(
                PressContact(
                    name=name, role=role, phone=phone, whatsapp=whatsapp, email=email, position=position, active=True
                )
            )
            added += 1
    room = press_room.settings(create=True)
    if not room.boilerplate:
        room.boilerplate = BOILERPLATE
    if db.session.scalar(select(PressKitPhoto.media_id).limit(1)) is None:
        image = db.session.scalar(select(Media).where(Media.kind == "image").order_by(Media.id).limit(1))
        if image is not None:
            db.session.add(PressKitPhoto(media_id=image.id, credit="Bagian Humas", position=0))
    unnumbered = select(Post.id).where(
        Post.kind == release_format.RELEASE_KIND,
        Post.status == "published",
        Post.release_number.is_(None),
        Post.published_at.is_not(None),
    )
    for post_id in db.session.scalars(unnumbered.order_by(Post.published_at, Post.id)).all():
        release_format.assign_number(post_id)
    db.session.commit()
    press_room.kit_changed()
    return added
