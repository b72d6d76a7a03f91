"""Flask extensions, created unbound and initialised by ``create_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
"""The one Flask-SQLAlchemy object: query and write through ``db.session``."""

if TYPE_CHECKING:
    # What ``db.Model`` is at run time: ``Base`` plus Flask-SQLAlchemy's
    # mixins.  mypy cannot take a base class from an instance attribute.
    class Model(Base):
        """The base of every model (``db.Model``): subclass it, prefix the table with your plugin's name."""

        __abstract__ = True
else:
    Model = db.Model
login_manager = LoginManager()
csrf = CSRFProtect()
"""Flask-WTF's CSRF check, on for every POST; ``csrf.exempt(view)`` only for machine endpoints."""
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
"""Flask-Limiter: ``@limiter.limit("5/minute", methods=["POST"])`` on a form a stranger may post."""
# Limits guard state-changing requests only (log-in, request and subscription
# forms, all ``methods=["POST"]``).  Reads skip the limiter's per-request
# bookkeeping, which cost about as much as rendering a cached page.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@limiter.request_filter
def _reads_are_not_limited() -> bool:
    return request.method in SAFE_METHODS
