"""HTML to PDF with WeasyPrint: the only module that imports it.

Letters, receipts, reports and press releases are written as Jinja templates
and printed here, so one stylesheet (``templates/print/``) gives every
document the same kop, margins and fonts.  WeasyPrint needs Pango from the
system (``make install`` installs it with apt) and never fetches anything:
``base_url`` points at the app's own files and any other URL is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app


def default_kop() -> dict:
    """The kop a document prints when nothing more specific is set: the
    institution's identity (name, address, contacts, lambang as a data URI)."""
    from cms.identity import kop_defaults

    return kop_defaults()


class PDFError(RuntimeError):
    """The document could not be printed (told to the officer, never a 500)."""


def _local_only(url: str, *args, **kwargs):
    """Fetch only ``file:`` and ``data:`` URLs: a document never goes online."""
    import weasyprint

    if url.startswith(("file:", "data:")):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise PDFError(f"not a local resource: {url[:80]}")


def _fetcher():
    """WeasyPrint 68+ takes a ``URLFetcher`` object (a bare function fails on
    the first image); older versions take the function."""
    import weasyprint

    base: Any = getattr(weasyprint, "URLFetcher", None)
    if base is None:
        return _local_only
    from weasyprint.urls import FatalURLFetchingError

    class LocalOnly(base):
        def fetch(self, url, headers=None):
            if not url.startswith(("file:", "data:")):
                raise FatalURLFetchingError(f"not a local resource: {url[:80]}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"file", "data"})


def html_to_pdf(html: str, base_url: str | Path | None = None) -> bytes:
    """Print ``html`` (a whole document, with its ``<style>``) to PDF bytes.

    Relative ``src``/``href`` resolve against ``base_url`` (default: the
    app's root folder, so ``static/...`` works)."""
    import weasyprint

    base = str(base_url or Path(current_app.root_path).parent)
    fatal = getattr(__import__("weasyprint.urls").urls, "FatalURLFetchingError", PDFError)
    try:
        return weasyprint.HTML(string=html, base_url=base, url_fetcher=_fetcher()).write_pdf()
    except PDFError:
        raise
    except fatal as exc:  # a BaseException in WeasyPrint 68+, so it stops the print
        raise PDFError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - WeasyPrint raises many types; the caller reports one
        raise PDFError(str(exc)) from exc
