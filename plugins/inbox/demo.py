"""A few demo requests (idempotent): one open, one answered, one with a keberatan,
each handed to a demo unit so every unit's request figures have something to show;
and a kop with a signer, so their letters are issued."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cms.api import db, get_or_create_unit, naive_utc
from plugins.inbox import objections, services
from plugins.inbox.models import InfoRequest

DEMO_MARK = "[contoh]"


def _data(name, details, **extra):
    data = {
        "applicant_type": "perseorangan",
        "name": name,
        "nik": "3275014101900001",
        "address": "Jl. Contoh No. 1, Bekasi",
        "phone": "0812000000",
        "email": "",
        "occupation": "Wiraswasta",
        "details": f"{DEMO_MARK} {details}",
        "purpose": "Bahan kajian",
        "access_method": "softcopy",
        "delivery": "email",
    }
    data.update(extra)
    return data


def load() -> None:
    from plugins.inbox import demo_letters

    demo_letters.load()  # first, so the demo's own receipts and notices are issued
    exists = db.session.scalar(select(InfoRequest.id).where(InfoRequest.details.startswith(DEMO_MARK)).limit(1))
    if exists:
        return
    now = naive_utc()
    finance, it = get_or_create_unit("Badan Keuangan Daerah"), get_or_create_unit("Dinas Komunikasi dan Informatika")
    db.session.flush()
    open_, _ = services.create_request(_data("Siti Aminah", "Dokumen APBD Kota tahun berjalan"), received_at=now)
    services.assign(open_, finance, None)
    answered, _ = services.create_request(
        _data("Budi Santoso", "Daftar penerima hibah 2025"), channel="desk", received_at=now - timedelta(days=20)
    )
    services.assign(answered, finance, None)
    services.answer(
        answered,
        {"outcome": "dikabulkan_seluruhnya", "material": "Daftar penerima hibah (PDF)", "info_form": "softcopy"},
    )
    refused, _ = services.create_request(
        _data("Rina Wati", "Hasil penyelidikan internal pegawai"),
        channel="letter",
        received_at=now - timedelta(days=30),
    )
    services.assign(refused, it, None)
    services.answer(
        refused,
        {
            "outcome": "ditolak_dikecualikan",
            "exemptions": ["h"],
            "consequence_test": "Membuka informasi mengungkap rahasia pribadi pegawai.",
        },
    )
    objections.file_objection(refused, {"grounds": ["a"], "case_summary": "Saya keberatan atas penolakan."})
