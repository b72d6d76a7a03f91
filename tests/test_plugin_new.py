"""``flask cms plugin new``: a generated plugin of each kind installs and
its own tests pass at once; bad input writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from types import SimpleNamespace

import pytest

from cms.testing.servers import ROOT

KINDS = {"channel": "genline", "page": "genagenda", "hook": "genlog"}


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
    readme = (root / "README.md").read_text()
    assert (
        "pip install warta-plugin-genline" in readme
        and "export CMS_PLUGINS=inbox,dip,crosspost,monev,genline" in readme
    )
    assert "--head genline@head" in readme and "--version-path warta_" not in readme
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
    assert "20 passed" in result.stdout


def test_autogenerate_sees_a_model_change_of_a_generated_plugin(generated, tmp_path):
    """The generated hooks import the models while the plugin is enabled, so
    the README's `db revision --autogenerate --head NAME@head` writes the
    change next to the branch head (without them: "No changes")."""
    work, site = generated
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    models = copy / "warta_genagenda/models.py"
    column = '    url: Mapped[str] = mapped_column(String(500), default="")\n'
    assert column in models.read_text()
    models.write_text(
        models.read_text().replace(column, column + "    place: Mapped[str | None] = mapped_column(String(200))\n")
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(copy), str(ROOT)]),
        # autogenerate wants every installed branch at its head: enable them all
        "CMS_PLUGINS": ",".join([*metadata.entry_points(group="cms.plugins").names, *KINDS.values()]),
        "CMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'warta.db'}",
    }
    flask = [sys.executable, "-m", "flask", "--app", "cms:create_app"]
    for args in (
        ["cms", "init"],
        ["db", "revision", "--autogenerate", "--head", "genagenda@head", "--rev-id", "0002_genagenda_place"],
    ):
        done = subprocess.run(flask + args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    (written,) = (copy / "warta_genagenda/migrations").glob("0002_genagenda_place*.py")
    text = written.read_text()
    assert "down_revision = '0001_genagenda_start'" in text and "add_column(sa.Column('place'" in text


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


@pytest.mark.parametrize("kind", ["hook", "hook-only"])
def test_hook_kind_as_the_contract_names_it_and_its_earlier_name(runner, tmp_path, kind):
    result = runner.invoke(args=["cms", "plugin", "new", "pencatat", "--kind", kind, "--dir", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "(hook)" in result.output
    hooks = (tmp_path / "p" / "warta_pencatat" / "hooks.py").read_text()
    assert 'WARTA_KIND = "hook"' in hooks
