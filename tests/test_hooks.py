"""One test per core hook: core calls it as documented.  Each registers a
tiny inline plugin (Datasette/FlaskBB style)."""

from __future__ import annotations

import click
from flask import Blueprint, render_template_string

from cms import NavItem, PeriodicTask, hookimpl
from cms.jobs import periodic_tasks


def test_hook_cms_config_defaults(make_app):
    class P:
        @hookimpl
        def cms_config_defaults(self):
            return {"TESTP_COLOUR": "biru", "CMS_SITE_TITLE": "plugin must not win"}

    app = make_app(plugins=[P()], CMS_SITE_TITLE="Humas Kota")
    assert app.config["TESTP_COLOUR"] == "biru"
    assert app.config["CMS_SITE_TITLE"] == "Humas Kota"  # site config wins


def test_hook_cms_blueprints(make_app):
    one, two = Blueprint("testp", __name__, url_prefix="/testp"), Blueprint("testq", __name__)
    one.add_url_rule("/", "index", lambda: "satu")
    two.add_url_rule("/testq", "index", lambda: "dua")

    class P:
        @hookimpl
        def cms_blueprints(self):
            return [one]

    class Q:
        @hookimpl
        def cms_blueprints(self):
            return two

    client = make_app(plugins=[P(), Q()]).test_client()
    assert client.get("/testp/").get_data(as_text=True) == "satu"
    assert client.get("/testq").get_data(as_text=True) == "dua"


def test_hook_cms_migration_dirs(make_app, tmp_path):
    from flask_migrate import Migrate

    from cms.lazy_migrate import migrate

    (tmp_path / "testp_migrations").mkdir()

    class P:
        @hookimpl
        def cms_migration_dirs(self):
            return str(tmp_path / "testp_migrations")

    app = make_app(plugins=[P()])
    with app.app_context():
        config = migrate().get_config()
        locations = config.get_main_option("version_locations")
    assert str(tmp_path / "testp_migrations") in locations
    assert locations.split(":")[0].endswith("migrations/versions")  # core listed first
    assert isinstance(migrate(app), Migrate)


def test_hook_cms_cli_commands(make_app):
    @click.group("testp")
    def group():
        pass

    @group.command("halo")
    def halo():
        click.echo("halo dari plugin")

    class P:
        @hookimpl
        def cms_cli_commands(self):
            return [group]

    result = make_app(plugins=[P()]).test_cli_runner().invoke(args=["testp", "halo"])
    assert result.output.strip() == "halo dari plugin"


def test_hook_cms_template_context(make_app):
    class P:
        @hookimpl
        def cms_template_context(self):
            return {"testp_motto": "Melayani dengan hati"}

    app = make_app(plugins=[P()])
    with app.test_request_context():
        assert render_template_string("{{ testp_motto }}") == "Melayani dengan hati"


def test_hook_cms_permissions(make_app):
    from cms import accounts
    from cms.policy import can

    class P:
        @hookimpl
        def cms_permissions(self):
            return {"testp.approve": {"atasan"}, "posts.write": {"ppid"}}

    app = make_app(plugins=[P()])
    with app.app_context():
        atasan = accounts.create_user("atasan@kota.go.id", "atasan", "kata-sandi-panjang")
        ppid = accounts.create_user("ppid@kota.go.id", "ppid", "kata-sandi-panjang")
        assert can(atasan, "testp.approve") and not can(ppid, "testp.approve")
        assert can(ppid, "posts.write")  # roles are merged into core's


def test_hook_cms_periodic_tasks(make_app):
    ran = []

    class P:
        @hookimpl
        def cms_periodic_tasks(self):
            return [PeriodicTask("testp.tick", lambda: ran.append(1), {"minute": "*/5"})]

    app = make_app(plugins=[P()])
    tasks = {t.name: t for t in periodic_tasks(app)}
    assert "cms.heartbeat" in tasks  # core's own
    assert tasks["testp.tick"].schedule == {"minute": "*/5"}
    with app.app_context():
        app.extensions["cms_jobs"].bind_all()
        names = {t.__name__ for t in app.extensions["cms_jobs"].huey._registry._periodic_tasks}
    assert {"testp.tick", "cms.heartbeat"} <= names


def test_hook_cms_app_ready(make_app):
    seen = []

    class P:
        @hookimpl
        def cms_app_ready(self, app):
            seen.append(("public" in app.blueprints, app.config["TESTING"]))

    make_app(plugins=[P()])
    assert seen == [(True, True)]


def test_hook_cms_demo_data(make_app):
    calls = []

    class P:
        @hookimpl
        def cms_demo_data(self):
            calls.append(1)

    app = make_app(plugins=[P()])
    result = app.test_cli_runner().invoke(args=["cms", "demo"])
    assert result.exit_code == 0 and calls == [1]


def test_hook_cms_admin_nav(make_app):
    from cms import accounts

    class P:
        @hookimpl
        def cms_admin_nav(self, user):
            return [
                NavItem("Khusus admin", "admin.users", permission="users.manage", order=1),
                NavItem(f"Halo {user.role}", "admin.dashboard", order=2),
            ]

    app = make_app(plugins=[P()])
    client = app.test_client()
    with app.app_context():
        accounts.create_user("w@kota.go.id", "writer", "kata-sandi-panjang")
    client.post("/login", data={"email": "w@kota.go.id", "password": "kata-sandi-panjang"})
    page = client.get("/admin/").get_data(as_text=True)
    assert "Halo writer" in page
    assert "Khusus admin" not in page  # hidden without the permission


def test_hook_cms_public_nav(make_app):
    class P:
        @hookimpl
        def cms_public_nav(self):
            return [NavItem("Kontak Humas", "public.home", order=50)]

    page = make_app(plugins=[P()]).test_client().get("/").get_data(as_text=True)
    assert "Kontak Humas" in page
    assert page.index("Beranda") < page.index("Kontak Humas")  # sorted by order


def test_hook_cms_tpl_dashboard(make_app):
    from cms import accounts

    class P:
        @hookimpl
        def cms_tpl_dashboard(self, user):
            return render_template_string("<section class='panel'>Tenggat untuk {{ u }}</section>", u=user.email)

    app = make_app(plugins=[P()])
    with app.app_context():
        accounts.create_user("ppid@kota.go.id", "ppid", "kata-sandi-panjang")
    client = app.test_client()
    client.post("/login", data={"email": "ppid@kota.go.id", "password": "kata-sandi-panjang"})
    assert "Tenggat untuk ppid@kota.go.id" in client.get("/admin/").get_data(as_text=True)


def test_event_hook_failure_is_logged_not_raised(make_app, caplog):
    from cms.plugins import notify

    calls = []

    class Broken:
        @hookimpl
        def cms_post_unpublished(self, post):
            raise RuntimeError("plugin bug")

    class Fine:
        @hookimpl
        def cms_post_unpublished(self, post):
            calls.append(post)

    app = make_app(plugins=[Broken(), Fine()])
    with app.app_context():
        notify("cms_post_unpublished", post="p1")
    assert calls == ["p1"]
    assert "plugin bug" in caplog.text


def test_dashboards_show_figures_as_chart_and_numbers(app, client, make_user, login):
    login(make_user("ppid"))
    page = client.get("/admin/").get_data(as_text=True)
    assert 'aria-label="Permohonan jatuh tempo minggu ini dan yang terlambat"' in page
    assert "Jatuh tempo minggu ini" in page and "Sudah terlambat" in page
    login(make_user("editor"))
    page = client.get("/admin/").get_data(as_text=True)
    assert 'role="img" aria-label="Naskah bulan ini"' in page and "Terbit bulan ini" in page
