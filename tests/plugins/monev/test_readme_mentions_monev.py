"""The README a new user starts from names Monev as bundled and enabled."""

from __future__ import annotations

from pathlib import Path

from cms.config import BUNDLED_PLUGINS

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_real_default_of_cms_plugins():
    row = next(line for line in README.splitlines() if line.startswith("| `CMS_PLUGINS` |"))
    assert f"`{','.join(BUNDLED_PLUGINS)}`" in row


def test_readme_lists_monev_and_its_settings():
    assert "`monev`" in README and "`MONEV_*` ([docs/monev.md](docs/monev.md))" in README
