"""Hook implementations of the inbox plugin (its entry point)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from cms.api import NavItem, PeriodicTask, hookimpl


@hookimpl
def cms_add_hookspecs(pm):
    from plugins.inbox import hookspecs

    pm.add_hookspecs(hookspecs)


@hookimpl(trylast=True)
def cms_inbox_sign_letter(pdf, letter):
    """The bundled PAdES signer; a certificate-service plugin answers first."""
    from plugins.inbox.signing import bundled_signer

    return bundled_signer(pdf, letter)


@hookimpl
def cms_config_defaults():
    from plugins.inbox import law

    return {
        # Legal clock (UU KIP, see ``law``; research §2.8, §2.14). Uncertain rules are settings.
        "INBOX_ANSWER_DAYS": law.ANSWER_DAYS,
        "INBOX_EXTENSION_DAYS": law.EXTENSION_DAYS,
        "INBOX_OBJECTION_WINDOW_DAYS": law.OBJECTION_WINDOW_DAYS,
        "INBOX_OBJECTION_ANSWER_DAYS": law.OBJECTION_ANSWER_DAYS,
        "INBOX_DISPUTE_WINDOW_DAYS": law.DISPUTE_WINDOW_DAYS,
        "INBOX_ORDER_DAYS": law.ORDER_DAYS,  # working days to carry out a granted keberatan
        "INBOX_COUNT_CUTI_BERSAMA": False,  # cuti bersama is not a working day by default
        "INBOX_WORKING_WEEKDAYS": [0, 1, 2, 3, 4],
        "INBOX_REMINDER_DAYS": [3, 1],
        # Numbers: {seq}, {year}, {prefix}.
        "INBOX_NUMBER_PREFIX": "PPID",
        "INBOX_NUMBER_FORMAT": "{seq:04d}/{prefix}/{year}",
        "INBOX_OBJECTION_NUMBER_FORMAT": "KEB-{seq:04d}/{prefix}/{year}",
        # Form, uploads, spam defence.
        "INBOX_KTP_UPLOAD": "optional",  # off | optional | required
        "INBOX_MAX_UPLOAD_MB": 5,
        # Documents given with an answer (office files, CSV, ZIP; see ``attachments``).
        "INBOX_MAX_ATTACHMENT_MB": 20,
        "INBOX_ZIP_MAX_ENTRIES": 1000,
        "INBOX_ZIP_MAX_UNCOMPRESSED_MB": 100,
        # Requests filed per address; only filed ones count (many citizens share
        # one address behind a mobile carrier's NAT).
        "INBOX_SUBMIT_RATE_LIMIT": "10 per hour",
        "INBOX_TRACK_RATE_LIMIT": "20 per hour",
        "INBOX_CODE_REISSUE_RATE_LIMIT": "5 per hour",  # the public "kode pelacakan hilang" form
        # The Komisi Informasi that hears this body's sengketa (UU KIP Pasal 37), shown to applicants.
        "INBOX_KI_NAME": "Komisi Informasi Provinsi Jawa Barat",
        "INBOX_KI_ADDRESS": "",
        # Refuse a form sent sooner than this after it was served (0: off).  Off
        # by default: a scripted client that is allowed (a desk kiosk, a
        # partner's integration) sends at once, and the honeypot and the rate
        # limit already stop the common robots.
        "INBOX_MIN_SUBMIT_SECONDS": 0,
        # Fees: the defaults of the standar biaya until the PPID edits its table (``fees``).
        "INBOX_FEE_PER_PAGE": 500,
        "INBOX_FEE_SOFTCOPY": 0,
        "INBOX_KUITANSI_NUMBER_FORMAT": "KW-{seq:04d}/{prefix}/{year}",
        "INBOX_KUITANSI_PLACE": "",  # "" = the tempat of the unit's kop surat, as its letters
        # Electronic signature (``signing``): a PKCS#12 file in the instance folder; its
        # passphrase from the environment variable named here or from a key file.
        "INBOX_SIGN_PKCS12": "",
        "INBOX_SIGN_PASSPHRASE_ENV": "WARTA_SIGN_PASSPHRASE",
        "INBOX_SIGN_PASSPHRASE_FILE": "",
        "INBOX_SIGN_REASON": "Dokumen resmi PPID",
        "INBOX_SIGN_LOCATION": "",
        # Personal data (UU PDP).
        "INBOX_RETENTION_DAYS": 365,
        "INBOX_DPO_CONTACT": "ppid@example.go.id",
        # Letterhead and signature of the written notice.
        "INBOX_PPID_NAME": "PPID Utama",
        "INBOX_LETTERHEAD": "PEMERINTAH KOTA\nPejabat Pengelola Informasi dan Dokumentasi",
        "INBOX_INSTANSI": "",  # badan publik in the register title block; "" = the PPID Utama's kop surat
        # Official letters (docs/inbox.md "Surat resmi"); the kop per unit is edited in the admin.
        # Each decision issues its letter: "required" refuses a decision whose letter lacks a part,
        # "when_ready" saves it and tells the officer what to fill in, "off" issues none.
        "INBOX_LETTERS_ON_DECISION": "when_ready",
        "INBOX_LETTER_NUMBER_PATTERN": "{seq:03d}/{kode}/PPID-{unit}/{bulan_romawi}/{tahun}",
        "INBOX_LETTER_NUMBER_PATTERNS": {},  # per letter kind, overriding the pattern above
        "INBOX_LETTER_CODES": {},  # {kode} per letter kind (default: letter_kinds.KINDS)
        "INBOX_LETTER_SEQUENCE": "unit",  # one agenda sequence per unit and year; "unit_kind" = per kind too
        "INBOX_LETTER_INSTANSI": "PEMERINTAH KOTA",
        "INBOX_LETTER_UNIT_CODE": "UTAMA",
        "INBOX_LETTER_PLACE": "",
        "INBOX_LETTER_SIFAT": "Biasa",
        "INBOX_LETTER_TEMBUSAN": ["Atasan PPID", "Arsip"],
        "INBOX_LETTER_VALID_WITHOUT_WET_SIGNATURE": False,
        "INBOX_LETTER_LOGO_MAX_KB": 512,
        "INBOX_VERIFY_RATE_LIMIT": "30 per minute",
        # Register exports above this many rows are written by the worker (progress page, download link),
        # and their files removed this many hours after they were written.
        "INBOX_REGISTER_JOB_ROWS": 5000,
        "INBOX_REGISTER_EXPORT_HOURS": 24,
        # Issued letter and kuitansi PDFs of purged requests are destroyed this many days after the case
        # closed (the jadwal retensi arsip); 0 keeps them. Their number, date and SHA-256 always stay.
        "INBOX_RECORD_RETENTION_DAYS": 0,
    }


@hookimpl
def cms_permissions():
    return {
        "inbox.view": {"ppid", "ppid_unit", "atasan"},
        "inbox.manage": {"ppid", "ppid_unit"},
        "inbox.assign": {"ppid"},
        "inbox.identity": {"ppid", "atasan"},
        "inbox.decide": {"atasan"},
        "inbox.dispute": {"ppid"},
        "inbox.calendar": {"ppid"},
        "inbox.report": {"ppid", "ppid_unit", "atasan"},
        "inbox.publish": {"ppid"},
        "inbox.fees": {"ppid"},  # the standar biaya is set by the PPID Utama
        "inbox.letters": {"ppid", "ppid_unit"},  # kop, nomor and signer settings (a unit: its own)
        "inbox.approve": {"ppid"},  # approve a Pembantu's answer; which units need it
        "inbox.pages": {"ppid"},  # the public PPID pages (maklumat, SOP, struktur) are the Utama's
    }


@hookimpl
def cms_blueprints():
    from plugins.inbox import (  # noqa: F401 - routes attach to admin_bp
        admin_dispositions,
        admin_letters,
        admin_objections,
        admin_registers,
        admin_reports,
        admin_requests,
        admin_sengketa,
        code_views,  # noqa: F401 - routes attach to both blueprints
        desk_objections,
        fee_views,  # noqa: F401 - routes attach to both blueprints
        ppid_page_views,  # noqa: F401 - routes attach to both blueprints
    )
    from plugins.inbox.admin_bp import bp as admin_bp
    from plugins.inbox.letter_views import bp as letters_bp
    from plugins.inbox.views import bp

    return [bp, letters_bp, admin_bp]


@hookimpl
def cms_migration_dirs():
    return str(Path(__file__).parent / "migrations")


@hookimpl
def cms_public_nav():
    return [NavItem("PPID", "inbox.index", order=50)]


@hookimpl
def cms_admin_nav(user):
    return [
        NavItem("Permohonan informasi", "inbox_admin.index", permission="inbox.view", order=200),
        NavItem("Keberatan", "inbox_admin.objection_list", permission="inbox.view", order=210),
        NavItem("Laporan PPID", "inbox_admin.annual_report", permission="inbox.report", order=220),
        NavItem("Kalender hari kerja", "inbox_admin.calendar", permission="inbox.calendar", order=230),
        NavItem("Pengaturan surat", "inbox_admin.letter_settings", permission="inbox.letters", order=240),
        NavItem("Standar biaya", "inbox_admin.fee_table", permission="inbox.fees", order=242),
        NavItem("Persetujuan jawaban", "inbox_admin.approval_settings", permission="inbox.approve", order=245),
        NavItem("Halaman PPID", "inbox_admin.ppid_pages_index", permission="inbox.pages", order=250),
    ]


@hookimpl
def cms_template_context():
    from flask_babel import format_decimal

    from cms.api import rupiah, tanggal, terbilang
    from plugins.inbox import clock, dip_requests, law, letter_records, models, paperwork, payments, rights
    from plugins.inbox.deadlines import days_left_text, deadline_text
    from plugins.inbox.execution_models import ORDER_SCOPES
    from plugins.inbox.letter_kinds import KINDS
    from plugins.inbox.privacy import mask_name
    from plugins.inbox.sengketa_models import SENGKETA_RESULTS, SENGKETA_STAGES

    labels = SimpleNamespace(
        statuses=models.STATUSES,
        outcomes=models.OUTCOMES,
        applicant_types=models.APPLICANT_TYPES,
        channels=models.CHANNELS,
        access_methods=models.ACCESS_METHODS,
        info_forms=models.INFO_FORMS,
        delivery=models.DELIVERY,
        categories=models.CATEGORIES,
        pasal17=models.PASAL17,
        grounds=models.GROUNDS,
        objection_outcomes=models.OBJECTION_OUTCOMES,
        dispute_stages=models.DISPUTE_STAGES,
        sengketa_stages=SENGKETA_STAGES,
        sengketa_results=SENGKETA_RESULTS,
        order_scopes=ORDER_SCOPES,
    )
    return {
        "inbox_labels": labels,
        "inbox_law": law,  # templates ask the law what may be done, never decide it
        "inbox_deadline": deadline_text,
        "inbox_days_left": clock.remaining,
        "inbox_mask_name": mask_name,
        "inbox_days_left_text": days_left_text,
        "inbox_rupiah": rupiah,
        "inbox_tanggal": tanggal,
        "inbox_terbilang": terbilang,
        "inbox_decimal": format_decimal,  # "11,7" in Indonesian, "11.7" in English
        "inbox_letters_of": letter_records.of_request,
        "inbox_issuable_letters": letter_records.issuable,
        "inbox_letter_kinds": KINDS,
        "inbox_next_right": rights.next_right,
        "inbox_objection_link": rights.objection_link,
        "inbox_komisi": rights.komisi,
        "inbox_payments_of": payments.payments_of,
        "inbox_paperwork": paperwork.timeline,
        "inbox_objection_letters": paperwork.objection_letters,
        "inbox_dip_item": dip_requests.of_request,
    }


@hookimpl
def cms_periodic_tasks():
    from plugins.inbox import register_jobs, tasks

    return [
        PeriodicTask("inbox.reminders", tasks.send_reminders, {"minute": "5", "hour": "*"}),
        PeriodicTask("inbox.retention_purge", tasks.purge, {"minute": "30", "hour": "2"}),
        PeriodicTask("inbox.register_exports_removed", register_jobs.remove_expired, {"minute": "15"}),
    ]


@hookimpl
def cms_tpl_dashboard(user):
    from plugins.inbox.dashboard import panel

    return panel(user)


@hookimpl
def cms_demo_data():
    from plugins.inbox.demo import load

    load()


@hookimpl
def cms_encrypted_data():
    from cms.api import EncryptedColumn, EncryptedFiles
    from plugins.inbox.services import NIK_PURPOSE

    return [
        EncryptedColumn("NIK", "inbox_request", "nik_enc", "nik_hash", NIK_PURPOSE),
        # held only until the receipt page shows it once (at most 30 minutes)
        EncryptedColumn("Kode pelacakan menunggu tanda terima", "inbox_request", "receipt_code_enc"),
        EncryptedFiles("Berkas permohonan (identitas, jawaban)", "inbox_file", "stored_name", ("inbox",)),
        EncryptedFiles("Surat resmi yang diterbitkan (PDF)", "inbox_letter", "stored_name", ("inbox_letters",)),
    ]


@hookimpl
def cms_units_merged(source_id, target_id):
    from plugins.inbox.unit_merge import move_rows

    return move_rows(source_id, target_id)


@hookimpl
def cms_monev_indicators(start, end, unit_ids):
    from plugins.inbox.monev_source import indicators

    return indicators(start, end, unit_ids)


@hookimpl
def cms_monev_evidence(year):
    from plugins.inbox.emonev_evidence import documents

    return documents(year)


@hookimpl
def cms_monev_letterhead():
    from plugins.inbox.monev_letterhead import letterhead_for_monev

    return letterhead_for_monev()
