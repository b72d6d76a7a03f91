"""A plugin's faulty contribution to a page is logged and left out; the page renders.

``Rusak`` is a plugin with a nav item to a missing endpoint, slots that raise
and a broken metrics hook; ``Baik`` contributes well-formed items beside it.
"""

from __future__ import annotations

import logging

import pytest
from markupsafe import Markup
from sqlalchemy import text

from cms import NavItem, hookimpl
from cms.extensions import db
from tests.conftest import new_post


class Rusak:
    __name__ = "rusak"

    @hookimpl
    def cms_public_nav(self):
        return [
            NavItem("Tautan Hilang", "tidak_ada.index", order=50),
            NavItem("Kurang Nilai", "public.news", order=51),  # needs slug=
            "bukan NavItem",
        ]

    @hookimpl
    def cms_admin_nav(self, user):
        return [NavItem("Menu Hilang", "tidak_ada.admin", order=50)]

    @hookimpl
    def cms_tpl_home_top(self):
        raise RuntimeError("slot rusak")

    @hookimpl
    def cms_tpl_dashboard(self, user):
        raise RuntimeError("panel rusak")

    @hookimpl
    def cms_tpl_item_footer(self, post):
        raise KeyError("footer rusak")

    @hookimpl
    def cms_metrics(self):
        raise RuntimeError("metrik rusak")


class Baik:
    __name__ = "baik"

    @hookimpl
    def cms_public_nav(self):
        return [NavItem("Agenda Baik", "public.search", order=96)]

    @hookimpl
    def cms_admin_nav(self, user):
        return [NavItem("Menu Baik", "admin.audit", order=60)]

    @hookimpl
    def cms_tpl_home_top(self):
        return Markup('<p class="baik">Pengumuman baik</p>')

    @hookimpl
    def cms_tpl_dashboard(self, user):
        return Markup('<section class="baik">Panel baik</section>')

    @hookimpl
    def cms_tpl_item_footer(self, post):
        return Markup('<p class="baik">Catatan kaki baik</p>')

    @hookimpl
    def cms_metrics(self):
        return {"warta_baik_total": 3}


@pytest.fixture
def faulty(make_app):
    app = make_app(enabled=["inbox", "dip", "crosspost"], plugins=[Rusak(), Baik()])
    with app.app_context():
        yield app


@pytest.fixture
def fclient(faulty):
    return faulty.test_client()


def published_post(title="Banjir surut di Kelurahan Jaya"):
    from cms.timeutil import naive_utc

    return new_post(
        title=title, slug="banjir-surut", summary="Ringkas.", body="<p>Isi rilis.</p>", published_at=naive_utc()
    )


def assert_logged(caplog, *words):
    text_ = "\n".join(r.getMessage() for r in caplog.records)
    for word in words:
        assert word in text_, text_


def test_home_page_renders_good_items_and_logs_the_faulty_plugin(faulty, fclient, caplog):
    published_post()
    with caplog.at_level(logging.ERROR, logger="cms.plugins"):
        response = fclient.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ">Agenda Baik</a>" in page and ">Beranda</a>" in page and ">Siaran Pers</a>" in page
    assert "Pengumuman baik" in page and "Banjir surut di Kelurahan Jaya" in page
    assert "Tautan Hilang" not in page and "Kurang Nilai" not in page
    assert_logged(caplog, "plugin rusak", "tidak_ada.index", "public.news", "cms_tpl_home_top")


def test_not_found_page_still_renders_with_the_navigation(faulty, fclient, caplog):
    with caplog.at_level(logging.ERROR, logger="cms.plugins"):
        response = fclient.get("/tidak-ada-halaman-ini")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page and ">Agenda Baik</a>" in page
    assert "Tautan Hilang" not in page
    assert_logged(caplog, "plugin rusak", "tidak_ada.index")


def test_admin_dashboard_renders_good_panels_and_nav(faulty, fclient, caplog):
    from cms import accounts
    from tests.conftest import PASSWORD

    admin = accounts.create_user("admin-rusak@warta.test", "admin", PASSWORD)
    fclient.post("/login", data={"email": admin.email, "password": PASSWORD})
    with caplog.at_level(logging.ERROR, logger="cms.plugins"):
        response = fclient.get("/admin/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ">Menu Baik</a>" in page and ">Dasbor</a>" in page and ">Crosspost</a>" in page
    assert "Panel baik" in page and "Menu Hilang" not in page
    assert_logged(caplog, "plugin rusak", "tidak_ada.admin", "cms_tpl_dashboard", "panel rusak")


def test_item_page_keeps_the_good_footer(faulty, fclient, caplog):
    published_post()
    with caplog.at_level(logging.ERROR, logger="cms.plugins"):
        response = fclient.get("/siaran-pers/banjir-surut")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Isi rilis." in page and "Catatan kaki baik" in page
    assert_logged(caplog, "plugin rusak", "cms_tpl_item_footer")


def test_metrics_keep_the_good_gauges(faulty, fclient, caplog):
    with caplog.at_level(logging.ERROR, logger="cms.plugins"):
        response = fclient.get("/metrics")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "warta_baik_total 3.0" in body and "warta_queue_pending" in body
    assert_logged(caplog, "plugin rusak", "cms_metrics")


def test_a_nav_hook_that_raises_or_returns_junk_leaves_the_rest(make_app, caplog):
    class Meledak:
        __name__ = "meledak"

        @hookimpl
        def cms_public_nav(self):
            raise RuntimeError("nav rusak")

    class Tunggal:
        __name__ = "tunggal"

        @hookimpl
        def cms_public_nav(self):
            return NavItem("Bukan Daftar", "public.search")  # a single item, not a list

    app = make_app(plugins=[Meledak(), Tunggal(), Baik()])
    with caplog.at_level(logging.ERROR, logger="cms.plugins"):
        page = app.test_client().get("/cari").get_data(as_text=True)
    assert ">Agenda Baik</a>" in page and ">Beranda</a>" in page and "Bukan Daftar" not in page
    assert_logged(caplog, "plugin meledak", "plugin tunggal")


def test_an_admin_nav_item_with_an_undeclared_permission_is_left_out(make_app, caplog):
    """A typo in a permission name used to raise KeyError on every admin page."""
    from cms import accounts
    from tests.conftest import PASSWORD

    class Salah:
        __name__ = "salah"

        @hookimpl
        def cms_admin_nav(self, user):
            return [NavItem("Menu Salah Izin", "admin.audit", permission="salah.tidak_ada", order=40)]

    app = make_app(plugins=[Salah(), Baik()])
    client = app.test_client()
    with app.app_context():
        accounts.create_user("admin-izin@warta.test", "admin", PASSWORD)
    client.post("/login", data={"email": "admin-izin@warta.test", "password": PASSWORD})
    with caplog.at_level(logging.ERROR, logger="cms.plugins"):
        response = client.get("/admin/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ">Menu Baik</a>" in page and ">Dasbor</a>" in page and "Menu Salah Izin" not in page
    assert_logged(caplog, "plugin salah", "salah.tidak_ada")


def test_a_slot_whose_query_fails_does_not_break_the_rest_of_the_page(make_app):
    class Kueri:
        __name__ = "kueri"

        @hookimpl
        def cms_tpl_home_top(self):
            db.session.execute(text("SELECT * FROM tabel_yang_tidak_ada"))

    app = make_app(plugins=[Kueri()])
    with app.app_context():
        published_post("Jalan baru dibuka")
        page = app.test_client().get("/").get_data(as_text=True)
    assert "Jalan baru dibuka" in page


def test_the_remembered_navigation_follows_a_repaired_plugin(make_app):
    class Berubah:
        __name__ = "berubah"
        endpoint = "tidak_ada.index"

        @hookimpl
        def cms_public_nav(self):
            return [NavItem("Agenda", self.endpoint, order=95)]

    plugin = Berubah()
    # Every request renders (the search page is kept by the shared cache too).
    client = make_app(plugins=[plugin], CMS_SHARED_CACHE=False).test_client()
    assert ">Agenda</a>" not in client.get("/cari").get_data(as_text=True)
    plugin.endpoint = "public.search"
    assert ">Agenda</a>" in client.get("/cari").get_data(as_text=True)


def test_the_error_page_survives_a_template_that_cannot_render(make_app, caplog):
    """Last line of defence: when even error.html fails (here a plugin's
    context processor raises), a bare page with the right status is sent."""

    class Pemroses:
        __name__ = "pemroses"

        @hookimpl
        def cms_app_ready(self, app):
            @app.context_processor
            def _broken():
                raise RuntimeError("konteks rusak")

    client = make_app(plugins=[Pemroses()]).test_client()
    with caplog.at_level(logging.ERROR, logger="cms.errors"):
        missing = client.get("/tidak-ada-halaman-ini")
        broken = client.get("/")
    assert missing.status_code == 404 and "Halaman tidak ditemukan" in missing.get_data(as_text=True)
    assert broken.status_code == 500 and "Terjadi kesalahan" in broken.get_data(as_text=True)
    assert "error page 404 could not be rendered" in caplog.text
