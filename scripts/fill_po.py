"""Fill missing English translations in the .po file from a TSV of
``Indonesian<TAB>English`` lines, then compile.  Usage:
    python scripts/fill_po.py translations.tsv
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PO = Path("cms/translations/en/LC_MESSAGES/messages.po")


def main(tsv: str) -> None:
    pairs = {}
    for line in Path(tsv).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            src, dst = line.split("\t", 1)
            pairs[src] = dst
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        if message.id in pairs:
            message.string = pairs[message.id]
            message.flags.discard("fuzzy")
        elif not message.string:
            missing.append(message.id)
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100)
    with PO.with_suffix(".mo").open("wb") as fh:
        write_mo(fh, catalog)
    print(f"{len(missing)} untranslated", *missing[:50], sep="\n  ")


if __name__ == "__main__":
    main(sys.argv[1])
