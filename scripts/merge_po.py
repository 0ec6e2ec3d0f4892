"""Merge a freshly exported .pot into a language catalogue: keeps the translations of
the terms still in use, adds the new terms untranslated and drops the obsolete ones."""

import sys

import polib


def merge(pot_path, po_path):
    template = polib.pofile(pot_path)
    try:
        previous = {entry.msgid: entry.msgstr for entry in polib.pofile(po_path)}
    except OSError:
        previous = {}
    template.metadata.update(
        {"Language": "fr", "Plural-Forms": "nplurals=2; plural=(n > 1);"}
    )
    for entry in template:
        entry.msgstr = previous.get(entry.msgid, "")
    template.save(po_path)
    untranslated = sum(1 for entry in template if not entry.msgstr)
    print(f"{po_path}: {len(template)} terms, {untranslated} untranslated")


if __name__ == "__main__":
    merge(*sys.argv[1:3])
