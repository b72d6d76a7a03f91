"""Alembic environment: one environment, one branch per plugin.

Plugin revision folders are added to ``version_locations`` by
``cms.extensions._plugin_version_locations``; deploy with ``upgrade heads``.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_engine():
    return target_db.engine


config.set_main_option("sqlalchemy.url", get_engine().url.render_as_string(hide_password=False).replace("%", "%%"))


def include_object(obj, name, type_, reflected, compare_to):
    """Ignore what exists in the database but not in the metadata instead of
    proposing to drop it: tables of plugins that are installed but not
    enabled, and search indexes and PostgreSQL's stored ``search_vector``/``title_vector`` columns
    created by raw DDL (``ensure_schema``)."""
    if type_ == "column" and name in ("search_vector", "title_vector") and reflected and compare_to is None:
        return False
    return not (type_ in ("table", "index") and reflected and compare_to is None)


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info(
                    "No changes in schema detected. (A plugin's tables are seen only while it is enabled "
                    "and its models module is imported: see 'The database' in docs/plugins.md.)"
                )

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("include_object", include_object)

    with get_engine().connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
