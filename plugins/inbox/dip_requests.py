"""A request made from a DIP item's page: the item named in the rincian and linked.

The DIP lives in another plugin, reached only through ``cms_dip_describe``;
with the DIP disabled the form simply opens empty.
"""

from __future__ import annotations

from typing import Any

from cms.api import hook, valid_id


def describe(entry_id: Any, *, public: bool = True) -> dict | None:
    """The DIP item ``entry_id`` (from a URL or form), or ``None``.

    ``public`` accepts only published items: an applicant cannot name a draft.
    """
    entry_id = valid_id(entry_id)
    if entry_id is None:
        return None
    item = hook().cms_dip_describe(entry_id=entry_id)
    if not isinstance(item, dict) or not item.get("title") or (public and not item.get("published")):
        return None
    return {"id": entry_id, "title": str(item["title"])[:500], "url": str(item.get("url") or "")}


def rincian(item: dict) -> str:
    """The rincian informasi prefilled for the applicant (who may still edit it)."""
    return f"Salinan informasi dalam Daftar Informasi Publik: {item['title']} ({item['url']})"


def request_fields(item: dict | None) -> dict:
    """What ``services.create_request`` stores of the item."""
    return {"dip_item_id": item["id"], "dip_item_title": item["title"]} if item else {}


def of_request(req) -> dict | None:
    """The linked item for the officer's case page: the current title and URL
    when the DIP still has it (drafts too), else the title as requested."""
    if not req.dip_item_id:
        return None
    return describe(req.dip_item_id, public=False) or {"id": req.dip_item_id, "title": req.dip_item_title, "url": ""}
