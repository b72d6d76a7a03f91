"""``flask cms plugin new``: a generated plugin of each kind installs and
its own tests pass at once; bad input writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from types import SimpleNamespace

import pytest

from cms.testing.servers import ROOT

KINDS = {"channel": "genline", "page": "genagenda", "hook-only": "genlog"}


def _pytest_plugin_args() -> list[str]:
    """Installed Warta registers the ``warta`` pytest plugin by entry point;
    from a checkout whose metadata predates it, name the module."""
    installed = any(ep.name == "warta" for ep in metadata.entry_points(group="pytest11"))
    return [] if installed else ["-p", "cms.testing.plugin"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """One package per kind, written by the real command and pip-installed
    (no deps, no build isolation) into a private folder."""
    from cms import create_app
    from cms.testing.app import base_config

    work = tmp_path_factory.mktemp("plugins")
    app = create_app(base_config(work))
    runner = app.test_cli_runner()
    for kind, name in KINDS.items():
        result = runner.invoke(args=["cms", "plugin", "new", name, "--kind", kind, "--dir", str(work / name)])
        assert result.exit_code == 0, result.output
        assert f"Plugin '{name}' ({kind}) written to {work / name}" in result.output
    site = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(site)]
        + [str(work / name) for name in KINDS.values()],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return work, site


def test_generated_package_has_entry_point_range_migration_and_ci(generated):
    work, site = generated
    from cms.api import API_VERSION
    from cms.plugin_migrations import core_head

    root = work / "genline"
    pyproject = (root / "pyproject.toml").read_text()
    assert '[project.entry-points."cms.plugins"]\ngenline = "warta_genline.hooks"' in pyproject
    assert 'name = "warta-plugin-genline"' in pyproject
    major = int(API_VERSION.split(".")[0])
    assert f'WARTA_REQUIRES = ">={API_VERSION},<{major + 1}"' in (root / "warta_genline/hooks.py").read_text()
    first = (root / "warta_genline/migrations/0001_genline_start.py").read_text()
    assert f'depends_on = "{core_head(ROOT / "migrations")}"' in first and 'branch_labels = ("genline",)' in first
    assert "python -m pytest" in (root / ".github/workflows/test.yml").read_text()
    assert "pip install warta-plugin-genline" in (root / "README.md").read_text()
    assert (site / "warta_genagenda/templates/genagenda/index.html").is_file()  # package data installed
    assert (site / "warta_genline/migrations/0001_genline_start.py").is_file()


def test_generated_tests_pass_against_this_warta(generated):
    work, site = generated
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    env.pop("PYTEST_XDIST_WORKER", None)
    # One run for the three packages (each folder's conftest picks its plugins):
    # a Python start-up with Warta imported costs seconds.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--import-mode=importlib",
            "--rootdir",
            str(work),
        ]
        + _pytest_plugin_args()
        + [f"{name}/tests" for name in KINDS.values()],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-2000:]}"
    assert "16 passed" in result.stdout


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Line", "'Line' is not a valid plugin name"),
        ("2line", "'2line' is not a valid plugin name"),
        ("line-oa", "'line-oa' is not a valid plugin name"),
        ("class", "'class' is not a valid plugin name"),
        ("a" * 21, "at most 20 characters"),
        ("crosspost", "a plugin named 'crosspost' is already installed"),
        ("cms", "'cms' is reserved by Warta"),
    ],
)
def test_bad_name_stops_and_writes_nothing(runner, tmp_path, name, reason):
    result = runner.invoke(args=["cms", "plugin", "new", name, "--dir", str(tmp_path / "out")])
    assert result.exit_code == 1 and reason in result.output
    assert not (tmp_path / "out").exists()


def test_existing_directory_is_left_alone(runner, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("milik saya")
    result = runner.invoke(args=["cms", "plugin", "new", "line", "--kind", "channel", "--dir", str(target)])
    assert result.exit_code == 1 and f"{target} already exists" in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_unknown_kind_is_refused(runner, tmp_path):
    result = runner.invoke(args=["cms", "plugin", "new", "line", "--kind", "widget", "--dir", str(tmp_path / "x")])
    assert result.exit_code == 2 and "'widget' is not one of" in result.output
    assert not (tmp_path / "x").exists()


def test_db_revision_starts_a_new_branch_after_core(make_app, tmp_path):
    from flask_migrate import revision

    from cms.api import hookimpl
    from cms.plugin_migrations import core_head

    folder = tmp_path / "versions"
    folder.mkdir()
    plugin = SimpleNamespace(cms_migration_dirs=hookimpl(lambda: folder))  # what `db revision` writes into
    app = make_app(plugins=[plugin])
    with app.app_context():
        revision(message="baru: tabel", head="base", branch_label="baru", version_path=str(folder), rev_id="0001_baru")
    text = (folder / "0001_baru_baru_tabel.py").read_text()
    assert f"depends_on = '{core_head(ROOT / 'migrations')}'" in text and "branch_labels = ('baru',)" in text
