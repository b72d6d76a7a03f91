"""Flask-Migrate at first use.

Flask-Migrate imports Alembic, Mako and Pygments (11 MB resident), which only
``flask db``, ``flask cms init``, plugin enabling and restores need; a web
worker never does.  ``init_app`` therefore registers two stand-ins: the
``db`` command, which hands over to Flask-Migrate's group when it runs, and
``app.extensions["migrate"]``, which builds the real ``Migrate`` the first
time anything reads it (Flask-Migrate's own functions and ``env.py`` included).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from flask import Flask, current_app

if TYPE_CHECKING:
    from flask_migrate import Migrate

_CONFIGURE: list[Callable[[Any], Any]] = []


def configure(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Like ``Migrate.configure``: ``func(config)`` edits Alembic's config."""
    _CONFIGURE.append(func)
    return func


def init_app(app: Flask, db: Any, directory: str) -> None:
    app.extensions["migrate"] = _Pending(app, db, directory)
    app.cli.add_command(_DbCommand())


def migrate(app: Flask | None = None) -> Migrate:
    """The app's Flask-Migrate object, built on the first call."""
    app = app or current_app
    pending = app.extensions["migrate"]
    return (pending.load() if isinstance(pending, _Pending) else pending).migrate


class _Pending:
    """Stands in ``app.extensions["migrate"]`` until an attribute is read."""

    def __init__(self, app: Flask, db: Any, directory: str):
        self._app, self._db, self._directory = app, db, directory

    def load(self) -> Any:
        from flask_migrate import Migrate

        real = Migrate()
        for func in _CONFIGURE:
            real.configure(func)
        real.init_app(self._app, self._db, directory=self._directory)  # replaces self and the db command
        return self._app.extensions["migrate"]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.load(), name)


class _DbCommand(click.Command):
    """``flask db``: Flask-Migrate's group, imported when the command runs."""

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations.")

    def make_context(self, info_name, args, parent=None, **extra):
        db = importlib.import_module("flask_migrate.cli").db  # untyped module
        return db.make_context(info_name, args, parent=parent, **extra)
