"""Staff words into the search index: build_scripts/search_terms.toml says which words lead to
which page or section; they are added to that entry's search tags (ranked first by the theme's
search), so "email" finds "e-mail" and "hang up" finds ending a call, without changing a page."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from . import BuildError

TERMS_FILE = Path(__file__).resolve().parent.parent / "search_terms.toml"


def read_terms(path: Path = TERMS_FILE) -> dict[str, list[str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BuildError(f"{path.name}: cannot be read ({error})") from None
    terms = data.get("terms")
    if not isinstance(terms, dict) or set(data) != {"terms"}:
        raise BuildError(f"{path.name}: expected one table, [terms], mapping a location to a list of words")
    for location, words in terms.items():
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise BuildError(f"{path.name}: terms.{location!r}: give a list of words")
    return terms


def add_terms(site_dir: Path, terms: dict[str, list[str]] | None = None) -> int:
    """Add the words to the built index; returns how many entries gained words."""
    terms = read_terms() if terms is None else terms
    index_path = site_dir / "search" / "search_index.json"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    entries = {doc["location"]: doc for doc in index["docs"]}
    for location, words in terms.items():
        entry = entries.get(location)
        if entry is None:
            raise BuildError(f"{TERMS_FILE.name}: terms.{location!r}: no such page or section in the built handbook")
        entry["tags"] = [*entry.get("tags", []), *words]
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(terms)
