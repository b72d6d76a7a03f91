"""The plugin API's version and its deprecation path.

``API_VERSION`` (re-exported by ``cms.api``) follows the promise in
docs/plugins.md: a new name raises the minor version; a removal or an
incompatible change raises the major one, after at least one minor release
in which the old name still works and warns (``deprecated``).  Kept apart
from ``cms.api`` so the plugin loader can read it without importing the
whole surface.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

# History (kept here only; CHANGELOG.md says it for plugin authors):
# 1.0  cms.api as the one import of plugins: db, models, hook markers, view
#      helpers, jobs, mail, files, crypto, audit, content_changed.
# 1.1  FieldError, show_on_form, Model, is_public and the official-document
#      helpers (html_to_pdf, PDFError, tanggal, roman_month, rupiah, terbilang).
# 1.2  deprecated, warn_deprecated, redirect_old_unit_slug, named_error,
#      current_identity, Identity, default_kop; plugin ranges (WARTA_REQUIRES)
#      and kinds (WARTA_KIND).
API_VERSION = "1.2"

_F = TypeVar("_F", bound=Callable[..., Any])
_warned: set[str] = set()


def warn_deprecated(what: str, *, since: str, removal: str, instead: str = "", stacklevel: int = 3) -> None:
    """Warn once per process that ``what`` goes away in API ``removal``."""
    if what in _warned:
        return
    _warned.add(what)
    advice = f"; use {instead} instead" if instead else ""
    warnings.warn(
        f"{what} is deprecated since Warta plugin API {since} and will be removed in {removal}{advice}.",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def deprecated(*, since: str, removal: str, instead: str = "") -> Callable[[_F], _F]:
    """Decorate a ``cms.api`` function that is on its way out: each caller
    keeps working for the rest of the major version and sees one
    ``DeprecationWarning`` naming the replacement."""

    def decorate(function: _F) -> _F:
        what = f"cms.api.{function.__name__}"

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            warn_deprecated(what, since=since, removal=removal, instead=instead)
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]  # same signature, wrapped

    return decorate
