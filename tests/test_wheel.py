"""Warta's wheel is a complete Warta: the core's templates and migrations
(top-level folders of the checkout), the plugins' templates, migrations and
static files, the catalogues and the demo's assets are inside it, and an
installed copy finds them without the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest

from cms.testing.servers import ROOT


def _tracked(*paths: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", *paths], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {line for line in out.splitlines() if not line.endswith((".keep", ".po", ".pot", ".tsv"))}


BUILD_INPUTS = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "cms",
    "plugins",
    "templates",
    "migrations",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Built from a copy of the checkout's files: an in-tree build reuses
    ``build/lib`` from earlier builds, which would hide a missing folder."""
    if not (ROOT / ".git").exists():
        pytest.skip("needs the checkout (git ls-files)")
    src, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("wheel")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *BUILD_INPUTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for path in listed:
        if (ROOT / path).is_file():  # not deleted in the worktree
            (src / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / path, src / path)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("warta-*.whl")
    return built


def test_wheel_carries_core_templates_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    core = _tracked("templates", "migrations")
    assert {"templates/base.html", "migrations/env.py", "migrations/script.py.mako"} <= core
    assert any(name.startswith("migrations/versions/0001") for name in core)
    missing = sorted(path for path in core if f"cms/{path}" not in names)
    assert missing == []
    assert "cms/migrations/alembic.ini" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_wheel_carries_package_data_of_cms_and_plugins(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = _tracked("cms", "plugins")
    assert {
        "cms/static/favicon.svg",
        "cms/translations/en/LC_MESSAGES/messages.mo",
        "plugins/inbox/templates/inbox/admin/_dashboard.html",
        "plugins/dip/static/dip/dip.css",
    } <= names
    for plugin in ("inbox", "dip", "crosspost"):
        assert any(n.startswith(f"plugins/{plugin}/migrations/0001") for n in names), plugin
    assert any(n.startswith("cms/newsroom/demo_assets/") for n in names)
    missing = sorted(path for path in data if path not in names and "/tests/" not in path)
    assert missing == []


INSTALLED_CHECK = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import cms
    from cms import config, create_app
    site = Path(sys.argv[1])
    assert Path(cms.__file__).is_relative_to(site), cms.__file__
    app = create_app()
    assert Path(app.template_folder).is_relative_to(site), app.template_folder
    assert Path(app.extensions["migrate"].directory).is_relative_to(site)
    assert config.default_instance_path() is None  # not a folder in site-packages
    page = app.test_client().get("/?lang=en")  # the English catalogue is in the wheel too
    assert page.status_code == 200, page.status_code
    print(page.get_data(as_text=True))
    """
)


def test_installed_wheel_migrates_and_renders_from_its_own_folders(wheel, tmp_path):
    """The wheel unpacked into a bare folder put first on sys.path (as
    site-packages would be), run from elsewhere: `cms init` applies the core
    migrations and the home page renders the core templates."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "FLASK_APP"}}
    env |= {"PYTHONPATH": str(site), "CMS_INSTANCE_PATH": str(tmp_path / "instance")}
    run = {"cwd": tmp_path, "env": env, "capture_output": True, "text": True, "timeout": 300}
    init = subprocess.run([sys.executable, "-m", "flask", "--app", "cms:create_app", "cms", "init"], **run)
    assert init.returncode == 0, init.stderr
    assert "Database is up to date." in init.stdout
    check = subprocess.run([sys.executable, "-c", INSTALLED_CHECK, str(site)], **run)
    assert check.returncode == 0, check.stderr
    assert '<html lang="en">' in check.stdout
    assert "Skip to content" in check.stdout
