"""Standar biaya: the PPID Utama's table, its public page, and the fee of a notice."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from plugins.inbox import fees
from plugins.inbox.fee_models import FeeItem
from tests.plugins.inbox.conftest import get_request

REQ = SimpleNamespace(access_method="hardcopy")


@pytest.fixture
def ppid(make_user):
    return make_user("ppid", name="Petugas Utama")


def test_defaults_apply_until_the_table_is_edited(app):
    app.config["INBOX_FEE_PER_PAGE"] = 700
    items = {i.code: i for i in fees.schedule()}
    assert items["salinan_lembar"].price == 700 and items["softcopy"].price == 0
    assert db.session.scalar(select(FeeItem.id)) is None  # nothing written by reading


def test_fee_is_quantities_times_prices(app):
    fee = fees.fee_for(REQ, {"salinan_lembar": "75", "pengiriman": 1, "softcopy": "1", "cd": ""})
    assert [(ln.code, ln.quantity, ln.amount) for ln in fee.lines] == [
        ("salinan_lembar", 75, 37500),
        ("softcopy", 1, 0),
        ("pengiriman", 1, 20000),
    ]
    assert fee.total == 57500 and isinstance(fee.total, int) and fee.pages == 75
    assert fees.Fee.from_json(fee.as_json()) == fee


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ({"salinan_lembar": "-1"}, "qty-salinan_lembar"),
        ({"salinan_lembar": "1.5"}, "qty-salinan_lembar"),
        ({"salinan_lembar": "abc"}, "qty-salinan_lembar"),
        ({"salinan_lembar": str(10**20)}, "qty-salinan_lembar"),
        ({"salinan_lembar": 100_001}, "qty-salinan_lembar"),
        ({"salinan_lembar": True}, "qty-salinan_lembar"),
        ({"emas_batangan": 1}, "qty-emas_batangan"),
        ({"flashdisk": 100_000, "pengiriman": 100_000}, "fee"),  # 7 miliar: past the bound
    ],
)
def test_bad_quantities_are_refused_naming_the_field(app, items, field):
    with pytest.raises(fees.FeeError) as caught:
        fees.fee_for(REQ, items)
    assert caught.value.field == field


def test_ppid_utama_edits_the_table_and_the_public_page_shows_it(client, login, ppid):
    login(ppid)
    page = client.get("/admin/inbox/standar-biaya")
    assert page.status_code == 200 and "Penggandaan dokumen" in page.text
    resp = client.post(
        "/admin/inbox/standar-biaya/salinan_lembar",
        data={
            "item-salinan_lembar-label": "Fotokopi A4 per lembar",
            "item-salinan_lembar-unit": "lembar",
            "item-salinan_lembar-kind": "salinan",
            "item-salinan_lembar-price": "750",
            "item-salinan_lembar-active": "y",
        },
    )
    assert resp.status_code == 302, resp.text
    added = client.post(
        "/admin/inbox/standar-biaya",
        data={"new-label": "Penjilidan", "new-unit": "dokumen", "new-kind": "lainnya", "new-price": "3.000"},
    )
    assert added.status_code == 302
    client.post(
        "/admin/inbox/standar-biaya/flashdisk",
        data={
            "item-flashdisk-label": "Media flashdisk",
            "item-flashdisk-unit": "buah",
            "item-flashdisk-kind": "media",
            "item-flashdisk-price": "50000",
        },  # unticked "Berlaku": withdrawn
    )
    client.post("/logout")
    public = client.get("/ppid/standar-biaya").text
    assert "Fotokopi A4 per lembar" in public and "Rp750,00" in public
    assert "Penjilidan" in public and "Rp3.000,00" in public
    assert "Gratis" in public  # softcopy
    assert "flashdisk" not in public.lower()
    assert "/ppid/standar-biaya" in client.get("/ppid/").text
    fee = fees.fee_for(REQ, {"salinan_lembar": 10, "penjilidan": 1})
    assert fee.total == 10 * 750 + 3000
    with pytest.raises(fees.FeeError):
        fees.fee_for(REQ, {"flashdisk": 1})
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "inbox_fee_item")).all()
    assert actions.count("inbox.fee_item.saved") == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "-500", "Isi bilangan 0–10.000.000."),
        ("price", "lima ratus", "Isi bilangan 0–10.000.000."),
        ("label", "", "Uraian wajib diisi"),
        ("unit", "", "Satuan wajib diisi"),
    ],
)
def test_bad_table_entries_are_form_errors(client, login, ppid, field, value, message):
    login(ppid)
    data = {"new-label": "Penjilidan", "new-unit": "dokumen", "new-kind": "lainnya", "new-price": "3000"}
    data[f"new-{field}"] = value
    resp = client.post("/admin/inbox/standar-biaya", data=data)
    assert resp.status_code == 400 and message in resp.text
    assert db.session.scalar(select(FeeItem).where(FeeItem.label == "Penjilidan")) is None


def test_only_the_ppid_utama_edits_the_table(client, login, make_user):
    login(make_user("ppid_unit", unit="Dinas Kesehatan"))
    assert client.get("/admin/inbox/standar-biaya").status_code == 403
    resp = client.post(
        "/admin/inbox/standar-biaya",
        data={"new-label": "X", "new-unit": "lembar", "new-kind": "salinan", "new-price": "1"},
    )
    assert resp.status_code == 403
    login(make_user("editor"))
    assert client.get("/admin/inbox/standar-biaya").status_code == 403
    assert db.session.scalar(select(FeeItem.id)) is None


def test_table_edit_needs_the_csrf_token(make_app, mailbox, make_user):
    from tests.conftest import PASSWORD

    app = make_app(enabled=["inbox"], MAIL_PORT=mailbox.port, WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user("ppid")
        client = app.test_client()
        login_page = client.get("/login").text
        import re

        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        resp = client.post(
            "/admin/inbox/standar-biaya",
            data={"new-label": "X", "new-unit": "lembar", "new-kind": "salinan", "new-price": "1"},
        )
        assert resp.status_code == 400
        assert db.session.scalar(select(FeeItem.id)) is None


def test_notice_computes_and_stores_the_fee_from_the_table(client, submit, login, ppid, mailbox):
    number, _ = submit(access_method="hardcopy", delivery="pos")
    req = get_request(number)
    login(ppid)
    form = client.get(f"/admin/inbox/{req.id}/jawab").text
    assert 'name="qty-salinan_lembar"' in form and "Rp500,00" in form
    resp = client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={"outcome": "dikabulkan_seluruhnya", "qty-salinan_lembar": "35", "qty-pengiriman": "1"},
    )
    assert resp.status_code == 302, resp.text
    req = get_request(number)
    assert req.fee_total == 37500 and req.fee_detail["total"] == 37500
    body = mailbox.text(mailbox.to("budi@contoh.id")[-1])
    assert "Rp37.500,00" in body and "35 lembar × Rp500,00" in body
    # A later price change leaves the notice as it was sent.
    fees.save_item(
        {"label": "Penggandaan", "unit": "lembar", "kind": "salinan", "price": "900", "active": True},
        fees.item_by_code("salinan_lembar"),
    )
    assert get_request(number).fee_total == 37500
    assert "Rp37.500,00" in client.get(f"/admin/inbox/{req.id}/surat").text


def test_bad_quantity_on_the_notice_names_the_line(client, submit, login, ppid):
    number, _ = submit(access_method="hardcopy", delivery="pos")
    req = get_request(number)
    login(ppid)
    resp = client.post(f"/admin/inbox/{req.id}/jawab", data={"outcome": "dikabulkan_seluruhnya", "qty-cd": "-2"})
    assert resp.status_code == 400
    assert 'id="qty-cd-error"' in resp.text and "Media CD/DVD: Isi bilangan 0–100.000." in resp.text
    assert get_request(number).outcome is None
