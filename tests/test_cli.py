"""``flask cms …``: one-line errors and non-zero exits on bad input."""

from __future__ import annotations

import json

from cms.accounts import authenticate, find_user
from tests.conftest import PASSWORD


def test_create_user_reads_password_from_stdin(runner):
    result = runner.invoke(
        args=["cms", "create-user", "editor@kota.go.id", "--role", "editor", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created editor@kota.go.id (editor)" in result.output
    assert authenticate("editor@kota.go.id", PASSWORD).role == "editor"


def test_create_unit_officer_with_unit(runner):
    assert runner.invoke(args=["cms", "create-unit", "Dinas Pendidikan"]).exit_code == 0
    result = runner.invoke(
        args=[
            "cms",
            "create-user",
            "disdik@kota.go.id",
            "--role",
            "ppid_unit",
            "--unit",
            "Dinas Pendidikan",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert find_user("disdik@kota.go.id").unit.name == "Dinas Pendidikan"


def _error(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def test_duplicate_email_fails_with_one_line(runner):
    args = ["cms", "create-user", "dup@kota.go.id", "--role", "writer", "--password-stdin"]
    assert runner.invoke(args=args, input=PASSWORD + "\n").exit_code == 0
    result = runner.invoke(args=args, input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert _error(result) == "Error: E-mail dup@kota.go.id sudah terdaftar."


def test_unknown_role_fails(runner):
    result = runner.invoke(
        args=["cms", "create-user", "x@kota.go.id", "--role", "boss", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 1 and "Peran tidak dikenal: boss" in _error(result)


def test_unit_required_for_ppid_unit(runner):
    result = runner.invoke(
        args=["cms", "create-user", "x@kota.go.id", "--role", "ppid_unit", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 1 and "wajib memiliki unit" in _error(result)


def test_unknown_unit_fails(runner):
    result = runner.invoke(
        args=[
            "cms",
            "create-user",
            "x@kota.go.id",
            "--role",
            "ppid_unit",
            "--unit",
            "Dinas Fiktif",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 1 and _error(result) == "Error: unknown unit: Dinas Fiktif"


def test_short_password_and_missing_stdin_flag_fail(runner):
    result = runner.invoke(
        args=["cms", "create-user", "x@kota.go.id", "--role", "writer", "--password-stdin"], input="pendek\n"
    )
    assert result.exit_code == 1 and "minimal 10 karakter" in _error(result)
    result = runner.invoke(args=["cms", "create-user", "x@kota.go.id", "--role", "writer"])
    assert result.exit_code == 1 and "--password-stdin" in _error(result)
    assert find_user("x@kota.go.id") is None


def test_ensure_admin_prints_a_generated_password_once(runner):
    first = runner.invoke(args=["cms", "ensure-admin", "--email", "boss@kota.go.id"])
    assert first.exit_code == 0
    password = next(
        line.split(":", 1)[1].strip() for line in first.output.splitlines() if line.strip().startswith("password:")
    )
    assert authenticate("boss@kota.go.id", password) is not None
    second = runner.invoke(args=["cms", "ensure-admin", "--email", "boss@kota.go.id"])
    assert "already exists" in second.output and password not in second.output


def test_plugins_lists_bundled_plugins_with_versions_and_hooks(runner):
    result = runner.invoke(args=["cms", "plugins", "--json"])
    rows = {row["name"]: row for row in json.loads(result.output)}
    for name in ("inbox", "dip", "crosspost"):
        assert rows[name]["enabled"] is True
        assert rows[name]["version"]
        assert "cms_blueprints" in rows[name]["hooks"]
    text = runner.invoke(args=["cms", "plugins"]).output
    assert any(line.startswith("inbox") and "enabled" in line for line in text.splitlines())


def test_plugins_shows_installed_but_disabled(make_app):
    app = make_app(enabled=["dip"])
    rows = {r["name"]: r for r in json.loads(app.test_cli_runner().invoke(args=["cms", "plugins", "--json"]).output)}
    assert rows["dip"]["enabled"] is True
    assert rows["inbox"]["enabled"] is False and "cms_blueprints" in rows["inbox"]["hooks"]


def test_hooks_command_lists_every_spec(runner):
    from tests.test_hookspecs import all_hook_names

    output = runner.invoke(args=["cms", "hooks"]).output
    for name in all_hook_names():
        assert f"{name}(" in output


def test_commands_before_init_say_to_run_init(app, runner):
    """A fresh instance folder: one line naming `cms init`, not an SQL traceback."""
    from cms.extensions import db

    db.drop_all()
    for args, stdin in (
        (["cms", "demo"], None),
        (["cms", "create-user", "a@kota.go.id", "--role", "admin", "--password-stdin"], PASSWORD + "\n"),
    ):
        result = runner.invoke(args=args, input=stdin)
        assert result.exit_code == 1
        assert (
            _error(result)
            == "Error: the database is not set up (or a plugin's tables are missing): run `flask cms init` first."
        )
        assert "Traceback" not in result.output and "sqlalchemy" not in result.output.lower()
