"""Ship the core's ``templates/`` and ``migrations/`` inside the ``cms`` package.

Everything else is in pyproject.toml.  The two folders sit at the top of the
checkout, where contributors (and gettext's location comments) know them;
setuptools only packages data that lives inside a package, and
pyproject.toml has no clean way to map an outside folder into one (the
``data-files`` table is deprecated and installs under the prefix, not the
package).  So the wheel's build step copies them to ``cms/templates`` and
``cms/migrations``, where ``cms.config.core_folder`` finds them in an
installed Warta.  An editable install (``make install``) copies nothing: the
app reads the checkout's folders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CORE_FOLDERS = ("templates", "migrations")


class BuildPyWithCoreFolders(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for name in CORE_FOLDERS:
            target = Path(self.build_lib, "cms", name)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithCoreFolders})
