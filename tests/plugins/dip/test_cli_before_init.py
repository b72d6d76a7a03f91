"""``flask dip …`` before ``flask cms init``: one line naming `cms init`, as ``flask cms …`` says."""

from __future__ import annotations

from cms.extensions import db
from tests.plugins.dip.conftest import FILES

SET_UP = "Error: the database is not set up (or a plugin's tables are missing): run `flask cms init` first."


def test_import_before_init_says_to_run_init(runner):
    db.drop_all()  # a fresh, unmigrated database
    result = runner.invoke(args=["dip", "import", str(FILES / "hostile.csv")])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    # the file is read (progress lines) before the first query fails
    assert lines[-1] == SET_UP and all(line.startswith("…") for line in lines[:-1]), result.output
    assert isinstance(result.exception, SystemExit)  # answered, not crashed
    assert "Traceback" not in result.output and "sqlalchemy" not in result.output.lower()
