"""A ruleset file is parsed once: its data and key lines are kept in the user's cache folder by the
hash of its text, and every later read of the same text uses them, with the same limits and the
same located errors as a first read."""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest

from evalcore import RulesetError
from evalcore.load import load_toml, read_framework
from evalcore.model import DataError, Limits, using_limits
from evalcore.plugin import get_registry

from .conftest import EXAMPLES

RULESET = Path(__file__).resolve().parents[1] / "rulesets" / "hunan" / "hecheng-dept-2020.toml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVALCORE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "rulesets"


def test_a_second_read_uses_what_the_first_kept(cache: Path, tmp_path: Path) -> None:
    ruleset = tmp_path / "鹤城.toml"
    shutil.copy(RULESET, ruleset)
    first, source = load_toml(ruleset, RulesetError)
    (kept,) = cache.iterdir()
    data, lines = marshal.loads(kept.read_bytes())
    assert data == first and lines == source.lines
    # What is kept is what is read: a title changed in the kept data shows it.
    data["framework"]["title"] = "缓存中的标题"
    kept.write_bytes(marshal.dumps((data, lines)))
    again, again_source = load_toml(ruleset, RulesetError)
    assert again["framework"]["title"] == "缓存中的标题"
    assert again_source.line_of(("framework", "title")) == source.line_of(("framework", "title"))


def test_a_changed_text_or_a_damaged_entry_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    ruleset = tmp_path / "鹤城.toml"
    shutil.copy(RULESET, ruleset)
    load_toml(ruleset, RulesetError)
    (kept,) = cache.iterdir()
    kept.write_bytes(b"not marshalled")
    assert load_toml(ruleset, RulesetError)[0] == load_toml(RULESET, RulesetError)[0]
    assert marshal.loads(kept.read_bytes())[0]["framework"]["id"] == "hunan.hecheng.dept.2020"  # written again
    ruleset.write_text(RULESET.read_text(encoding="utf-8").replace('title = "部门整体支出绩效评价共性指标框架"', 'title = "另一个标题"'), encoding="utf-8")
    assert load_toml(ruleset, RulesetError)[0]["framework"]["title"] == "另一个标题"
    assert len(list(cache.iterdir())) == 2


def test_the_limits_hold_for_a_kept_ruleset(cache: Path, tmp_path: Path) -> None:
    read_framework(RULESET, get_registry().rule_kinds)
    assert any(cache.iterdir())
    with using_limits(Limits(max_depth=1)), pytest.raises(RulesetError) as refused:
        read_framework(RULESET, get_registry().rule_kinds)
    assert "hecheng-dept-2020.toml" in str(refused.value) and "max-depth" in str(refused.value)
    long_number = tmp_path / "长数字.toml"
    long_number.write_text('[framework]\nid = "x.y"\ntotal = 1234567890\n', encoding="utf-8")
    load_toml(long_number, RulesetError)
    with using_limits(Limits(max_number_digits=5)), pytest.raises(RulesetError) as refused:
        load_toml(long_number, RulesetError)
    assert "长数字.toml:3" in str(refused.value) and "max-number-digits" in str(refused.value)


def test_a_changed_parser_or_key_scanner_parses_every_ruleset_again(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What is kept was made by the parser and evalcore's key scanner as installed: an upgrade (a
    file of either changed) makes it parsed again, never served from before."""
    import sys

    from evalcore.model import SourceFile

    scanner = tmp_path / "scanner.py"
    scanner.write_text("# the key scanner\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[SourceFile.__module__], "__file__", str(scanner))
    load_toml(RULESET, RulesetError)
    load_toml(RULESET, RulesetError)
    assert len(list(cache.iterdir())) == 1
    scanner.write_text("# the key scanner, changed\n", encoding="utf-8")
    load_toml(RULESET, RulesetError)
    assert len(list(cache.iterdir())) == 2


def test_data_files_and_a_ruleset_with_a_date_are_not_kept(cache: Path, tmp_path: Path) -> None:
    load_toml(EXAMPLES / "hunan" / "hecheng-dept-2020.toml", DataError)
    assert not cache.exists()
    dated = tmp_path / "dated.toml"
    dated.write_text('[framework]\nid = "x.y"\nmade = 2024-05-01\n', encoding="utf-8")
    assert str(load_toml(dated, RulesetError)[0]["framework"]["made"]) == "2024-05-01"
    assert not cache.exists() or not any(cache.iterdir())
