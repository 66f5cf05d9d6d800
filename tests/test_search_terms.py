"""Staff words for the search (build_scripts/search_terms.toml): every location they point to must
exist, and they are added to that entry only."""

from __future__ import annotations

import json

import pytest

from sitebuild import BuildError
from sitebuild.search_terms import add_terms, read_terms


def built_index(tmp_path, *locations):
    (tmp_path / "search").mkdir()
    docs = [{"location": loc, "title": loc, "text": ""} for loc in locations]
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")
    return tmp_path


def test_words_are_added_as_tags_to_their_entry_only(tmp_path):
    site = built_index(tmp_path, "channels/", "channels/#telephone")
    assert add_terms(site, {"channels/#telephone": ["hang up"]}) == 1
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert docs[1]["tags"] == ["hang up"] and "tags" not in docs[0]


def test_a_location_the_handbook_no_longer_has_fails_the_build_naming_it(tmp_path):
    site = built_index(tmp_path, "channels/")
    with pytest.raises(BuildError) as caught:
        add_terms(site, {"channels/#fax": ["fax"]})
    assert "search_terms.toml" in str(caught.value) and "'channels/#fax'" in str(caught.value)


def test_the_shipped_terms_are_lists_of_words(tmp_path):
    terms = read_terms()
    assert terms and all(words and all(w.strip() for w in words) for words in terms.values())


def test_a_malformed_terms_file_names_the_key(tmp_path):
    bad = tmp_path / "search_terms.toml"
    bad.write_text('[terms]\n"adjustments/" = "autism"\n', encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        read_terms(bad)
    assert "terms.'adjustments/'" in str(caught.value)
