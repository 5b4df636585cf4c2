"""Any input returns a result or a clear ValueError; evidence offsets are always exact."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.triage.conftest import RECEIVED
from triage.result import TriageResult
from triage.textprep import MAX_CHARS, normalise
from triage.vocab import Suggestion

_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_VOCABULARY = """
    the teacher coach slapped hit no marks denies yesterday pupil boy girl his her mum stepdad
    right now if were ever arrested 14 year old Mr Dean , . > On Tue wrote: Kind regards Thanks
    DSL here foster father touched not policy
"""
WORDS = st.sampled_from([*_VOCABULARY.split(), "\n"])


def _check(text: str, result: TriageResult) -> None:
    assert isinstance(result.suggestion, Suggestion)
    assert 0.0 <= result.confidence <= 1.0
    for ev in result.evidence:
        assert 0 <= ev.start <= ev.end <= len(text)
        assert ev.text == text[ev.start : ev.end]
    TriageResult.model_validate(result.to_json_dict())


@_SETTINGS
@given(st.text(max_size=400))
def test_any_unicode_text(triager, text: str) -> None:  # type: ignore[no-untyped-def]
    _check(text, triager.assess(text, received_at=RECEIVED))


@_SETTINGS
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_offsets_are_exact_on_referral_like_text(triager, text: str) -> None:  # type: ignore[no-untyped-def]
    _check(text, triager.assess(text, received_at=RECEIVED))


@_SETTINGS
@given(st.binary(max_size=300))
def test_binary_ish_text(triager, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    text = raw.decode("latin-1")
    _check(text, triager.assess(text, received_at=RECEIVED))


@_SETTINGS
@given(st.text(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=50))
def test_emoji_only(triager, text: str) -> None:  # type: ignore[no-untyped-def]
    result = triager.assess(text, received_at=RECEIVED)
    _check(text, result)
    assert result.suggestion is Suggestion.ADVICE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "\x00\x01\x02 teacher \x7f hit \ud800 a child",
        "Der Lehrer hat das Kind geschlagen. 先生が子供を叩いた。",
        "<html><body><p>The <b>coach</b> punched a 12 year old.</p>"
        "<script>x()</script></body></html>",
        "A" * 5000,
        "teacher " * 3000,
    ],
)
def test_odd_inputs(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    _check(text, assess(text))


def test_html_is_read_as_text(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("<p>The <b>coach</b> punched a 12 year old boy at training.</p>")
    assert r.suggestion is Suggestion.REFERRAL


def test_huge_input_is_read_in_part_and_says_so(assess) -> None:  # type: ignore[no-untyped-def]
    text = "Our PE teacher punched a Year 7 boy. " + "Nothing more to add here. " * 45_000
    assert len(text) > 1_000_000
    r = assess(text)
    _check(text, r)
    assert r.truncated
    assert r.suggestion is Suggestion.REFERRAL
    assert "first part" in r.rationale
    assert all(e.end <= MAX_CHARS for e in r.evidence)


def test_non_text_input_is_a_clear_value_error(triager) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="bytes"):
        triager.assess(b"teacher hit a child")
    with pytest.raises(ValueError, match="str"):
        triager.assess(None)
    with pytest.raises(ValueError, match="datetime"):
        triager.assess("x", received_at="yesterday")


def test_naive_received_at_is_taken_as_utc(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("The TA slapped him yesterday.", received_at=dt.datetime(2025, 3, 13, 12))
    assert r.fields.incident_date == dt.date(2025, 3, 12)


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_normalise_keeps_the_length(text: str) -> None:
    assert len(normalise(text)) == len(text)
