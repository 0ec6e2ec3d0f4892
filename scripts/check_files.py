"""Static checks that need no database: every XML file parses, the manifest is
well-formed and lists existing data files, and the French catalogue parses."""

import ast
import sys
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SKIP = {".build", ".git", "node_modules"}


def iter_files(pattern):
    for path in sorted(REPO.rglob(pattern)):
        if not SKIP.intersection(path.relative_to(REPO).parts):
            yield path


def check_xml():
    problems = []
    for path in iter_files("*.xml"):
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as error:
            problems.append(f"{path.relative_to(REPO)}: {error}")
    return problems


def check_manifest():
    manifest = ast.literal_eval((REPO / "__manifest__.py").read_text())
    problems = []
    for key in ("name", "version", "license", "depends", "data", "author"):
        if key not in manifest:
            problems.append(f"__manifest__.py: missing key {key!r}")
    if not str(manifest.get("version", "")).startswith("18.0."):
        problems.append("__manifest__.py: the version must start with 18.0.")
    for key in ("data", "demo", "assets"):
        files = manifest.get(key, [])
        if key == "assets":
            continue
        for name in files:
            if not (REPO / name).is_file():
                problems.append(f"__manifest__.py: {key} file {name} does not exist")
        if len(files) != len(set(files)):
            problems.append(f"__manifest__.py: {key} lists a file twice")
    return problems


def check_po():
    import polib

    problems = []
    for path in iter_files("*.po"):
        try:
            catalogue = polib.pofile(str(path))
        except OSError as error:
            problems.append(f"{path.relative_to(REPO)}: {error}")
            continue
        for entry in catalogue:
            if not entry.obsolete and not entry.msgstr:
                problems.append(
                    f"{path.relative_to(REPO)}: untranslated {entry.msgid[:60]!r}"
                )
            # Odoo loads a term only through its occurrence (code:..., model:...):
            # an entry without one is never shown, whatever its translation.
            if not entry.obsolete and entry.msgid and not entry.occurrences:
                problems.append(
                    f"{path.relative_to(REPO)}: no occurrence (run `make translations`)"
                    f" for {entry.msgid[:60]!r}"
                )
    return problems


def main():
    problems = check_xml() + check_manifest() + check_po()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
