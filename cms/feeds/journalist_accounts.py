"""Journalist accounts: requested on the public form, approved by humas.

Approval makes two things at once: an accredited journalist (private feed,
embargo mails; ``cms.feeds.subscriptions``) and a sign-in with the
``journalist`` role, which the policy keeps out of the admin.  The journalist
chooses their own password from a link mailed on approval; the link is
signed, expires, and stops working once a password is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from cms import accounts, crypto
from cms.audit import record
from cms.extensions import db
from cms.feeds import subscriptions
from cms.feeds.subscriptions import DistributionError, email_hash, normalize_email, site_url
from cms.mail import enqueue_mail
from cms.models import User
from cms.models.distribution import Journalist
from cms.models.press_access import JournalistAccount
from cms.storage import private_dir
from cms.timeutil import naive_utc

CARD_DIR = "press_cards"
CARD_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}


@dataclass
class SignUp:
    name: str
    outlet: str
    email: str
    phone: str


def _phone(raw: str) -> str:
    """An Indonesian (or +country) number in E.164; "0812…" reads as Indonesian."""
    import phonenumbers  # at first use: a web worker rarely needs it (issue #24)

    try:
        number = phonenumbers.parse((raw or "").strip(), "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DistributionError(_("Nomor telepon tidak valid. Contoh: 0812 3456 7890"), "phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _card_mime(data: bytes) -> str | None:
    """The press card's real type from its bytes: JPEG, PNG, WebP or PDF."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, mime in CARD_TYPES.items():
        if data.startswith(magic):
            return mime
    return None


def _read_card(storage) -> tuple[bytes, str] | None:
    if storage is None or not getattr(storage, "filename", ""):
        return None
    limit = int(current_app.config.get("PRESS_CARD_MAX_BYTES", 5 << 20))
    data = storage.stream.read(limit + 1)
    if not data:
        raise DistributionError(_("Berkas kartu pers kosong."), "press_card")
    if len(data) > limit:
        raise DistributionError(_("Berkas kartu pers terlalu besar; maksimal %(mb)d MB.", mb=limit >> 20), "press_card")
    mime = _card_mime(data)
    if mime is None:
        raise DistributionError(_("Kartu pers harus berupa gambar (JPG, PNG, WebP) atau PDF."), "press_card")
    return data, mime


def request_account(data: SignUp, card=None) -> JournalistAccount | None:
    """Store a sign-up for humas to review.  A second request for an address
    already pending or approved is dropped, with the same answer to the visitor."""
    name, outlet = data.name.strip(), data.outlet.strip()
    if not name:
        raise DistributionError(_("Nama wajib diisi."), "name")
    if not outlet:
        raise DistributionError(_("Nama media wajib diisi."), "outlet")
    email = normalize_email(data.email)
    phone = _phone(data.phone)
    stored = _read_card(card)
    known = db.session.scalar(
        select(JournalistAccount.id).where(
            JournalistAccount.email_hash == email_hash(email), JournalistAccount.status.in_(("pending", "approved"))
        )
    )
    if known is not None:
        return None
    account = JournalistAccount(
        name=name[:200],
        outlet=outlet[:200],
        email_enc=crypto.encrypt(email),
        email_hash=email_hash(email),
        phone_enc=crypto.encrypt(phone),
        status="pending",
        reason="",
    )
    if stored is not None:
        file_name = f"{crypto.keyed_hash(email + str(naive_utc()), 'press-card')[:32]}.bin"
        (private_dir(CARD_DIR) / file_name).write_bytes(crypto.encrypt_bytes(stored[0]))
        account.press_card, account.press_card_mime = file_name, stored[1]
    db.session.add(account)
    db.session.flush()
    record("journalist_account.request", "journalist_account", account.id, {"outlet": account.outlet})
    db.session.commit()
    return account


def press_card(account: JournalistAccount) -> bytes | None:
    path = private_dir(CARD_DIR) / account.press_card if account.press_card else None
    return crypto.decrypt_bytes(path.read_bytes()) if path and path.is_file() else None


def email_of(account: JournalistAccount) -> str:
    return crypto.decrypt(account.email_enc)


def phone_of(account: JournalistAccount) -> str:
    return crypto.decrypt(account.phone_enc)


def approve(account: JournalistAccount, actor) -> None:
    """Accredit the journalist, open their sign-in, mail the set-password link."""
    if account.status != "pending":
        raise DistributionError(_("Permohonan ini sudah diputuskan."), None)
    email = email_of(account)
    existing = accounts.find_user(email)
    if existing is not None and existing.role != "journalist":
        raise DistributionError(_("E-mail ini sudah dipakai akun staf; jurnalis perlu alamat lain."), None)
    journalist = db.session.scalar(select(Journalist).where(Journalist.email_hash == email_hash(email)))
    if journalist is None:
        data = subscriptions.JournalistData(account.name, account.outlet, email, _("Akun jurnalis disetujui"))
        journalist = subscriptions.create_journalist(data, actor)
    user = existing or accounts.create_user(
        email, "journalist", accounts.generate_password() + accounts.generate_password(), name=account.name, actor=actor
    )
    user.active = True
    account.status, account.decided_at, account.decided_by_id = "approved", naive_utc(), getattr(actor, "id", None)
    account.user_id, account.journalist_id = user.id, journalist.id
    record("journalist_account.approve", "journalist_account", account.id, {"user": user.id}, user=actor)
    db.session.commit()
    _mail(account, _l("Akun jurnalis Anda disetujui"), "approved", set_password_url=set_password_url(user))


def reject(account: JournalistAccount, actor, reason: str = "") -> None:
    if account.status != "pending":
        raise DistributionError(_("Permohonan ini sudah diputuskan."), None)
    account.status, account.decided_at, account.decided_by_id = "rejected", naive_utc(), getattr(actor, "id", None)
    account.reason = reason.strip()[:2000]
    record("journalist_account.reject", "journalist_account", account.id, user=actor)
    db.session.commit()
    _mail(account, _l("Permohonan akun jurnalis"), "rejected", reason=account.reason)


def _mail(account: JournalistAccount, subject: str | LazyString, template: str, **context) -> None:
    """In Indonesian, the (lazy) subject too, whatever the deciding officer's language."""
    with force_locale("id"):
        text = render_template(f"journalists/mail/{template}.txt", account=account, **context)
        line = str(subject)
    enqueue_mail(email_of(account), line, text)


# ------------------------------------------------------------------ password


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="journalist-set-password")


def set_password_url(user: User) -> str:
    # The hash's tail makes the link single-use: setting a password changes it.
    token = _serializer().dumps({"u": user.id, "h": user.password_hash[-16:]})
    return site_url(f"/jurnalis/sandi/{token}")


def user_for_token(token: str) -> User | None:
    hours = float(current_app.config.get("PRESS_PASSWORD_LINK_HOURS", 72))
    try:
        data = _serializer().loads(token, max_age=int(hours * 3600))
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or user.role != "journalist" or not user.active or user.password_hash[-16:] != data.get("h"):
        return None
    return user


def set_password(user: User, password: str, confirm: str) -> None:
    if len(password or "") < accounts.MIN_PASSWORD:
        raise DistributionError(_("Kata sandi minimal %(n)d karakter.", n=accounts.MIN_PASSWORD), "password")
    if password != confirm:
        raise DistributionError(_("Kedua kata sandi tidak sama."), "confirm")
    user.password_hash = accounts.hash_password(password)
    record("user.password_set", "user", user.id, user=user)
    db.session.commit()


# ------------------------------------------------------------------ who is signed in


def journalist_of(user) -> Journalist | None:
    """The active accredited journalist behind a signed-in journalist account."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != "journalist":
        return None
    journalist = db.session.scalar(
        select(Journalist)
        .join(JournalistAccount, JournalistAccount.journalist_id == Journalist.id)
        .where(JournalistAccount.user_id == user.id, JournalistAccount.status == "approved")
    )
    return journalist if journalist is not None and journalist.active else None
