"""The reference docs (`make docs`, mkdocs.yml) build with no warning and
show every ``cms.api`` name and every hook, rendered from the code.

Needs the ``docs`` extra (``pip install -e '.[docs]'``, which ``make install``
does): without it the import below fails the run instead of skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import mkdocs  # noqa: F401 - the docs extra must be installed, not skipped
import pytest
import yaml

import cms.api
from cms.plugins import hook_specs, spec_manager

ROOT = Path(__file__).resolve().parent.parent


def build(config: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    done = build(ROOT / "mkdocs.yml", out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stdout + done.stderr
    return out


def anchors(page: Path) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', page.read_text(encoding="utf-8")))


def test_every_cms_api_name_is_on_the_api_page(site):
    found = anchors(site / "reference" / "api" / "index.html")
    missing = [name for name in cms.api.__all__ if f"cms.api.{name}" not in found]
    assert not missing


def test_the_api_page_shows_docstrings_from_the_code(site):
    html = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "Naive UTC now, for the naive UTC DateTime columns." in html  # cms.timeutil.naive_utc
    assert 'id="database-and-models"' in html  # sections follow __all__'s comments


def test_every_hook_is_in_the_reference(site):
    found = anchors(site / "reference" / "hooks" / "index.html") | anchors(
        site / "reference" / "plugin-hooks" / "index.html"
    )
    missing = [f"{func.__module__}.{name}" for name, func in hook_specs(spec_manager())]
    missing = [path for path in missing if path not in found]
    assert not missing


def test_the_guides_are_pages_of_the_site(site):
    for page in ("plugins", "plugin-lifecycle", "publishing-plugins", "architecture", "deploy", "dip", "monev"):
        assert (site / page / "index.html").is_file(), page
    lifecycle = (site / "plugin-lifecycle" / "index.html").read_text(encoding="utf-8")
    assert 'id="hook-order"' in lifecycle


def test_a_broken_link_fails_the_build(tmp_path):
    """Strict mode is real: a warning (here a link to a missing page) stops it."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    with (docs / "plugins.md").open("a", encoding="utf-8") as f:
        f.write("\nSee [the missing page](no-such-page.md).\n")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config["hooks"] = [str(ROOT / hook) for hook in config["hooks"]]
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            plugin["mkdocstrings"]["handlers"]["python"]["paths"] = [str(ROOT)]
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    done = build(config_file, tmp_path / "site")
    assert done.returncode != 0
    assert "no-such-page.md" in done.stdout + done.stderr


def test_make_docs_is_strict_and_ci_runs_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = makefile[makefile.index("\ndocs:") :].split("\n\n")[0]
    assert "mkdocs build --strict" in target
    assert "\nmake docs\n" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
