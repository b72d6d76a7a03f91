"""Hooks the inbox offers to other plugins (the dip plugin implements them).

Added by ``hooks.cms_add_hookspecs``; rendered in docs/reference/plugin-hooks.md like core's.
"""

from __future__ import annotations

from typing import Any

from cms.api import hookspec


@hookspec(firstresult=True)
def cms_dip_add_document(
    title: str,
    summary: str,
    unit_id: int | None,
    year: int,
    file_path: str | None,
    file_name: str | None,
    source: str,
) -> int | None:
    """Add a document to the Daftar Informasi Publik (e.g. an inbox answer).

    Called by plugins that hold documents which have become public.  Stops at
    the first non-None result.

    :param title: ringkasan isi informasi.
    :param summary: longer description.
    :param unit_id: owning unit (OPD) or ``None`` for the PPID Utama.
    :param year: DIP year.
    :param file_path: absolute path of a file to copy into the DIP, or ``None``.
    :param file_name: the file's display name.
    :param source: a short reference to where it came from (e.g. a request number).
    :returns: the new DIP entry's id, or ``None`` when no plugin took it.
    """


@hookspec
def cms_dip_suggest(text: str, limit: int) -> list[dict[str, Any]]:
    """Suggest DIP entries that match a free-text information request.

    :param text: the rincian informasi typed by an applicant.
    :param limit: the most suggestions wanted.
    :returns: dicts with ``title`` and ``url``; all lists are concatenated.
    """


@hookspec(firstresult=True)
def cms_inbox_sign_letter(pdf: bytes, letter: Any) -> bytes | None:
    """Sign an official document (letter, kuitansi) before it is stored.

    Called once when a letter or kuitansi is issued, before its SHA-256 is
    taken and it is stored.  The bundled signer (``plugins.inbox.signing``,
    PAdES with a PKCS#12 certificate from settings) runs last, so a plugin
    that connects the institution's certificate service answers first.
    Stops at the first non-None result; raise to refuse issuing (nothing
    is stored).

    :param pdf: the document as printed (PDF bytes).
    :param letter: the record being issued: an ``inbox_letter`` row (number,
        kind, signer_name, signer_position, signer_nip, unit_id; not yet
        flushed) or a payment's kuitansi (has ``number``).
    :returns: the signed PDF, or ``None`` to leave signing to the next plugin.
    """


@hookspec(firstresult=True)
def cms_dip_publish_berkala(
    title: str,
    summary: str,
    unit_id: int | None,
    year: int,
    file_path: str | None,
    file_name: str | None,
    source: str,
) -> int | None:
    """Publish a document to the DIP as informasi **berkala** (UU KIP Pasal 9),
    e.g. the ringkasan of the laporan layanan informasi publik.

    Like ``cms_dip_add_document``, but the entry is berkala (to be renewed at
    least every six months), not informasi setiap saat.  Stops at the
    first non-None result; the inbox offers the button only when a plugin
    implements this hook.

    :param title: ringkasan isi informasi.
    :param summary: longer description (plain text).
    :param unit_id: owning unit (OPD) or ``None`` for the PPID Utama.
    :param year: DIP year.
    :param file_path: absolute path of a file to copy into the DIP, or ``None``.
    :param file_name: the file's display name.
    :param source: where it came from (e.g. ``inbox:laporan:2025``).
    :returns: the new DIP entry's id, or ``None`` when no plugin took it.
    """


@hookspec(firstresult=True)
def cms_dip_describe(entry_id: int) -> dict[str, Any] | None:
    """Describe one DIP entry so a request can name and link it.

    Called by the request form when an applicant comes from a DIP item's
    "Ajukan permohonan" link (``/ppid/permohonan?dip=<id>``), again when the
    form is sent, and on the officer's case page.
    Stops at the first non-None result.

    :param entry_id: the DIP entry's id.
    :returns: ``{"title": str, "url": str, "unit_id": int | None,
        "published": bool}``, or ``None`` when no such entry exists.
    """
