"""Templates' ``url_for``: the same URLs as Flask's, remembered only where
they cannot differ between requests of one app."""

from flask import url_for as flask_url_for
from markupsafe import escape

from cms import url_cache


def _render(app, source: str, path: str = "/", script_name: str = "") -> str:
    with app.test_request_context(path, base_url="http://localhost" + script_name):
        return app.jinja_env.from_string(source).render()


def test_templates_use_it_and_get_flasks_urls(app):
    assert app.jinja_env.globals["url_for"] is url_cache.url_for
    with app.test_request_context("/"):
        expected = [
            str(escape(url))
            for url in (
                flask_url_for("public.home"),
                flask_url_for("static", filename="warta.css"),
                flask_url_for("public.search", q="a b", page=2),
            )
        ]
    source = (
        "{{ url_for('public.home') }}|{{ url_for('static', filename='warta.css') }}|"
        "{{ url_for('public.search', q='a b', page=2) }}"
    )
    assert _render(app, source).split("|") == expected
    assert "?v=" in expected[1]  # the fingerprint is kept
    assert _render(app, source).split("|") == expected  # from memory, the same


def test_each_script_root_gets_its_own_urls(app):
    source = "{{ url_for('public.home') }} {{ url_for('static', filename='warta.css') }}"
    root = _render(app, source)
    mounted = _render(app, source, script_name="/warta")
    assert mounted.split() == ["/warta" + url for url in root.split()]
    assert _render(app, source) == root


def test_only_urls_without_arguments_or_of_static_files_are_kept(app):
    _render(
        app,
        "{{ url_for('public.search', q='banjir') }}{{ url_for('public.search') }}"
        "{{ url_for('static', filename='warta.js') }}{{ url_for('public.home', _anchor='x') }}",
    )
    kept = app.extensions[url_cache._STORE]
    assert {key[0] for key in kept} == {"public.search", "static"}
    assert ("public.search", "", None) in kept and ("static", "", "warta.js") in kept


def test_nothing_is_kept_in_debug_mode_where_files_change(app):
    app.debug = True
    _render(app, "{{ url_for('static', filename='warta.css') }}")
    assert not app.extensions.get(url_cache._STORE)
