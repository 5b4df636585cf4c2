"""The rule files load, validate and compile; ``check`` finds problems in broken copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from triage.rules import DEFAULT_RULES_DIR, RulesError, check, load_rules
from triage.rules.compile import TermError, compile_term, plural, verb_forms
from triage.rules.models import Kind, Lexicon, RuleFile


def test_every_rule_file_loads_and_validates() -> None:
    rules = load_rules()
    files = sorted(p.name for p in DEFAULT_RULES_DIR.glob("*.yaml"))
    assert "ruleset.yaml" in files
    for name in files:
        data = yaml.safe_load((DEFAULT_RULES_DIR / name).read_text(encoding="utf-8"))
        if name != "ruleset.yaml":
            RuleFile.model_validate(data)
    assert set(rules.files) == set(files) - {"ruleset.yaml"}
    assert len(rules.lexicons) > 50
    assert {lx.kind for lx in rules.lexicons} >= set(Kind)


def test_shipped_rules_pass_the_check() -> None:
    assert check() == []


def test_rules_version_has_the_declared_version_and_a_content_hash() -> None:
    rules = load_rules()
    declared = yaml.safe_load((DEFAULT_RULES_DIR / "ruleset.yaml").read_text())["version"]
    assert rules.version.startswith(f"{declared}+")
    assert len(rules.version.split("+")[1]) == 12


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_reports_invalid_yaml(copy: Path) -> None:
    (copy / "roles.yaml").write_text("lexicons: [unclosed\n", encoding="utf-8")
    problems = check(copy)
    assert any(p.startswith("roles.yaml") and "YAML" in p for p in problems)
    with pytest.raises(RulesError):
        load_rules(copy)


def test_check_reports_a_bad_field_with_the_lexicon_name(copy: Path) -> None:
    _rewrite(copy / "harm.yaml", "level: REFERRAL", "level: MAYBE")
    problems = check(copy)
    assert any("physical_assault" in p and "level" in p for p in problems)


def test_check_reports_a_term_that_does_not_parse(copy: Path) -> None:
    _rewrite(copy / "harm.yaml", "      - hit~\n", "      - hit~ *99\n")
    problems = check(copy)
    assert any("hit~ *99" in p for p in problems)


def test_check_reports_an_example_that_no_longer_matches(copy: Path) -> None:
    _rewrite(copy / "harm.yaml", "      - slap~\n", "")
    problems = check(copy)
    assert any("example does not match" in p and "slapped" in p for p in problems)


def test_check_reports_unknown_form_fields_and_missing_redirects(copy: Path) -> None:
    _rewrite(copy / "fields.yaml", "  - field: adult_name\n", "  - field: adult_shoe_size\n")
    _rewrite(copy / "redirects.yaml", "  pipot:", "  elsewhere:")
    problems = check(copy)
    assert any("adult_shoe_size" in p for p in problems)
    assert any("'pipot' is missing" in p for p in problems)


def test_check_reports_a_missing_ruleset_file(copy: Path) -> None:
    (copy / "ruleset.yaml").unlink()
    assert any("ruleset.yaml" in p for p in check(copy))


def test_a_lexicon_needs_the_attributes_of_its_kind() -> None:
    with pytest.raises(ValueError, match="concern lexicon needs"):
        Lexicon(name="x", kind=Kind.CONCERN, terms=["hit"])
    with pytest.raises(ValueError, match="needs an effect"):
        Lexicon(name="x", kind=Kind.MODIFIER, terms=["maybe"])


def test_verb_forms_and_plurals() -> None:
    irregular = {"hit": ["hits", "hitting"]}
    assert verb_forms("slap", irregular) == ["slap", "slaps", "slapped", "slapping"]
    assert verb_forms("hit", irregular) == ["hit", "hits", "hitting"]
    assert "travelled" in verb_forms("travel", {})
    assert "bullied" in verb_forms("bully", {})
    assert plural("child") == "children"
    assert plural("nanny") == "nannies"


def test_term_language() -> None:
    def tok(s: str) -> list[str]:
        return s.lower().split()

    c = compile_term("grab~ his|her arm?", irregular={}, plurals=False, tokenize=tok)
    assert "grabbed her arm" in c.phrases and "grab his" in c.phrases
    c = compile_term("head of sixth_form|year", irregular={}, plurals=False, tokenize=tok)
    assert c.phrases == ["head of sixth form", "head of year"]
    c = compile_term("# year old", irregular={}, plurals=False, tokenize=tok)
    assert c.token_patterns and c.token_patterns[0][0] == {"LIKE_NUM": True}
    with pytest.raises(TermError):
        compile_term("*20 hit", irregular={}, plurals=False, tokenize=tok)
    with pytest.raises(TermError):
        compile_term("re:([ hit", irregular={}, plurals=False, tokenize=tok)
