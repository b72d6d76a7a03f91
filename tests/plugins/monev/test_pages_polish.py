"""What users of the Monev pages read: a semester's figure links to exactly
the records it counted, numbers carry the locale's decimal comma, statuses
and sources have their names rather than their stored ids."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from cms import accounts
from cms.extensions import db
from plugins.monev.models import MonevPeriod
from tests.conftest import PASSWORD
from tests.plugins.monev import dataset


def login(client, email, role, unit=None):
    accounts.create_user(email, role, PASSWORD, unit=unit)
    client.post("/logout")
    client.post("/login", data={"email": email, "password": PASSWORD})


def raw_link(page: str, label: str, shown: str) -> str:
    """The href of the raw figure ``label`` reading ``shown`` on a unit page."""
    found = re.search(rf'<td>{re.escape(label)}</td>\s*<td class="n"><a href="([^"]+)">{re.escape(shown)}</a>', page)
    assert found, f"{label} = {shown} not linked"
    return html.unescape(found.group(1))


def numbers(page: str, prefix: str) -> list[str]:
    return re.findall(rf">({prefix}/\d+(?:/\d+)?)</a>", page)


@pytest.fixture
def semesters(client, monev_app):
    """The data set plus one request of Dinas A received in the second
    semester: the year holds 5 of A's requests, S1 4 and S2 1."""
    _year, units = dataset.build()
    late = dataset.request(units["A"], date(2025, 9, 15), date(2025, 9, 29))
    s1, s2 = MonevPeriod(year=2025, kind="s1"), MonevPeriod(year=2025, kind="s2")
    db.session.add_all([s1, s2])
    db.session.commit()
    login(client, "utama@x.test", "ppid")
    return s1, s2, units, late.number


def test_semester_figures_link_to_the_requests_received_in_that_semester(client, semesters):
    s1, s2, units, september = semesters
    a = units["A"].id
    first = client.get(f"/admin/monev/{s1.id}/unit/{a}").get_data(as_text=True)
    link = raw_link(first, "Permohonan diterima", "4")
    assert "dari=2025-01-01" in link and "sampai=2025-06-30" in link and "year=" not in link
    listed = client.get(link).get_data(as_text=True)
    assert len(numbers(listed, "REQ")) == 4
    assert 'value="2025-01-01"' in listed and 'value="2025-06-30"' in listed  # the filter form shows the range
    second = client.get(f"/admin/monev/{s2.id}/unit/{a}").get_data(as_text=True)
    listed = client.get(raw_link(second, "Permohonan diterima", "1")).get_data(as_text=True)
    assert numbers(listed, "REQ") == [september]


def test_semester_keberatan_link_lists_that_units_keberatan_of_that_semester(client, semesters):
    s1, _s2, units, _september = semesters
    a, b = units["A"].id, units["B"].id
    page = client.get(f"/admin/monev/{s1.id}/unit/{a}").get_data(as_text=True)
    listed = client.get(raw_link(page, "Keberatan diterima", "1")).get_data(as_text=True)
    assert len(numbers(listed, "KEB")) == 1  # not B's, received in July
    page = client.get(f"/admin/monev/{s1.id}/unit/{b}").get_data(as_text=True)
    listed = client.get(raw_link(page, "Keberatan diterima", "0")).get_data(as_text=True)
    assert numbers(listed, "KEB") == [] and "Tidak ada keberatan." in listed


@pytest.mark.parametrize(
    ("query", "error", "kept"),
    [
        ("dari=2025-02-30", "Diterima dari: Tanggal tidak valid: tulis TTTT-BB-HH", 7),
        ("sampai=kemarin", "Diterima sampai: Tanggal tidak valid", 7),
        ("dari=99999-01-01", "Diterima dari: Tanggal tidak valid", 7),
        # the start stands: only the September request
        ("dari=2025-06-30&sampai=2025-01-01", "Diterima sampai: Tanggal akhir tidak boleh sebelum tanggal awal.", 1),
    ],
)
def test_a_bad_date_on_the_lists_is_a_form_error(client, semesters, query, error, kept):
    page = client.get(f"/admin/inbox/?{query}")
    assert page.status_code == 400
    text = html.unescape(page.get_data(as_text=True))
    assert error in text and 'aria-invalid="true"' in text
    assert len(numbers(text, "REQ")) == kept  # the list without the refused bound
    objections = client.get(f"/admin/inbox/keberatan/?{query}")
    assert objections.status_code == 400 and error in html.unescape(objections.get_data(as_text=True))


def test_scores_use_the_decimal_comma_in_indonesian_and_the_point_in_english(client, monev_app):
    period, _units = dataset.build()
    login(client, "utama@x.test", "ppid")
    page = client.get(f"/admin/monev/{period.id}/").get_data(as_text=True)
    # Dinas A: 56.2 in total, 77.8 for complaints; Dinas B: 61.8 (test_indicators).
    assert "<strong>56,2</strong>" in page and "<strong>61,8</strong>" in page
    assert '<td class="n">77,8</td>' in page
    assert ">56,2</text>" in page and ">61,8</text>" in page  # the chart's labels
    assert not re.search(r">\s*\d+\.\d\s*<", page)
    english = client.get(f"/admin/monev/{period.id}/?lang=en").get_data(as_text=True)
    assert "<strong>56.2</strong>" in english and ">56.2</text>" in english


def test_unit_page_names_sources_and_outcomes(client, monev_app):
    period, units = dataset.build()
    login(client, "utama@x.test", "ppid")
    page = html.unescape(client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}").get_data(as_text=True))
    sources = re.findall(r"<td>([^<]*)</td></tr>", page)
    assert "Layanan permohonan informasi" in sources and "Daftar Informasi Publik (DIP)" in sources
    assert "Crosspost media sosial" in sources and "Redaksi Warta (siaran pers dan berita)" in sources
    assert not {"inbox", "dip", "crosspost", "monev", "inti"} & set(sources)
    assert "Kategori Pengelolaan Pengaduan Publik — 77,8" in page
    assert "Ditolak (menguatkan putusan PPID): 1" in page and "ditolak: 1" not in page


def test_self_assessment_shows_status_labels_not_stored_words(client, monev_app):
    period, units = dataset.build()  # Dinas A: three answers accepted, one returned
    login(client, "utama@x.test", "ppid")
    page = client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}/mandiri").get_data(as_text=True)
    statuses = re.findall(r'<strong class="monev-status">([^<]*)</strong>', page)
    assert statuses.count("Diterima PPID Utama") == 3
    assert statuses.count("Dikembalikan untuk diperbaiki") == 1
    assert statuses.count("Belum diisi") == len(statuses) - 4
    assert not {"diterima", "dikembalikan", "belum diisi"} & set(statuses)
