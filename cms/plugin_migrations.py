"""Migration branches of plugins start after Warta's core.

A plugin's first revision (``down_revision = None`` and a branch label) must
name the core head in ``depends_on``, or Alembic may create its tables before
the core's ``unit``/``user``/``post`` tables exist.  ``migrations/script.py.mako``
calls ``first_depends_on`` so ``flask db revision --head base --branch-label
NAME`` writes that; ``flask cms plugin new`` uses ``core_head``.
"""

from __future__ import annotations

from pathlib import Path


def core_head(migrations_dir: str | Path) -> str:
    """The head revision of the core folder (``migrations/versions``) alone."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError(f"no core revision under {migrations_dir}")
    return head


def first_depends_on(config, down_revision, branch_labels, depends_on):
    """What a new revision's ``depends_on`` should be: the core head for the
    first revision of a new branch, otherwise what was asked."""
    if depends_on or down_revision or not branch_labels:
        return depends_on
    return core_head(config.get_main_option("script_location"))
