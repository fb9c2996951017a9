"""The GraphQL documents the PWA sends, read from its screens' operations.ts files.

`graphql(source, [Fragment, ...])` (frontend/src/lib/graphql.ts) sends the source followed by
each fragment's definition once, the fragments' own fragments included; this reads the same
templates so a test runs the very document a phone sends, not a copy that drifts from it."""

import re
from functools import cache
from pathlib import Path

FRONTEND = Path(__file__).resolve().parents[2] / "frontend" / "src"
SOURCES = ("screens/*/operations.ts", "lib/error-fragments.ts")
# `export const Name = graphql(` then a template literal, then optionally `, [A, B]` or the
# name of such a list (`mutationErrors`), itself `export const name = [A, B]`.
_DEFINITION = re.compile(
    r"export\s+const\s+(\w+)\s*=\s*graphql\(\s*`([^`]*)`\s*(?:,\s*(\[[^\]]*\]|\w+))?\s*,?\s*\)"
)
_LIST = re.compile(r"export\s+const\s+(\w+)\s*=\s*\[([^\]]*)\]")


@cache
def _templates() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every exported graphql() template by its constant's name: source and fragments used."""
    texts = [path.read_text() for pattern in SOURCES for path in sorted(FRONTEND.glob(pattern))]
    lists = {name: _names(items) for text in texts for name, items in _LIST.findall(text)}
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for text in texts:
        for name, source, fragments in _DEFINITION.findall(text):
            used = _names(fragments.strip("[]")) if fragments.startswith("[") else ()
            found[name] = (source, lists.get(fragments, used))
    return found


def _names(items: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in items.split(",") if item.strip())


def pwa_document(name: str) -> str:
    """The document the PWA sends for the operation exported as `name`."""
    templates = _templates()
    if name not in templates:
        raise KeyError(f"no graphql() template exported as {name} under {FRONTEND}")
    source, _ = templates[name]
    definitions: list[str] = []
    for fragment in _fragments_of(name, templates):
        if fragment not in definitions:
            definitions.append(fragment)
    return "\n".join([source.strip(), *definitions])


def _fragments_of(name: str, templates: dict[str, tuple[str, tuple[str, ...]]]) -> list[str]:
    definitions: list[str] = []
    for fragment in templates[name][1]:
        definitions += [templates[fragment][0].strip(), *_fragments_of(fragment, templates)]
    return definitions
