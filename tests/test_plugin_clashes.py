"""A plugin cannot take what belongs to another: start-up stops and names both.

Each test registers tiny inline plugins (as tests/test_hooks.py does) that
claim a name already taken by core, a bundled plugin or another test plugin.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest
from flask import Blueprint

from cms import PeriodicTask, hookimpl
from cms.plugin_clashes import PluginClash

ROOT = Path(__file__).resolve().parent.parent


def blueprint_plugin(plugin_name, bp_name, *rules, url_prefix=None):
    bp = Blueprint(bp_name, __name__, url_prefix=url_prefix)
    for rule, methods in rules:
        bp.add_url_rule(rule, rule.strip("/").replace("/", "_") or "index", lambda: plugin_name, methods=methods)

    class P:
        __name__ = plugin_name

        @hookimpl
        def cms_blueprints(self):
            return bp

    return P()


def channel_plugin(plugin_name, key):
    from plugins.crosspost.channels.mastodon import Mastodon

    class Lookalike(Mastodon):
        pass

    Lookalike.key = key

    class P:
        __name__ = plugin_name

        @hookimpl
        def cms_crosspost_channels(self):
            return [Lookalike]

    return P()


def assert_clash(error, *names):
    message = str(error.value)
    for name in names:
        assert f"{name}" in message, message


# ----------------------------------------------------------- crosspost channels


def test_plugin_channel_cannot_take_the_bundled_mastodon_key(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(enabled=["crosspost"], plugins=[channel_plugin("pencuri", "mastodon")])
    assert_clash(error, "crosspost channel 'mastodon'", "'crosspost'", "'pencuri'")


def test_two_plugins_cannot_offer_the_same_new_channel_key(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(
            enabled=["crosspost"],
            plugins=[channel_plugin("discord_a", "discord"), channel_plugin("discord_b", "discord")],
        )
    assert_clash(error, "'discord'", "'discord_a'", "'discord_b'")


def test_a_new_channel_key_is_welcome(make_app):
    from plugins.crosspost.channels import available

    app = make_app(enabled=["crosspost"], plugins=[channel_plugin("discord", "discord")])
    with app.app_context():
        types = available()
    assert types["discord"].__name__ == "Lookalike"
    assert types["mastodon"].__module__ == "plugins.crosspost.channels.mastodon"


# ------------------------------------------------------------ blueprints, URLs


def test_two_plugins_with_one_blueprint_name(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(
            plugins=[
                blueprint_plugin("satu", "kembar", ("/satu", ["GET"])),
                blueprint_plugin("dua", "kembar", ("/dua", ["GET"])),
            ]
        )
    assert_clash(error, "blueprint 'kembar'", "'satu'", "'dua'")


def test_plugin_blueprint_named_like_a_bundled_plugin(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(enabled=["dip"], plugins=[blueprint_plugin("palsu", "dip_admin", ("/x", ["GET"]))])
    assert_clash(error, "blueprint 'dip_admin'", "'dip'", "'palsu'")


def test_plugin_blueprint_named_like_core(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(plugins=[blueprint_plugin("palsu", "admin", ("/x", ["GET"]))])
    assert_clash(error, "blueprint 'admin'", "'core'", "'palsu'")


def test_two_plugins_with_the_same_url_and_method(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(
            plugins=[
                blueprint_plugin("satu", "satu", ("/sama/<int:n>", ["GET"])),
                blueprint_plugin("dua", "dua", ("/sama/<int:nomor>", ["GET", "POST"])),
            ]
        )
    assert_clash(error, "GET /sama/", "'satu'", "'dua'")


def test_plugin_shadowing_a_core_url(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(plugins=[blueprint_plugin("palsu", "palsu", ("/login", ["POST"]))])
    assert_clash(error, "POST /login", "'core'", "'palsu'")


def test_plugin_shadowing_a_bundled_plugin_url(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(enabled=["dip"], plugins=[blueprint_plugin("palsu", "palsu", ("/dip/", ["GET"]), url_prefix="/admin")])
    assert_clash(error, "GET /admin/dip/", "'dip'", "'palsu'")


@pytest.mark.parametrize(
    "rule", ["/siaran-pers/<string:judul>", "/siaran-pers/<string(minlength=2):judul>", "/siaran-pers/<default:judul>"]
)
def test_plugin_shadowing_a_core_url_with_another_spelling_of_its_converter(make_app, rule):
    """``<slug>`` and ``<string:…>`` are one converter: the URLs are the same."""
    with pytest.raises(PluginClash) as error:
        make_app(plugins=[blueprint_plugin("palsu", "palsu", (rule, ["GET"]))])
    assert_clash(error, f"GET {rule}", "'core'", "'palsu'")


def test_any_urls_with_different_words_are_different_urls(make_app):
    app = make_app(
        plugins=[
            blueprint_plugin("satu", "satu", ("/pilih/<any(a,b):x>", ["GET"])),
            blueprint_plugin("dua", "dua", ("/pilih/<any(c,d):x>", ["GET"])),
        ]
    )
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/pilih/a")[0].startswith("satu.")
    assert adapter.match("/pilih/d")[0].startswith("dua.")


def test_one_url_with_different_methods_from_two_plugins_is_fine(make_app):
    app = make_app(
        plugins=[
            blueprint_plugin("satu", "satu", ("/bersama", ["GET"])),
            blueprint_plugin("dua", "dua", ("/bersama", ["POST"])),
        ]
    )
    client = app.test_client()
    assert client.get("/bersama").get_data(as_text=True) == "satu"
    assert client.post("/bersama").get_data(as_text=True) == "dua"


# --------------------------------------------------------------- CLI commands


def cli_plugin(plugin_name, command_name):
    @click.group(command_name)
    def group():
        pass

    class P:
        __name__ = plugin_name

        @hookimpl
        def cms_cli_commands(self):
            return [group]

    return P()


@pytest.mark.parametrize(
    "command, owner", [("cms", "core"), ("db", "core"), ("run", "Flask"), ("dip", "dip"), ("limiter", "Flask-Limiter")]
)
def test_plugin_cli_group_cannot_take_a_taken_name(make_app, command, owner):
    with pytest.raises(PluginClash) as error:
        make_app(enabled=["dip"], plugins=[cli_plugin("palsu", command)])
    assert_clash(error, f"CLI command '{command}'", f"'{owner}'", "'palsu'")


def test_two_plugins_with_one_cli_group(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(plugins=[cli_plugin("satu", "kembar"), cli_plugin("dua", "kembar")])
    assert_clash(error, "CLI command 'kembar'", "'satu'", "'dua'")


def test_the_cli_exits_non_zero_with_the_message(tmp_path):
    (tmp_path / "clash_app.py").write_text(
        textwrap.dedent("""
        import click
        from cms import create_app, hookimpl

        @click.group("cms")
        def group():
            pass

        class Palsu:
            __name__ = "palsu"

            @hookimpl
            def cms_cli_commands(self):
                return [group]

        app = create_app({"SECRET_KEY": "x", "CMS_PLUGINS": []}, plugins=[Palsu()])
    """)
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}",
        "CMS_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'warta.db'}",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "clash_app", "cms", "init"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CLI command 'cms' is provided by both 'core' and 'palsu'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "warta.db").exists() or (tmp_path / "warta.db").stat().st_size == 0


# ------------------------------------------------- config, templates, tasks


def config_plugin(plugin_name, **defaults):
    class P:
        __name__ = plugin_name

        @hookimpl
        def cms_config_defaults(self):
            return defaults

    return P()


def test_two_plugins_declaring_one_config_key(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(plugins=[config_plugin("satu", SAMA_WARNA="biru"), config_plugin("dua", SAMA_WARNA="merah")])
    assert_clash(error, "config key 'SAMA_WARNA'", "'satu'", "'dua'")


def test_plugin_declaring_a_bundled_plugins_config_key(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(enabled=["inbox"], plugins=[config_plugin("palsu", INBOX_ANSWER_DAYS=99)])
    assert_clash(error, "config key 'INBOX_ANSWER_DAYS'", "'inbox'", "'palsu'")


def test_plugin_declaring_a_core_hook_config_key(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(plugins=[config_plugin("palsu", FEEDS_ITEMS=1)])
    assert_clash(error, "config key 'FEEDS_ITEMS'", "'core'", "'palsu'")


def template_plugin(plugin_name, **names):
    class P:
        __name__ = plugin_name

        @hookimpl
        def cms_template_context(self):
            return names

    return P()


def test_plugin_cannot_replace_a_core_template_name(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(plugins=[template_plugin("palsu", can=lambda *a, **k: True)])
    assert_clash(error, "template name 'can'", "'core'", "'palsu'")


def test_two_plugins_with_one_template_name(make_app):
    with pytest.raises(PluginClash) as error:
        make_app(enabled=["inbox"], plugins=[template_plugin("palsu", inbox_labels={})])
    assert_clash(error, "template name 'inbox_labels'", "'inbox'", "'palsu'")


def test_periodic_task_name_taken_by_a_bundled_plugin(make_app):
    class P:
        __name__ = "palsu"

        @hookimpl
        def cms_periodic_tasks(self):
            return [PeriodicTask("crosspost.sweep", lambda: None)]

    with pytest.raises(PluginClash) as error:
        make_app(enabled=["crosspost"], plugins=[P()])
    assert_clash(error, "periodic task 'crosspost.sweep'", "'crosspost'", "'palsu'")


def test_unnamed_plugin_objects_are_named_by_their_class(make_app):
    class Anonim:
        @hookimpl
        def cms_config_defaults(self):
            return {"FEEDS_TTL": 1}

    with pytest.raises(PluginClash) as error:
        make_app(plugins=[Anonim()])
    assert_clash(error, "'core'", "Anonim'")


def test_all_bundled_plugins_start_together(make_app):
    app = make_app(enabled=["inbox", "dip", "crosspost"])
    assert {"inbox", "dip", "crosspost"} <= set(app.blueprints)
