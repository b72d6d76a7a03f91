"""The surface plugins build on: import from here and nowhere else in ``cms``.

Everything a plugin may use — the database, the models it may read, hook
markers, the decorators and helpers for views, jobs, files, crypto and the
audit log — is named below.  The rest of ``cms`` may move or change between
releases; this module changes only as ``API_VERSION`` says (see
``docs/plugins.md``): a new name raises the minor version, a removal or an
incompatible change the major one, after a release that warns.

Modules are exported as namespaces where plugins call several of their
functions (``audit.record``, ``crypto.encrypt``, ``images.check``,
``job_runs.track``); single helpers are exported by name.
"""

from __future__ import annotations

from typing import Any

from cms import audit, crypto, export_runs, images, job_runs
from cms.accounts import get_or_create_unit
from cms.api_version import API_VERSION, deprecated, warn_deprecated
from cms.cli import SetUpGroup
from cms.content_version import content_changed
from cms.crypto import (
    EncryptedColumn,
    EncryptedFiles,
    InvalidToken,
    decrypt,
    decrypt_bytes,
    encrypt,
    encrypt_bytes,
    keyed_hash,
    mask,
)
from cms.database import begin_for_savepoints
from cms.errors import FieldError, named_error, show_on_form
from cms.extensions import Model, csrf, db, limiter
from cms.forms import IdListField
from cms.fulltext import FullTextIndex, fts5_match, pg_stem_query, query_terms, register_vocabulary
from cms.hookspecs import NavItem, PeriodicTask, hookimpl, hookspec
from cms.i18n import WIB, format_date, to_wib
from cms.identity import Identity, current_identity
from cms.inputs import (
    YEAR_MAX,
    YEAR_MIN,
    JSONTooDeep,
    LawfulDate,
    accepts_json,
    bounded_int,
    int_in,
    json_object,
    load_json,
    query_id,
    query_int_or_400,
    query_page,
    query_year,
    valid_id,
)
from cms.jobs import enqueue, job
from cms.letterforms import roman_month, rupiah, tanggal, terbilang
from cms.mail import enqueue_mail
from cms.models import POST_KINDS, AuditLog, Category, JobRun, Post, Unit, User
from cms.newsroom.publishing import is_public, public_url
from cms.openapi import MAX_ID, item_path, json_content, query_param
from cms.pdf import PDFError, default_kop, html_to_pdf
from cms.plugin_clashes import Claims, as_list, contributions
from cms.plugins import hook, manager, notify, results
from cms.policy import can, ensure, require, visible_unit_ids
from cms.redirects import redirect_back, safe_target
from cms.sanitize import clean_html, clean_text, plain_text, strip_control_chars
from cms.search_terms import suggest_word
from cms.stemming import stem_text
from cms.storage import media_dir, private_dir
from cms.timeutil import naive_utc, utcnow
from cms.unit_aliases import redirect_old_unit_slug

# Which version added which name: the history in cms/api_version.py.

# Names on their way out: name -> (object, since, removal, replacement).
# Each still works for the rest of the major version and warns once.
_DEPRECATED: dict[str, tuple[Any, str, str, str]] = {}


def __getattr__(name: str) -> Any:
    """``cms.api.<old name>``: the object, with a DeprecationWarning (PEP 562)."""
    if name in _DEPRECATED:
        value, since, removal, instead = _DEPRECATED[name]
        warn_deprecated(f"cms.api.{name}", since=since, removal=removal, instead=instead)
        return value
    raise AttributeError(f"module 'cms.api' has no attribute {name!r}")


__all__ = [
    "API_VERSION",
    "deprecated",
    "warn_deprecated",
    # database and models
    "db",
    "Model",
    "begin_for_savepoints",
    "FullTextIndex",
    "fts5_match",
    "pg_stem_query",
    "query_terms",
    "suggest_word",
    "register_vocabulary",
    "stem_text",
    "AuditLog",
    "Category",
    "JobRun",
    "POST_KINDS",
    "Post",
    "Unit",
    "User",
    "get_or_create_unit",
    "redirect_old_unit_slug",
    # hooks and plugin manager
    "hookimpl",
    "hookspec",
    "NavItem",
    "PeriodicTask",
    "hook",
    "manager",
    "notify",
    "results",
    "Claims",
    "as_list",
    "contributions",
    # web: protection, input, output
    "csrf",
    "limiter",
    "redirect_back",
    "safe_target",
    "IdListField",
    "MAX_ID",
    "YEAR_MAX",
    "YEAR_MIN",
    "JSONTooDeep",
    "LawfulDate",
    "accepts_json",
    "bounded_int",
    "int_in",
    "json_object",
    "load_json",
    "query_id",
    "query_int_or_400",
    "query_page",
    "query_year",
    "valid_id",
    "FieldError",
    "show_on_form",
    "named_error",
    "clean_html",
    "clean_text",
    "plain_text",
    "strip_control_chars",
    "is_public",
    "public_url",
    "content_changed",
    # OpenAPI fragments (cms_openapi_paths)
    "query_param",
    "json_content",
    "item_path",
    # authorization and audit
    "can",
    "ensure",
    "require",
    "visible_unit_ids",
    "audit",
    # background work and mail
    "enqueue",
    "job",
    "job_runs",
    "export_runs",
    "enqueue_mail",
    # command line (cms_cli_commands)
    "SetUpGroup",
    # files, images and personal data
    "images",
    "media_dir",
    "private_dir",
    "crypto",
    "EncryptedColumn",
    "EncryptedFiles",
    "InvalidToken",
    "decrypt",
    "decrypt_bytes",
    "encrypt",
    "encrypt_bytes",
    "keyed_hash",
    "mask",
    # official documents (always Indonesian)
    "html_to_pdf",
    "PDFError",
    "default_kop",
    "current_identity",
    "Identity",
    "roman_month",
    "rupiah",
    "tanggal",
    "terbilang",
    # time and language
    "WIB",
    "format_date",
    "to_wib",
    "naive_utc",
    "utcnow",
]
