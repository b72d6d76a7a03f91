"""The hooks the monev plugin offers."""

from __future__ import annotations

from datetime import date

from cms import hookimpl
from tests.conftest import PASSWORD
from tests.plugins.monev import dataset


class ExtraSource:
    @hookimpl
    def cms_monev_indicators(self, start, end, unit_ids):
        return [
            {
                "key": "extra.visits",
                "label": "Kunjungan",
                "category": "ppid",
                "values": dict.fromkeys(unit_ids, 7),
                "link": None,
            }
        ]


class Broken:
    @hookimpl
    def cms_monev_indicators(self, start, end, unit_ids):
        raise RuntimeError("boom")


def test_hook_cms_monev_indicators(make_app):
    app = make_app(enabled=["inbox", "dip", "crosspost", "monev"], plugins=[ExtraSource(), Broken()])
    with app.app_context():
        from plugins.monev import scoring

        period, units = dataset.build()
        raw = scoring.collect(period, [units["A"].id])
        assert {k.split(".")[0] for k in raw} == {"inbox", "dip", "crosspost", "inti", "monev", "extra"}
        assert raw["extra.visits"]["values"] == {units["A"].id: 7}
        from plugins.inbox.monev_source import indicators

        figures = indicators(date(2025, 1, 1), date(2025, 12, 31), [units["A"].id])
        assert {f["key"]: f["values"][units["A"].id] for f in figures}["inbox.received"] == 4


class Listener:
    def __init__(self):
        self.calls = []

    @hookimpl
    def cms_monev_scored(self, period_label, scores):
        self.calls.append((period_label, scores))


def test_hook_cms_monev_scored(make_app):
    listener = Listener()
    app = make_app(enabled=["inbox", "dip", "crosspost", "monev"], plugins=[listener])
    with app.app_context():
        from cms import accounts

        period, units = dataset.build()
        accounts.create_user("utama@x.test", "ppid", PASSWORD)
        client = app.test_client()
        client.post("/login", data={"email": "utama@x.test", "password": PASSWORD})
        client.post(f"/admin/monev/{period.id}/terbitkan")
        assert listener.calls == [("Tahun 2025", {units["B"].id: 61.8, units["A"].id: 56.2, units["C"].id: 33.5})]


class ExtraEvidence:
    @hookimpl
    def cms_monev_evidence(self, year):
        return [{"key": "extra.foto", "title": f"Foto {year}", "make": lambda: b"%PDF-1.4 extra"}, {"key": 3}]


class BrokenEvidence:
    @hookimpl
    def cms_monev_evidence(self, year):
        raise RuntimeError("boom")


def test_hook_cms_monev_evidence(make_app):
    app = make_app(enabled=["inbox", "dip", "crosspost", "monev"], plugins=[ExtraEvidence(), BrokenEvidence()])
    with app.app_context():
        from plugins.monev.questionnaire import sources

        dataset.build()  # a Monev period for 2025: its ranking is offered
        offered = sources.offered(2025)
        assert {"dip.dip", "dip.berkala", "dip.dik", "inbox.statistik", "inbox.register"} <= set(offered)
        assert {"monev.hasil", "monev.akun", "extra.foto"} <= set(offered)
        assert "inbox.laporan_tahunan" not in offered  # not built yet: the PPID uploads it or builds it first
        assert offered["extra.foto"].title == "Foto 2025" and offered["extra.foto"].make() == b"%PDF-1.4 extra"
        stats = offered["inbox.statistik"].make()
        assert stats.startswith(b"%PDF-")
        from io import BytesIO

        from pypdf import PdfReader

        text = "".join(p.extract_text() for p in PdfReader(BytesIO(stats)).pages)
        # dataset: 5 requests received in 2025 by A and B (one in 2024 is left out), 4 answered
        assert "Permohonan diterima 5" in text and "Dijawab 4" in text


class OwnLetterhead:
    @hookimpl
    def cms_monev_letterhead(self):
        return {
            "kop": {
                "instansi": "PEMERINTAH KABUPATEN CONTOH",
                "unit_name": "PPID Utama",
                "unit_code": "PU",
                "place": "Cibinong",
            },
            "signer": {"name": "Rina Wati", "position": "Sekretaris Daerah selaku PPID", "nip": "197001012000032001"},
            "where": "pengaturan surat plugin contoh",
        }


class BrokenLetterhead:
    @hookimpl
    def cms_monev_letterhead(self):
        raise RuntimeError("boom")


def test_hook_cms_monev_letterhead(make_app):
    app = make_app(enabled=["dip", "crosspost", "monev"], plugins=[OwnLetterhead(), BrokenLetterhead()])
    with app.app_context():
        from io import BytesIO

        from pypdf import PdfReader

        from cms import accounts

        period, units = dataset.build(with_inbox=False)
        accounts.create_user("utama@x.test", "ppid", PASSWORD)
        client = app.test_client()
        client.post("/login", data={"email": "utama@x.test", "password": PASSWORD})
        pdf = client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}/surat.pdf").data
        text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
        assert "PEMERINTAH KABUPATEN CONTOH" in text and "Cibinong, " in text
        assert "Rina Wati" in text and "NIP 197001012000032001" in text and "/MONEV/PPID-PU/" in text
