"""The validated-bundle cache serves only the very bundle it checked: any change to any file is
another key, a bundle with errors is never stored, a damaged entry is only a miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import Bundle, BundleInvalid, Problem, load_bundle
from kiosk.content import cache as cache_module
from kiosk.content.cache import (
    ENVIRONMENT,
    KEEP_ENTRIES,
    BundleCache,
    bundle_key,
    default_cache,
    load_bundle_cached,
)
from tests.content.conftest import BundleFiles


@pytest.fixture
def cache(tmp_path: Path) -> BundleCache:
    return BundleCache(tmp_path / "cache")


def entries(cache: BundleCache) -> list[Path]:
    return sorted(cache.folder.glob("*.bundle"))


def test_an_unchanged_bundle_comes_from_the_cache_the_second_time(
    bundle: BundleFiles, cache: BundleCache
) -> None:
    first, cached = load_bundle_cached(bundle.root, cache)
    assert not cached and len(entries(cache)) == 1
    second, cached = load_bundle_cached(bundle.root, cache)
    assert cached
    assert second == first == load_bundle(bundle.root)  # the same content, field by field
    assert second.root == bundle.root


def test_any_change_to_a_file_is_read_and_checked_again(
    bundle: BundleFiles, cache: BundleCache
) -> None:
    load_bundle_cached(bundle.root, cache)
    bundle.replace("events/volynsky-mutiny.yaml", "The Volynsky mutiny", "The Volynsky rising")
    changed, cached = load_bundle_cached(bundle.root, cache)
    assert not cached
    assert changed.event("volynsky-mutiny").title["en"] == "The Volynsky rising"
    # A new file counts too, even one the loader ignores.
    (bundle.root / "notes.txt").write_text("for the curator", encoding="utf-8")
    assert not load_bundle_cached(bundle.root, cache)[1]


def test_a_bundle_with_errors_is_never_stored_nor_served_from_an_older_entry(
    bundle: BundleFiles, cache: BundleCache
) -> None:
    load_bundle_cached(bundle.root, cache)
    stored = entries(cache)
    bundle.replace("events/volynsky-mutiny.yaml", "category:", "categroy:")
    with pytest.raises(BundleInvalid) as refused:
        load_bundle_cached(bundle.root, cache)
    assert any("did you mean 'category'" in str(p) for p in refused.value.problems)
    assert entries(cache) == stored


def test_a_damaged_entry_is_a_miss_and_is_replaced(bundle: BundleFiles, cache: BundleCache) -> None:
    load_bundle_cached(bundle.root, cache)
    (entry,) = entries(cache)
    entry.write_bytes(entry.read_bytes()[:100])  # cut short, as by a power cut
    again, cached = load_bundle_cached(bundle.root, cache)
    assert not cached and again == load_bundle(bundle.root)
    assert load_bundle_cached(bundle.root, cache)[1]
    entry.write_bytes(b"not a pickle at all")
    assert not load_bundle_cached(bundle.root, cache)[1]


def test_a_file_changed_while_it_was_being_checked_is_not_stored(
    bundle: BundleFiles, cache: BundleCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate = cache_module._validate  # the cache validates through this

    def validate_then_edit(root: Path) -> tuple[Bundle | None, list[Problem]]:
        result = validate(root)
        bundle.replace("events/volynsky-mutiny.yaml", "The Volynsky mutiny", "Edited meanwhile")
        return result

    monkeypatch.setattr(cache_module, "_validate", validate_then_edit)
    load_bundle_cached(bundle.root, cache)
    assert entries(cache) == []


def test_the_key_covers_the_folder_and_the_code(bundle: BundleFiles, tmp_path: Path) -> None:
    key = bundle_key(bundle.root)
    assert bundle_key(bundle.root) == key
    copy = tmp_path / "elsewhere" / bundle.root.name
    copy.parent.mkdir()
    bundle.root.rename(copy)
    assert bundle_key(copy) != key  # another folder: its own entry, its own root in the bundle


def test_only_the_newest_entries_are_kept(bundle: BundleFiles, cache: BundleCache) -> None:
    for number in range(KEEP_ENTRIES + 2):
        bundle.replace(
            "events/volynsky-mutiny.yaml", "Volynsky mutiny", f"Volynsky mutiny {number}"
        )
        load_bundle_cached(bundle.root, cache)
        bundle.replace(
            "events/volynsky-mutiny.yaml", f"Volynsky mutiny {number}", "Volynsky mutiny"
        )
    assert len(entries(cache)) == KEEP_ENTRIES


def test_the_environment_chooses_the_cache_folder_or_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENVIRONMENT, "off")
    assert default_cache() is None
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path))
    chosen = default_cache()
    assert chosen is not None and chosen.folder == tmp_path
    monkeypatch.delenv(ENVIRONMENT)
    chosen = default_cache()
    assert chosen is not None and chosen.folder.name == "bundles"


def test_no_cache_always_validates(bundle: BundleFiles) -> None:
    assert load_bundle_cached(bundle.root, None) == (load_bundle(bundle.root), False)


def test_a_miss_validated_elsewhere_is_read_from_the_cache(
    bundle: BundleFiles, cache: BundleCache
) -> None:
    asked: list[Path] = []

    def elsewhere(root: Path, into: BundleCache) -> None:
        asked.append(root)
        into.put(bundle_key(root), load_bundle(root))  # as the child process does

    shown, cached = load_bundle_cached(bundle.root, cache, elsewhere)
    assert asked == [bundle.root]
    assert not cached  # new to this kiosk, though read from the cache
    assert shown == load_bundle(bundle.root)
    assert load_bundle_cached(bundle.root, cache, elsewhere)[1]
    assert asked == [bundle.root]  # a hit asks nobody


def test_a_bundle_refused_elsewhere_is_refused_here_with_every_problem(
    bundle: BundleFiles, cache: BundleCache
) -> None:
    bundle.replace("events/volynsky-mutiny.yaml", "category:", "categroy:")
    asked: list[Path] = []
    with pytest.raises(BundleInvalid) as refused:
        load_bundle_cached(bundle.root, cache, lambda root, into: asked.append(root))
    assert asked == [bundle.root]
    assert any("did you mean 'category'" in str(p) for p in refused.value.problems)
    assert entries(cache) == []
