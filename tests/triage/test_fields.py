"""Extracted fields, ``known`` overriding them, and ``missing``."""

from __future__ import annotations

import datetime as dt

import pytest

from triage.vocab import ESSENTIAL_DETAILS, Suggestion

TEXT = (
    "I'm the DSL at Oakfield Primary School. This morning a Year 4 boy (aged 9) told his class "
    "teacher that Mr Dean, one of our PE teachers, grabbed him by the arm yesterday in the "
    "changing room. There is a red mark. Mr Dean has been suspended. We have informed the police "
    "(crime reference AB/12345/25) and made a referral to children's social care. His parents "
    "have been told."
)


def test_fields_are_extracted(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(TEXT)
    f = r.fields
    assert r.suggestion is Suggestion.REFERRAL
    assert f.adult_name == "Mr Dean"
    assert f.adult_role == "PE teachers"
    assert f.sector == "education" and f.sector_detail == "primary"
    assert f.employer == "Oakfield Primary School"
    assert f.children_ages == [9]
    assert f.incident_date == dt.date(2025, 3, 12)
    assert f.aware_date == dt.date(2025, 3, 13)
    assert f.injury == "red mark"
    assert f.adult_status == "suspended"
    assert f.police_informed is True and f.crime_reference == "AB/12345/25"
    assert f.csc_informed is True
    assert f.parents_informed is True
    assert f.in_work == "in_work"
    assert f.referrer_role == "DSL" and f.referrer_is_dsl is True


def test_missing_lists_the_essential_details_not_found(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(TEXT)
    assert set(r.missing) <= set(ESSENTIAL_DETAILS)
    for found in ("adult_name", "adult_role", "child_age", "incident_date", "police_informed"):
        assert found not in r.missing
    for absent in ("adult_dob", "adult_address", "referrer_contact"):
        assert absent in r.missing
    assert "Still needed" in r.rationale


def test_known_details_override_extraction_and_fill_missing(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        TEXT,
        known={
            "adult_name": "Robert Dean",
            "adult_dob": "1979-11-02",
            "adult_address": "don't know",
            "referrer_contact": "01632 960000",
            "police_informed": "no",
            "incident_date": "last Tuesday",
        },
    )
    f = r.fields
    assert f.adult_name == "Robert Dean"
    assert f.adult_dob == dt.date(1979, 11, 2)
    assert f.adult_address is None and "adult_address" not in r.missing
    assert f.police_informed is False
    assert f.incident_date == dt.date(2025, 3, 11)
    assert "referrer_contact" not in r.missing


def test_a_known_role_brings_an_unnamed_adult_into_scope(assess) -> None:  # type: ignore[no-untyped-def]
    text = "She slapped a 6 year old across the face at lunchtime."
    assert assess(text).suggestion is Suggestion.ADVICE
    r = assess(text, known={"adult_role": "teaching assistant"})
    assert r.suggestion is Suggestion.REFERRAL


def test_known_non_recent(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("The coach touched her inappropriately after training.", known={"non_recent": True})
    assert r.non_recent is True
    assert "non_recent" not in r.missing


def test_rules_version_and_confidence_are_set(assess, triager) -> None:  # type: ignore[no-untyped-def]
    r = assess(TEXT)
    assert r.rules_version == triager.rules_version
    assert 0.5 <= r.confidence <= 0.95
    assert assess("hi").confidence < r.confidence


def test_results_are_json_and_round_trip(assess) -> None:  # type: ignore[no-untyped-def]
    from triage.result import TriageResult

    r = assess(TEXT)
    data = r.to_json_dict()
    assert data["fields"]["incident_date"] == "2025-03-12"
    assert TriageResult.model_validate(data) == r


def test_assess_many_matches_assess(triager) -> None:  # type: ignore[no-untyped-def]
    from tests.triage.conftest import RECEIVED

    texts = [TEXT, "hi", "Her stepdad hits her."]
    many = triager.assess_many(
        [texts[0], {"text": texts[1], "received_at": RECEIVED}, texts[2]], received_at=RECEIVED
    )
    single = [triager.assess(t, received_at=RECEIVED) for t in texts]
    assert [m.suggestion for m in many] == [s.suggestion for s in single]
    assert many[0].fields == single[0].fields


def test_module_level_entry_points(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import triage

    r = triage.assess("The TA punched a 7 year old.")
    assert r.suggestion is Suggestion.REFERRAL
    assert [x.suggestion for x in triage.assess_many(["The TA punched a 7 year old."])] == [
        Suggestion.REFERRAL
    ]


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "Our under-15s football coach, Gary Lyle, has been sending a 13 year old player "
            "messages late at night.",
            "Gary Lyle",
            "football coach",
        ),
        (
            "Tom Ashby is one of our nursery practitioners. He was seen slapping a toddler.",
            "Tom Ashby",
            "nursery practitioners",
        ),
        ("Sam is our nursery practitioner and he hit a child.", "Sam", "nursery practitioner"),
        ("A teacher called Daniel Fraser grabbed a Year 9 boy by the neck.", "Daniel Fraser", None),
        ("Our TA named Lisa Brown pinched a Year 2 child.", "Lisa Brown", "TA"),
        ("A teaching assistant, Ms K Patel, slapped a Year 1 pupil.", "Ms K Patel", None),
        ("Mr Okonkwo, a geography teacher, squeezed a Year 8 girl's neck.", "Mr Okonkwo", None),
        ("PC Mark Jenner has been messaging a 14 year old girl at night.", "Mark Jenner", "PC"),
    ],
)
def test_adult_names_in_appositions_and_introductions(
    assess,  # type: ignore[no-untyped-def]
    text: str,
    name: str,
    role: str | None,
) -> None:
    r = assess(text)
    assert r.fields.adult_name == name
    if role is not None:
        assert r.fields.adult_role == role


def test_a_capitalised_word_after_a_comma_is_not_taken_for_a_name(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("On Monday the teacher, Tuesday too, shouted at the class and slapped a boy.")
    assert r.fields.adult_name is None
