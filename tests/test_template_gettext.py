"""``_()`` in templates: the catalogue is looked up once per render, with
the same results as Jinja's newstyle gettext."""

from flask import render_template_string
from flask_babel import force_locale


def test_each_render_uses_the_locale_of_the_moment(app):
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        assert render_template_string("{{ _('Lewati ke konten') }}") == "Skip to content"
        with force_locale("id"):
            assert render_template_string("{{ _('Lewati ke konten') }}") == "Lewati ke konten"
        assert render_template_string("{{ _('Lewati ke konten') }}") == "Skip to content"


def test_placeholders_are_filled_and_escaped_in_html_only(app):
    source = "{{ _('%(n)s hasil untuk', n=n) }}"
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        assert render_template_string(source, n="<b>3</b>") == "&lt;b&gt;3&lt;/b&gt; results for"
        text = app.jinja_env.from_string("{% autoescape false %}" + source + "{% endautoescape %}")
        assert text.render(n="<b>3</b>") == "<b>3</b> results for"
        # A literal percent sign is written twice in the catalogue's source, as with Jinja's gettext.
        assert render_template_string("{{ _('100%% selesai') }}") == "100% selesai"


def test_pages_are_translated_whichever_language_was_chosen(client):
    english = client.get("/cari?lang=en").get_data(as_text=True)
    assert "Skip to content" in english and "Lewati ke konten" not in english
    indonesian = client.get("/cari?lang=id").get_data(as_text=True)
    assert "Lewati ke konten" in indonesian and "Skip to content" not in indonesian
