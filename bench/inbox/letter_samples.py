"""Issue one letter of each kind and render its first page to docs/img/.

The PDFs go through the real issuing path (``letter_records.issue``); the
first page is rasterised with pypdfium2 (``pdftoppm`` is not installed here).
Usage: ``.venv/bin/python bench/inbox/letter_samples.py [--out docs/img]``
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from letter_setup import APPLICANT, ROOT, letter_app

OUTCOMES = {
    "dikabulkan_seluruhnya": {
        "material": "Daftar penerima hibah 2025 (42 lembar)",
        "fee_items": {"salinan_lembar": 42},
    },
    "dikabulkan_sebagian": {
        "material": "Daftar penerima hibah 2025 (75 lembar)",
        "fee_items": {"salinan_lembar": 75},
        "exemptions": ["h"],
        "consequence_test": "Membuka NIK dan alamat penerima perseorangan mengungkap rahasia pribadi; "
        "kepentingan publik atas daftar penerima terpenuhi tanpa data tersebut.",
        "redaction_note": "Kolom NIK dan alamat penerima perseorangan dihitamkan.",
        "dik_ref": "DIK Tahun 2026 Nomor 4 — data pribadi penerima hibah",
    },
    "ditolak_dikecualikan": {
        "exemptions": ["a"],
        "other_law": "Pasal 43 ayat (2) Undang-Undang Nomor 8 Tahun 1981 tentang KUHAP",
        "consequence_test": "Berkas masih dalam proses penyidikan; membukanya dapat menghambat penegakan hukum.",
    },
    "tidak_dikuasai": {"held_by": "Badan Pusat Statistik Kota Bekasi"},
    "belum_didokumentasikan": {},
}


def render_png(pdf: bytes, target: Path) -> None:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    image = doc[0].render(scale=1.4).to_pil().convert("RGB")
    image.quantize(colors=64).save(target, optimize=True)  # text and a two-colour logo: a small palette


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    with letter_app() as (app, officer, atasan):
        from cms.api import db, naive_utc
        from plugins.inbox import letter_records, objections, services

        def new(**extra):
            req, _ = services.create_request({**APPLICANT, **extra}, received_at=naive_utc() - timedelta(days=9))
            return req

        issued = []
        req = new()
        issued.append(("tanda_terima", letter_records.of_request(req)[0]))
        services.extend(req, "Dokumen berada di arsip inaktif dan perlu ditelusuri lebih dahulu.")
        issued.append(("perpanjangan", letter_records.of_request(req)[-1]))
        req = new()
        services.request_completeness(req, "Lampirkan salinan KTP atau identitas lain yang sah.")
        issued.append(("kelengkapan", letter_records.of_request(req)[-1]))
        for outcome, extra in OUTCOMES.items():
            req = new()
            services.answer(req, {"outcome": outcome, "payment_method": "Tunai di loket PPID", **extra})
            issued.append((f"pemberitahuan_{outcome}", letter_records.of_request(req)[-1]))
        obj = objections.file_objection(
            req, {"grounds": ["e"], "case_summary": "Informasi yang sama pernah diberikan."}
        )
        issued.append(("tanda_terima_keberatan", letter_records.of_request(req)[-1]))
        objections.decide(obj, "ditolak", "Informasi memang belum didokumentasikan.", atasan.name, atasan.position)
        issued.append(("tanggapan_keberatan", letter_records.of_request(req)[-1]))
        db.session.commit()
        for name, letter in issued:
            target = out / f"surat-{name.replace('_', '-')}.png"
            render_png(letter_records.load(letter), target)
            print(f"{letter.number:40} {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


if __name__ == "__main__":
    main()
