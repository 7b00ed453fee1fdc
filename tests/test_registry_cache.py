"""The registry's cache: installed entry points and ruleset heads kept between runs, scanned again
when the import paths or a ruleset change, and done without when the cache is damaged."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
from pathlib import Path

import pytest

from evalcore.plugin import Registry


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVALCORE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def summary(registry: Registry) -> tuple[object, ...]:
    return (sorted(registry.entries.items()), [(p.name, p.version, p.module, p.frameworks, p.formatters) for p in registry.plugins], registry.errors)


def test_a_second_build_uses_the_cache_and_gives_the_same_registry(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Registry.build()
    assert (cache_dir / "registry.json").is_file()
    assert {"hunan", "sichuan"} <= {name for name, _value, _version in json.loads((cache_dir / "registry.json").read_text(encoding="utf-8"))["entry_points"]["items"]}

    def no_scan(**_given: object) -> object:
        raise AssertionError("the installed distributions were scanned again")

    monkeypatch.setattr(importlib.metadata, "entry_points", no_scan)
    assert summary(Registry.build()) == summary(first)


def test_new_import_paths_are_scanned_again(cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    Registry.build()
    scanned: list[str] = []
    real = importlib.metadata.entry_points

    def counting(**given: object) -> object:
        scanned.append("scan")
        return real(**given)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.metadata, "entry_points", counting)
    monkeypatch.syspath_prepend(str(tmp_path))  # a folder where a distribution could be installed
    Registry.build()
    assert scanned == ["scan"]


def test_a_changed_ruleset_is_read_again(cache_dir: Path, tmp_path: Path) -> None:
    Registry.build()
    data = json.loads((cache_dir / "registry.json").read_text(encoding="utf-8"))
    path, kept = next(iter(data["heads"].items()))
    # A head kept for the same file stamp is used as it is: a changed title shows that it was.
    kept["head"]["title"] = "缓存中的标题"
    (cache_dir / "registry.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert Registry.build().entries[kept["head"]["id"]].title == "缓存中的标题"
    # Once the file changes (a new modification time), its head is read from it again.
    status = os.stat(path)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    try:
        assert Registry.build().entries[kept["head"]["id"]].title != "缓存中的标题"
    finally:
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_a_damaged_or_unwritable_cache_is_done_without(cache_dir: Path) -> None:
    expected = summary(Registry.build())
    (cache_dir / "registry.json").write_text("{not json", encoding="utf-8")
    assert summary(Registry.build()) == expected
    shutil.rmtree(cache_dir)  # the registry's file and what else the cache holds (parsed rulesets)
    cache_dir.write_text("a file where the folder should be", encoding="utf-8")
    assert summary(Registry.build()) == expected


def test_a_plugin_api_range_is_judged_once(cache_dir: Path) -> None:
    """The installed plugins' declared ranges are kept with their verdict: a later build reads the
    verdict (a verdict changed in the file shows that it was read), and a range kept for another
    plugin API version, or a part of the file that is not what evalcore writes, is judged again."""
    import evalcore_hunan
    from evalcore import API_VERSION
    from evalcore.plugin import api_refusal
    from evalcore.plugin._cache import RegistryCache

    Registry.build()
    path = cache_dir / "registry.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    key = f"{API_VERSION} {evalcore_hunan.EVALCORE_API}"
    assert data["api"][key] is True
    data["api"][key] = False
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = api_refusal(evalcore_hunan, RegistryCache(path))
    assert refused is not None and evalcore_hunan.EVALCORE_API in refused
    assert api_refusal(evalcore_hunan) is None  # without the cache, judged from the range itself
    data["api"] = {f"0.9 {evalcore_hunan.EVALCORE_API}": False}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert api_refusal(evalcore_hunan, RegistryCache(path)) is None
    data["api"] = ["not", "a", "table"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cache = RegistryCache(path)
    assert api_refusal(evalcore_hunan, cache) is None
    assert cache.api_accepts(evalcore_hunan.EVALCORE_API, API_VERSION) is True
