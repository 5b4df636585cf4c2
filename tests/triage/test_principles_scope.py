"""Structural principles added in rules 2026.11.3, each on texts written for the test.

* an uncertain case is ADVICE, never NOT_LADO: a person only named inside someone's
  quoted words, or the person who reported it ("reported to us by her brother"), is not
  the adult of concern;
* a job the lexicons do not list, named with its basis of employment ("a relief
  groundsman", "a casual steward"), is a worker;
* an approved hold stays ADVICE even when the text also says "no concerns about staff";
* an idiom ("kicking off") is neither an act nor an immediacy cue;
* an adult complainant describing what happened when they were a child is a child victim;
* "no connection with the school or any work with children" is one denial;
* immediate danger is read in more words ("rn", "still on site", "has just rung me from
  the minibus").

The rules alone are tested (``safety_net=False``): the net may only raise.
"""

from __future__ import annotations

import pytest

from triage.vocab import THRESHOLD_SUGGESTIONS, Suggestion

S = Suggestion


# ------------------------------------------------- quoted words and reporters are not actors
def test_a_person_named_inside_quoted_words_is_not_the_actor(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A relief lifeguard told a 13 year old girl she was 'just the type a lad would go "
        "for'. Later he put his hand on her thigh in the first aid room."
    )
    assert r.suggestion is not S.NOT_LADO
    assert r.suggestion in THRESHOLD_SUGGESTIONS


def test_the_person_who_reported_it_is_not_the_actor(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "One of our swimming teachers was reported to us by a girl's older brother: he has "
        "been sending her naked pictures of himself on Snapchat. She is 14."
    )
    assert r.suggestion is not S.NOT_LADO
    assert r.suggestion in THRESHOLD_SUGGESTIONS


def test_a_job_named_with_its_basis_of_employment_is_a_worker(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only("A casual groundsman at the academy slapped a Year 7 boy across the face.")
    assert r.suggestion in THRESHOLD_SUGGESTIONS
    assert r.works_with_children is not False


# ------------------------------------------------- an approved hold stays advice
def test_an_approved_hold_is_advice_not_redirected(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "Registered manager, children's home. Last night two trained carers used the seated "
        "hold in a 12 year old's behaviour support plan for about a minute when he tried to "
        "run into the road. No injury; logged and reviewed. We have no concerns about the "
        "staff involved. Do you need to know about this?"
    )
    assert r.suggestion is S.ADVICE


# ------------------------------------------------- idioms are not acts
def test_a_parent_kicking_off_is_not_an_assault_or_immediate(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A dad is kicking off in reception because a teaching assistant kept his son in at break."
    )
    assert r.suggestion is not S.URGENT
    assert "physical" not in r.categories


# ------------------------------------------------- non-recent: a child victim then
def test_an_adult_complainant_describing_childhood_is_a_child_victim(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A 30 year old has written to the trust to say that when she was in Year 9 her "
        "music teacher, who still teaches there, kissed her on the lips in a practice room."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS
    assert r.non_recent


# ------------------------------------------------- a denial joined by "or"
def test_or_any_work_with_children_continues_the_denial(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "Our cook's former husband keeps waiting outside the kitchen door and shouting at "
        "her. He has no connection with the school or any work with children."
    )
    assert "works_with_children" not in r.flags
    assert r.suggestion not in THRESHOLD_SUGGESTIONS


# ------------------------------------------------- immediate danger, in more words
@pytest.mark.parametrize(
    "text",
    [
        "my football coach keeps messaging me and he is parked outside my house rn saying "
        "he'll share my photos if i don't get in. im 13",
        "A scout leader was found in a sleeping bag with an 11 year old boy at 3am. He is "
        "still on site and camp runs until Monday.",
        "The escort has just rung me from the school bus: the driver stinks of drink and keeps "
        "swerving. Nine children on board.",
    ],
)
def test_more_words_for_immediate_danger(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion is S.URGENT
    assert r.immediate_danger


# ------------------------------------------------- the net needs someone to refer
@pytest.mark.parametrize(
    "text",
    [
        "A boy turned up this morning with a cut lip and will not tell anyone what happened.",
        "A girl has a bruise on her cheek and says she can't remember how she got it.",
    ],
)
def test_the_net_does_not_raise_a_text_that_names_no_adult_or_setting(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    r = assess(text)
    assert r.suggestion is S.ADVICE
    assert "safety_net" not in r.flags
