"""Shared by the backup/restore and key-rotation tests: an instance with its
own instance folder (so its own data key) and encrypted data from core and
the inbox and crosspost plugins."""

from __future__ import annotations

import secrets

from sqlalchemy import select

PDF = b"%PDF-1.4\n% surat kuasa\n" + b"x" * 64
PLUGINS = ["inbox", "dip", "crosspost"]  # dip too: its tables exist once any test imported it


def make_instance(make_app, monkeypatch, tmp_path, name: str, **config):
    """An app whose instance folder, database and files are its own."""
    base = tmp_path / name
    (base / "instance").mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("CMS_INSTANCE_PATH", str(base / "instance"))
    config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{base / 'warta.db'}")
    return make_app(enabled=PLUGINS, CMS_MEDIA_DIR=str(base / "media"), CMS_PRIVATE_DIR=str(base / "private"), **config)


def add_encrypted_data(requests: int = 6) -> dict:
    """Requests with NIK and an identity file, a channel account, subscribers.

    Returns what a reader should get back: NIKs and files by number, the
    tracking codes, the channel token and the subscriber e-mails.
    """
    from cms import crypto
    from cms.extensions import db
    from cms.feeds.subscriptions import email_hash
    from cms.models.distribution import Subscriber
    from plugins.crosspost import accounts
    from plugins.inbox import services

    expected = {"nik": {}, "files": {}, "codes": {}, "emails": []}
    for i in range(requests):
        nik = f"32750141019{i:05d}"
        blob = PDF + str(i).encode()
        req, code = services.create_request(
            {
                "applicant_type": "perseorangan",
                "name": f"Pemohon {i}",
                "nik": nik,
                "address": "Jl. Uji 1",
                "email": "",
                "details": "Salinan APBD",
                "purpose": "Kajian",
                "access_method": "softcopy",
                "delivery": "email",
            },
            uploads={"ktp": (blob, "application/pdf", "ktp.pdf")},
        )
        expected["nik"][req.number], expected["files"][req.number] = nik, blob
        expected["codes"][req.number] = code
    accounts.save(
        None, "mastodon", "Akun Diskominfo", {"base_url": "https://mastodon.test", "access_token": "token-rahasia-123"}
    )
    for i in range(3):
        email = f"wartawan{i}@redaksi.test"
        db.session.add(
            Subscriber(
                email_enc=crypto.encrypt(email),
                email_hash=email_hash(email),
                nonce=secrets.token_hex(16),
                status="active",
            )
        )
        expected["emails"].append(email)
    db.session.commit()
    return expected


def assert_all_readable(expected: dict) -> None:
    """Read every value back the way the application does."""
    from cms.crypto import decrypt
    from cms.extensions import db
    from cms.feeds.subscriptions import email_hash, email_of
    from cms.models.distribution import Subscriber
    from plugins.crosspost import accounts
    from plugins.crosspost.models import CrosspostAccount
    from plugins.inbox import files, services
    from plugins.inbox.models import InfoRequest

    for number, nik in expected["nik"].items():
        req = db.session.scalar(select(InfoRequest).where(InfoRequest.number == number))
        assert decrypt(req.nik_enc) == nik
        assert files.load(req.files[0]) == expected["files"][number]
        # keyed hashes (tracking codes, NIK look-up) still match
        assert services.find_tracked(number, expected["codes"][number]).id == req.id
    account = db.session.scalar(select(CrosspostAccount))
    assert accounts.view(account).get("access_token") == "token-rahasia-123"
    for email in expected["emails"]:
        sub = db.session.scalar(select(Subscriber).where(Subscriber.email_hash == email_hash(email)))
        assert email_of(sub) == email
