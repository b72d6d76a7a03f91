"""``remembered``: a block rendered once per app, language, script root and key."""

import itertools

from cms import identity
from cms.hookspecs import NavItem, hookimpl

SOURCE = "{% call remembered('part', key) %}{{ next(counter) }} {{ _('Lewati ke konten') }}{% endcall %}"


def _render(app, key="a", lang="id", script_name=""):
    with app.test_request_context(f"/?lang={lang}", base_url="http://localhost" + script_name):
        app.preprocess_request()
        return app.jinja_env.from_string(SOURCE).render(key=key, counter=app.config["counter"], next=next)


def test_a_block_is_rendered_once_per_language_script_root_and_key(app):
    app.config["counter"] = itertools.count()
    assert _render(app) == "0 Lewati ke konten"
    assert _render(app) == "0 Lewati ke konten"  # from memory
    assert _render(app, lang="en") == "1 Skip to content"
    assert _render(app, key="b") == "2 Lewati ke konten"
    assert _render(app, script_name="/warta") == "3 Lewati ke konten"
    assert _render(app, lang="en") == "1 Skip to content"


def test_debug_mode_renders_every_time(app):
    app.config["counter"] = itertools.count()
    app.debug = True
    assert [_render(app), _render(app)] == ["0 Lewati ke konten", "1 Lewati ke konten"]


class _Agenda:
    """A plugin whose public navigation changes while the app runs."""

    label = "Agenda"

    @hookimpl
    def cms_public_nav(self):
        return [NavItem(self.label, "public.search", order=95)]


def test_the_navigation_hook_still_decides_on_every_page(app, client):
    plugin = _Agenda()
    app.extensions["cms"].register(plugin, name="agenda-test")
    app.config["CMS_SHARED_CACHE"] = False  # every request renders (the search page is kept too now)
    assert ">Agenda</a>" in client.get("/cari").get_data(as_text=True)
    plugin.label = "Agenda Kota"
    page = client.get("/cari").get_data(as_text=True)
    assert ">Agenda Kota</a>" in page and ">Agenda</a>" not in page
    assert ">Siaran Pers</a>" in page


def test_the_search_page_head_follows_language_and_settings(app, client):
    english = client.get("/cari?lang=en").get_data(as_text=True)
    assert '<meta property="og:title" content="Search — ' in english
    indonesian = client.get("/cari?lang=id").get_data(as_text=True)
    assert '<meta property="og:title" content="Pencarian — ' in indonesian
    app.config["CMS_INSTITUTION"] = "Pemerintah Kota Contoh"
    identity.forget()  # the institution's name (identity), not the software's, names the site
    assert '<meta property="og:site_name" content="Pemerintah Kota Contoh">' in client.get("/cari").get_data(
        as_text=True
    )
