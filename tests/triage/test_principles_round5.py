"""Round 5 of the decision principles (rules 2026.11.5), with texts written for these
tests. Each test runs the rules alone, so that the safety net cannot hide a rule gap."""

from __future__ import annotations

import pytest

from triage.vocab import THRESHOLD_SUGGESTIONS, Suggestion

S = Suggestion


# ---------------------------------------------------------------- immediate danger
@pytest.mark.parametrize(
    "text",
    [
        # a child not brought back by the worker meant to bring them, who cannot be reached
        "Our holiday club minibus driver still hasn't brought a 9 year old back to the club. "
        "He isn't answering and the office can't get him on the phone.",
        # a parent, not allowed contact, at the door with a weapon: URGENT whoever the adult is
        "A mother who is not allowed contact turned up at the nursery. Staff think she has a "
        "kitchen knife in her bag and she is still outside, pulling at the door for her son (3).",
        # a worker known only from a tracker to be at his home with the child
        "The escort has not dropped the 12 year old home. The tracker shows the taxi parked at "
        "the escort's own flat for the last hour and the girl is with him now.",
    ],
)
def test_present_danger_in_other_words_is_urgent(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion is S.URGENT, r.rationale
    assert r.immediate_danger


@pytest.mark.parametrize(
    "text",
    [
        "The driver dropped the boy (8) home forty minutes late last Tuesday; mum is unhappy "
        "about the wait.",
        "Last term a dad stood outside the school gate and shouted at staff about parking.",
        "The tracker on the minibus is broken, could someone look at it before the trip?",
    ],
)
def test_past_or_harmless_versions_are_not_urgent(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion is not S.URGENT, r.rationale


# ---------------------------------------------------------------- "mum rang us"
def test_a_parent_who_rang_is_not_we(rules_only) -> None:  # type: ignore[no-untyped-def]
    """ "mum rang us": the parent reported it; "we" are the setting writing, and the
    worker they write about is in scope, never NOT_LADO because a parent is mentioned."""
    r = rules_only(
        "I'm the office manager at Larkfield Primary. Mum rang us this morning. We already "
        "have two notes on file about our escort buying her daughter (8) sweets and letting "
        "her sit in the front of the taxi."
    )
    assert r.suggestion is not S.NOT_LADO, r.rationale
    assert r.works_with_children is not False


def test_a_parent_who_rang_about_family_stays_not_lado(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "Mum rang us this morning to say her partner slapped her son (7) at home on Saturday."
    )
    assert r.suggestion is S.NOT_LADO, r.rationale


# ---------------------------------------------------------------- restraint kept on
def test_a_hold_kept_on_after_the_child_calmed_meets_the_threshold(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A 14 year old in our residential unit was restrained by two staff using an approved "
        "hold from his plan. The CCTV shows the hold was continued for several minutes even "
        "though he had stopped resisting. No injury."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale
    assert "unreasonable" in r.flags


def test_a_hold_released_once_calm_stays_advice(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A 14 year old in our residential unit was restrained by two staff using an approved "
        "hold from his plan, and the hold was released as soon as he was calm. No injury."
    )
    assert r.suggestion is S.ADVICE, r.rationale


# ---------------------------------------------------------------- asleep when meant awake
def test_a_carer_sleeping_through_a_childs_alarm_is_neglect(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "The agency support worker booked for waking nights with our disabled daughter (9) "
        "was asleep on the sofa. Her oxygen monitor alarm went off twice and he did not wake."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale
    assert "neglect" in [c.value for c in r.categories]


def test_a_child_asleep_is_not_neglect(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "The night carer checked the girl (9) at 2am, and she was asleep with her monitor on."
    )
    assert r.suggestion not in THRESHOLD_SUGGESTIONS, r.rationale


# ---------------------------------------------------------------- concluded matters
def test_a_reference_question_about_a_concluded_matter_is_advice(rules_only) -> None:  # type: ignore[no-untyped-def]
    """Whoever the old account named, a question about an allegation the LADO concluded,
    with nothing new, is advice for an officer, never "not a LADO matter"."""
    r = rules_only(
        "We have a reference request for a former residential worker. In 2022 a boy said "
        "she had slapped him; it was concluded as unsubstantiated and there is nothing new "
        "since. Should the reference mention it?"
    )
    assert r.suggestion is S.ADVICE, r.rationale


# ---------------------------------------------------------------- out of scope
def test_a_man_loitering_in_a_park_is_a_police_matter(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A man has been loitering around the playground near our flats and this afternoon he "
        "flashed at two girls aged 9. We have called the police."
    )
    assert r.suggestion is S.NOT_LADO, r.rationale
    assert r.redirect == "police"


def test_a_coach_in_the_park_is_still_in_scope(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "The under-12s football coach has been hanging around the park after training and "
        "sent a 12 year old girl sexual messages."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale


@pytest.mark.parametrize(
    "text",
    [
        # a lecturer whose students are all adults, harassing an adult student
        "A 24 year old PhD student says her supervisor sends her sexual messages. All his "
        "students are adults and his faculty does not do any outreach with schools.",
        # an adult day-service worker taking money from an adult
        "A support worker at our day centre took money from a 40 year old service user. "
        "He works only with our adult clients.",
    ],
)
def test_workers_with_adults_only_are_not_lado(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion is S.NOT_LADO, r.rationale


# ---------------------------------------------------------------- the message quoted below
def test_the_quoted_message_the_sender_points_to_is_read(rules_only) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Dear LADO,\n\nPlease see below what a parent sent our office last night. I have not "
        "spoken to the member of staff yet.\n\nKind regards\nJo\n\n"
        "On Mon, 3 Mar 2025 at 21:10, A Parent <parent@example.org> wrote:\n"
        "> My son (10) says the gymnastics coach put his hand down his shorts in the changing\n"
        "> room after training on Saturday.\n"
    )
    r = rules_only(text)
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale
    assert all(">" not in ev.text for ev in r.evidence)


def test_a_quoted_reply_with_no_pointer_is_still_not_read(rules_only) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Thanks, that is helpful.\n\nKind regards\nJo\n\n"
        "On Mon, 3 Mar 2025 at 21:10, Duty <duty@example.org> wrote:\n"
        "> If the coach put his hand down a child's shorts that would be a referral.\n"
    )
    r = rules_only(text)
    assert r.suggestion not in THRESHOLD_SUGGESTIONS, r.rationale


# ---------------------------------------------------------------- a form's "no"
def test_a_forms_immediate_risk_question_answered_no_is_not_urgent(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "Role of adult: swimming teacher\n"
        "Concern: he was arrested at the weekend for assaulting his wife.\n"
        "Is any child at immediate risk: not as far as we know\n"
    )
    assert r.suggestion is not S.URGENT, r.rationale
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale


def test_a_forms_immediate_risk_question_answered_yes_is_urgent(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "Role of adult: swimming teacher\n"
        "Concern: he hit a 10 year old at the pool and is still in the changing rooms with her.\n"
        "Is any child at immediate risk: yes\n"
    )
    assert r.suggestion is S.URGENT, r.rationale
