"""LINE Official Account: contributes the "line" crosspost channel."""

from pathlib import Path

from cms.api import hookimpl

# The Warta plugin API (cms.api.API_VERSION) this release works with.
WARTA_REQUIRES = ">=1.2,<2"
# A channel plugin must implement cms_crosspost_channels (checked at start-up).
WARTA_KIND = "channel"


@hookimpl
def cms_crosspost_channels():
    from warta_line.channel import LineChannel

    return [LineChannel]


@hookimpl
def cms_migration_dirs():
    return Path(__file__).parent / "migrations"


@hookimpl
def cms_app_ready(app):
    # Only while enabled: puts the plugin's tables on cms.api.db's metadata,
    # so `flask db revision --autogenerate` and the test fixtures see them.
    from warta_line import models  # noqa: F401
