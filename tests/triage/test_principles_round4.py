"""Round 4 of the decision principles (rules 2026.11.4), with texts written for these
tests. Each test runs the rules alone, so that the safety net cannot hide a rule gap."""

from __future__ import annotations

import pytest

from triage.vocab import THRESHOLD_SUGGESTIONS, Suggestion

S = Suggestion


# ---------------------------------------------------------------- immediate danger
@pytest.mark.parametrize(
    "text",
    [
        # the child and the adult meant to bring them have both not turned up
        "Our swim squad minibus driver was meant to drop an 11 year old girl at the pool at 4. "
        "Neither of them has turned up and it is now half six.",
        # an attack still going on behind a door
        "The residential worker hit a 12 year old and he is banging on the bedroom door now, "
        "the boy has locked himself in.",
        # the adult in charge is drunk now, after hurting a child
        "Night staff say the relief carer punched a 15 year old and is drunk, still in the unit.",
        # child abuse material, and the adult is with the children now
        "A colleague says the caretaker showed her a clip on his tablet; it was a small boy being "
        "abused. He is with the children now in the hall.",
    ],
)
def test_present_danger_is_urgent(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion is S.URGENT, r.rationale
    assert r.immediate_danger


def test_what_happens_when_drunk_is_habitual_not_present(rules_only) -> None:  # type: ignore[no-untyped-def]
    """ "when he's drunk" says what usually happens: not immediate danger by itself."""
    r = rules_only("A Year 4 boy says his stepdad throws things at him when he's drunk.")
    assert r.suggestion is not S.URGENT


def test_neither_of_them_without_absence_is_not_urgent(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "Neither of them has a DBS certificate yet; the coach and his assistant start soon."
    )
    assert r.suggestion is not S.URGENT


# ---------------------------------------------------------------- sexual acts are never LLC
def test_childrens_words_for_genitals_make_a_sexual_act(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A 4 year old told her mum that the forest school leader took her behind the shed because "
        "she needed a wee and poked her front bottom."
    )
    assert r.suggestion is S.REFERRAL
    assert "sexual" in [c.value for c in r.categories]


def test_the_subordinate_clause_subject_does_not_take_the_act(rules_only) -> None:  # type: ignore[no-untyped-def]
    """ "because she needed a wee": the child is the subject of that clause only; the verb
    after "and" belongs to the adult who took her."""
    r = rules_only(
        "The clown at the party took a 6 year old to the toilet because she was upset and "
        "touched her privates."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS
    assert r.suggestion is not S.NOT_LADO


# ---------------------------------------------------------------- grooming and exploitation
def test_a_child_staying_at_the_adults_place_is_groomed_not_grooming(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "One of the support workers at our 16+ project drives a girl around late at night and "
        "a resident says the girl sleeps at his flat most weekends."
    )
    assert r.suggestion is S.REFERRAL


def test_handing_a_young_person_drugs_is_a_referral(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A youth worker at our drop-in was seen passing two of the lads what looked like a bag "
        "of cannabis behind the centre."
    )
    assert r.suggestion is S.REFERRAL


def test_supply_as_an_offence_name_is_not_handing_drugs_to_a_child(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A teaching assistant's brother was charged with possession with intent to supply "
        "(cocaine). He has no contact with the school."
    )
    assert r.suggestion is not S.REFERRAL


# ---------------------------------------------------------------- former pupils
def test_messages_while_still_a_pupil_keep_a_former_pupil_case_a_referral(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A former student, now 18, is in a relationship with our drama teacher. Her friends say "
        "he was messaging her every night in the spring, when she was 17 and still his student. "
        "She says it only started after she left."
    )
    assert r.suggestion is S.REFERRAL


def test_a_relationship_after_leaving_is_still_advice(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A former pupil, now 20, who left three years ago is in a relationship with one of our "
        "science teachers. It started long after she left."
    )
    assert r.suggestion is S.ADVICE


# ---------------------------------------------------------------- transferable risk
def test_a_workers_partner_arrested_in_a_home_with_children_is_a_consultation(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "One of our nursery practitioners told us her partner was arrested last night for "
        "burglary. They live together and have a 4 year old."
    )
    assert r.suggestion is S.CONSULTATION


def test_a_workers_partner_arrested_with_no_household_is_advice(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "One of our nursery practitioners told us her ex-boyfriend was arrested for burglary. "
        "He has never been to the nursery."
    )
    assert r.suggestion is S.ADVICE


def test_a_parent_said_to_hold_a_role_with_children_is_in_scope(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "I am the social worker for two children on plans. Their father told me he is a "
        "volunteer coach with an under-12s football team. Mum says he has been physically "
        "violent to her in front of the children."
    )
    assert r.suggestion is S.REFERRAL


def test_a_relatives_job_away_from_children_stays_family(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A Year 3 boy says his grandad, who lives with them, smacks him. He is a taxi driver "
        "for an airport firm."
    )
    assert r.suggestion is S.NOT_LADO


# ---------------------------------------------------------------- not a LADO matter / advice
def test_a_worker_with_adults_harming_an_adult_is_not_lado(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "I manage a care home for older people. A care assistant was seen pushing an 80 year old "
        "resident into her chair. He has no other jobs and no children."
    )
    assert r.suggestion is S.NOT_LADO
    assert r.redirect == "pipot"


def test_a_university_student_with_no_child_link_is_not_lado(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A third-year student (21) says a lecturer keeps sending her late-night texts. He "
        "teaches postgraduates only; no outreach or other work with under-18s."
    )
    assert r.suggestion is S.NOT_LADO


def test_a_concluded_allegation_repeated_with_nothing_new_is_advice(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "The allegation that the PE teacher pushed a Year 8 boy was concluded last year as "
        "unsubstantiated. The boy's uncle has now posted the same allegation again online. "
        "There is no new information."
    )
    assert r.suggestion is S.ADVICE


def test_a_new_allegation_after_a_concluded_one_keeps_its_level(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "An earlier complaint about the PE teacher was concluded as unfounded. Today a different "
        "Year 8 boy says the same teacher punched him in the changing room."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS


# ---------------------------------------------------------------- levels
def test_a_remark_on_a_childs_developing_body_is_a_consultation(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only("The music teacher told a Year 9 girl she has 'blossomed out this year'.")
    assert r.suggestion is S.CONSULTATION


def test_a_toddler_left_alone_behind_a_shut_door_is_a_consultation(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "A nursery assistant put a 3 year old in the nappy room after a tantrum and left him "
        "alone with the door closed for ten minutes."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS
