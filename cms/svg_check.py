"""Is an uploaded SVG a picture and nothing more?

An SVG is XML that can carry scripts, event handlers, links to other
documents and entity tricks.  The lambang is shown on every page and printed
into PDFs, so a file with any of these is refused outright (the admin is told
which part is not allowed) rather than quietly rewritten.  Parsing is lxml's
with entities, DTDs and the network turned off.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Elements that run code, embed other documents or animate attributes (an
# <animate> or <set> can turn an innocent href into javascript:).
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "animate", "set", "animatetransform",
                      "animatemotion", "handler", "listener", "audio", "video", "image", "use"}  # fmt: skip
_URL_IN_CSS = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.I)
_IMPORT_IN_CSS = re.compile(r"@import|expression\s*\(|javascript:", re.I)


class SVGError(ValueError):
    """The SVG is not a plain picture (message for the admin, in Indonesian)."""


def _local(name: str) -> str:
    return etree.QName(name).localname.lower() if isinstance(name, str) else ""


def _check_style(text: str, where: str) -> None:
    if _URL_IN_CSS.search(text) or _IMPORT_IN_CSS.search(text):
        raise SVGError(f"SVG memuat gaya yang merujuk ke berkas lain ({where}); hapus url()/@import.")


def check_svg(data: bytes) -> bytes:
    """Return ``data`` when it is a self-contained SVG picture; raise ``SVGError`` otherwise."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise SVGError("Berkas SVG tidak dapat dibaca (XML rusak).") from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or b"<!ENTITY" in data.upper():
        raise SVGError("SVG tidak boleh memuat DOCTYPE atau ENTITY.")
    if any(isinstance(node, etree._ProcessingInstruction) for node in root.itersiblings(preceding=True)):
        raise SVGError("SVG tidak boleh memuat instruksi pemrosesan (xml-stylesheet).")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SVGError("Berkas bukan SVG (elemen akar harus <svg>).")
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            if isinstance(element, etree._ProcessingInstruction):
                raise SVGError("SVG tidak boleh memuat instruksi pemrosesan.")
            continue
        name = _local(element.tag)
        if name in FORBIDDEN_ELEMENTS:
            raise SVGError(f"SVG memuat elemen <{name}> yang tidak diizinkan (skrip, tautan atau berkas lain).")
        if name == "style":
            _check_style(element.text or "", "<style>")
        for raw_attr, raw_value in element.attrib.items():
            attr, value = str(raw_attr), str(raw_value)
            attr_name = _local(attr)
            if attr_name.startswith("on"):
                raise SVGError(f"SVG memuat penangan peristiwa ({attr_name}) yang tidak diizinkan.")
            if attr_name == "href" and not value.strip().startswith("#"):
                raise SVGError("SVG memuat tautan ke luar berkas (href); hanya rujukan internal (#…) yang boleh.")
            if attr_name == "style":
                _check_style(value, "atribut style")
            elif _URL_IN_CSS.search(value):
                raise SVGError(f"SVG merujuk ke berkas lain lewat atribut {attr_name}.")
    return data
