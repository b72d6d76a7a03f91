"""``flask cms plugin new NAME --kind channel|page|hook``: a new plugin
package from the Jinja templates shipped in ``cms/plugin_template/``.

``common/`` is rendered for every kind, then the kind's folder (its files
win).  In paths ``__package__`` and ``__name__`` become the package and the
plugin name; ``.jinja`` is dropped.  Everything is rendered in memory and
checked before the first file is written, so bad input writes nothing.
"""

from __future__ import annotations

import keyword
import re
import shutil
from pathlib import Path

import click
from jinja2 import Environment, StrictUndefined

from cms import config as cfg
from cms.plugin_migrations import core_head
from cms.plugins import DEFAULT_PLUGINS, _entry_points

TEMPLATES = Path(__file__).parent / "plugin_template"
KINDS = ("channel", "page", "hook")
ALIASES = {"hook-only": "hook"}  # the earlier name, still understood
NAME = re.compile(r"[a-z][a-z0-9_]{0,19}")  # the migration id 0001_<name>_start fits in 32 characters
RESERVED = {"cms", "core", "plugins", "tests", "static", "admin", "api", "media", *DEFAULT_PLUGINS}


class PluginNewError(ValueError):
    """Why ``plugin new`` wrote nothing; fit for the terminal."""


def warta_range(api_version: str | None = None) -> str:
    """The API range a new plugin supports: this minor version up to the next major."""
    from cms.api_version import API_VERSION

    api_version = api_version or API_VERSION
    major = int(api_version.split(".")[0])
    return f">={api_version},<{major + 1}"


def check_name(name: str) -> None:
    if not NAME.fullmatch(name) or keyword.iskeyword(name):
        raise PluginNewError(
            f"'{name}' is not a valid plugin name: use a Python identifier of lower-case letters, "
            "digits and _ (starting with a letter, at most 20 characters), e.g. 'line' or 'agenda_rapat'."
        )
    if name in RESERVED:
        raise PluginNewError(f"'{name}' is reserved by Warta; choose another name.")
    if name in _entry_points():
        raise PluginNewError(
            f"a plugin named '{name}' is already installed (a 'cms.plugins' entry point); choose another name."
        )


def context(name: str, kind: str) -> dict:
    enabled = (["crosspost"] if kind == "channel" else []) + [name]
    return {
        "name": name,
        "kind": kind,
        "package": f"warta_{name}",
        "dist": f"warta-plugin-{name.replace('_', '-')}",
        "title": name.replace("_", " ").title(),
        "class_name": "".join(part.title() for part in name.split("_")),
        "warta_range": warta_range(),
        "core_head": core_head(cfg.core_folder("migrations")),
        "first_revision": f"0001_{name}_start",
        "enabled": repr(enabled),
        "site_plugins": ",".join([*cfg.BUNDLED_PLUGINS, name]),  # the default CMS_PLUGINS plus this one
    }


def render(name: str, kind: str) -> dict[Path, str]:
    """Relative path → text of every file of the new package."""
    kind = ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise PluginNewError(f"unknown kind '{kind}': use one of {', '.join(KINDS)}.")
    values = context(name, kind)
    env = Environment(keep_trailing_newline=True, undefined=StrictUndefined, autoescape=False)  # noqa: S701 - code, not HTML
    files: dict[Path, str] = {}
    for layer in ("common", kind):
        root = TEMPLATES / layer
        for source in sorted(p for p in root.rglob("*.jinja") if p.is_file()):
            rel = str(source.relative_to(root))[: -len(".jinja")]
            rel = rel.replace("__package__", values["package"]).replace("__name__", name)
            files[Path(rel)] = env.from_string(source.read_text(encoding="utf-8")).render(values)
    return files


def create(name: str, kind: str, directory: Path | None = None) -> Path:
    """Write the package to ``directory`` (default ``./warta-plugin-<name>``)."""
    check_name(name)
    kind = ALIASES.get(kind, kind)
    files = render(name, kind)
    target = Path(directory) if directory else Path.cwd() / context(name, kind)["dist"]
    if target.exists():
        raise PluginNewError(f"{target} already exists; choose another --dir or remove it first.")
    try:
        for rel, text in files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError:
        shutil.rmtree(target, ignore_errors=True)  # a half-written package helps nobody
        raise
    return target


@click.command("new")
@click.argument("name")
@click.option("--kind", type=click.Choice([*KINDS, *ALIASES]), default="hook", show_default=True)
@click.option(
    "--dir", "directory", type=click.Path(path_type=Path), help="Target folder (default ./warta-plugin-NAME)."
)
def new_command(name, kind, directory):
    """Generate an installable plugin package: entry point, Warta range,
    hooks, templates, a migration branch after core, tests, README, CI."""
    try:
        target = create(name, kind, directory)
    except PluginNewError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Plugin '{name}' ({ALIASES.get(kind, kind)}) written to {target}.")
    click.echo(f"Next: pip install -e '{target}[test]' && (cd {target} && pytest)")
