"""The plugin loads, declares its Warta range and ships its migration branch."""

from importlib import import_module
from pathlib import Path

import warta_line.hooks as hooks
from packaging.specifiers import SpecifierSet

from cms.api import API_VERSION


def test_enabled_and_listed(warta_app, warta_runner):
    assert warta_app.extensions["cms"].get_plugin("line") is hooks
    listing = warta_runner.invoke(args=["cms", "plugins"]).output
    line = next(row for row in listing.splitlines() if row.startswith("line"))
    assert "enabled" in line


def test_supports_this_warta():
    assert API_VERSION in SpecifierSet(hooks.WARTA_REQUIRES)


def test_migration_branch_starts_after_core():
    folder = Path(hooks.cms_migration_dirs())
    first = import_module("warta_line.migrations.0001_line_start")
    assert (folder / "0001_line_start.py").is_file()
    assert first.branch_labels == ("line",) and first.depends_on == "0007_user_position_nip"
