"""Press contacts: checked input, the WhatsApp link and the vCard.

A contact is saved only when its e-mail parses and its phone is a real
Indonesian (or +international) number; the WhatsApp box needs a number that
can be a mobile one.  vCards are written with ``vobject`` (vCard 3.0, what
phones' address books import), the phone in E.164 so a tap dials from abroad.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, select

from cms.audit import record
from cms.content_version import content_changed
from cms.extensions import db
from cms.models.content import Post, PostPage
from cms.models.press import PressContact, post_press_contact
from cms.newsroom import press_room
from cms.newsroom.posts import WorkflowError
from cms.newsroom.press_identity import identity
from cms.sanitize import clean_text


@dataclass
class ContactData:
    name: str = ""
    role: str = ""
    phone: str = ""
    whatsapp: bool = False
    email: str = ""
    position: int = 0
    active: bool = True


def _parse_phone(raw: str):
    import phonenumbers  # at first use: 1 MiB a web worker rarely needs (issue #24)

    try:
        number = phonenumbers.parse(raw, "ID")  # "0812…" and "(021) …" read as Indonesian
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def e164(raw: str) -> str:
    """``+6281234567890`` for a valid number, else ``""``."""
    import phonenumbers

    number = _parse_phone(raw or "")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else ""


def whatsapp_link(contact: PressContact) -> str:
    """``https://wa.me/6281234567890`` (wa.me takes digits only, no plus)."""
    number = e164(contact.phone) if contact.whatsapp else ""
    return f"https://wa.me/{number.lstrip('+')}" if number else ""


def _mobile(number) -> bool:
    import phonenumbers

    kind = phonenumbers.number_type(number)
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def check(data: ContactData) -> ContactData:
    """Clean and check; raises ``WorkflowError`` naming every bad field."""
    errors: dict[str, str] = {}
    data.name = clean_text(data.name)[:200]
    data.role = clean_text(data.role)[:200]
    data.phone = clean_text(data.phone)[:50]
    data.email = (data.email or "").strip()
    if not data.name:
        errors["name"] = "Nama narahubung wajib diisi."
    if not data.phone and not data.email:
        errors["phone"] = "Isi nomor telepon atau e-mail agar wartawan dapat menghubungi."
    number = _parse_phone(data.phone) if data.phone else None
    if data.phone and number is None:
        errors["phone"] = f"“{data.phone}” bukan nomor telepon yang sah; contoh 0812-3456-7890 atau (021) 8897 0001."
    elif data.whatsapp and number is None:  # no phone at all
        errors["whatsapp"] = "WhatsApp memerlukan nomor telepon seluler."
    elif data.whatsapp and number is not None and not _mobile(number):
        errors["whatsapp"] = f"Nomor {data.phone} bukan nomor seluler; WhatsApp tidak dapat dipakai."
    if data.email:
        try:
            data.email = validate_email(data.email, check_deliverability=False, test_environment=True).normalized
        except EmailNotValidError:
            errors["email"] = f"“{data.email[:100]}” bukan alamat e-mail yang sah; contoh humas@bekasikota.go.id."
    if errors:
        raise WorkflowError(next(iter(errors.values())), errors=errors)
    return data


def save(contact: PressContact | None, data: ContactData, user) -> PressContact:
    """Create or update a contact; every release page showing contacts is dropped from the cache."""
    data = check(data)
    created = contact is None
    contact = contact or PressContact()
    for key, value in vars(data).items():
        setattr(contact, key, value)
    db.session.add(contact)
    db.session.flush()
    _release_pages_changed()
    record("press_contact.create" if created else "press_contact.update", "press_contact", contact.id, user=user)
    db.session.commit()
    press_room.kit_changed()
    return contact


def remove(contact: PressContact, user) -> None:
    db.session.delete(contact)
    db.session.flush()
    _release_pages_changed()
    record("press_contact.delete", "press_contact", contact.id, user=user)
    db.session.commit()
    press_room.kit_changed()


def choose_for_post(post: Post, contact_ids: list[int], user) -> None:
    """The contacts printed at the foot of ``post`` (none: every active contact)."""
    known = set(db.session.scalars(select(PressContact.id).where(PressContact.id.in_(contact_ids or [0]))))
    db.session.execute(delete(post_press_contact).where(post_press_contact.c.post_id == post.id))
    if known:
        db.session.execute(post_press_contact.insert(), [{"post_id": post.id, "contact_id": i} for i in sorted(known)])
    db.session.execute(delete(PostPage).where(PostPage.post_id == post.id))
    content_changed(db.session.connection())
    record("post.press_contacts", "post", post.id, {"contacts": sorted(known)}, user=user)
    db.session.commit()


def _release_pages_changed() -> None:
    """Contacts show on release pages and feeds: drop their stored pages, bump the version."""
    releases = select(Post.id).where(Post.kind == "siaran-pers").scalar_subquery()
    db.session.execute(delete(PostPage).where(PostPage.post_id.in_(releases)))
    content_changed(db.session.connection())


def listing(active_only: bool = False) -> list[PressContact]:
    stmt = select(PressContact).order_by(PressContact.position, PressContact.id)
    if active_only:
        stmt = stmt.where(PressContact.active.is_(True))
    return list(db.session.scalars(stmt))


def vcard(contact: PressContact) -> str:
    """The contact as a vCard 3.0 text (CRLF lines, as RFC 2426 wants)."""
    import vobject  # at the first vCard, not in every web worker

    card = vobject.vCard()
    card.add("fn").value = contact.name
    parts = contact.name.rsplit(" ", 1)
    card.add("n").value = vobject.vcard.Name(family=parts[-1] if len(parts) > 1 else "", given=parts[0])
    org = identity().name
    if org:
        card.add("org").value = [org]
    if contact.role:
        card.add("title").value = contact.role
    number = e164(contact.phone)
    if number:
        tel = card.add("tel")
        tel.value = number
        tel.type_param = ["CELL", "VOICE"] if contact.whatsapp else ["WORK", "VOICE"]
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    link = whatsapp_link(contact)
    if link:
        card.add("url").value = link
    return card.serialize()
