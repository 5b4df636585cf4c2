"""Round 6 of the decision principles (rules 2026.11.6), with texts written for these
tests. Each test runs the rules alone, so that the safety net cannot hide a rule gap."""

from __future__ import annotations

import pytest

from triage.vocab import THRESHOLD_SUGGESTIONS, Suggestion

S = Suggestion


# ---------------------------------------------------------------- immediate danger
@pytest.mark.parametrize(
    "text",
    [
        # still going on: he will not let go, the child screaming it down the phone
        "Our residential worker rang: a 15 year old on the phone says the relief carer has "
        "pinned him to the floor by his neck and won't let go. I can hear him shouting behind.",
        # a child driven off by an adult nobody knows
        "A girl (11) from our after-school drama club left with a woman none of the staff "
        "recognise. The caretaker saw them get into a grey van by the gates and drive off.",
        # a child snatched during contact and not brought back
        "At the contact centre the mother grabbed her son (3), put him in her car and drove "
        "off without a word to the worker. He has not been returned.",
        # an adult in charge of children who is drunk now, still driving them
        "The coach driver taking our under 12s to the tournament smells of alcohol and is "
        "refusing to pull over; we are heading to the motorway now.",
    ],
)
def test_happening_now_in_other_words_is_urgent(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion is S.URGENT, r.rationale
    assert r.immediate_danger


@pytest.mark.parametrize(
    "text",
    [
        # habitual collection time, not a plan to take the child now
        "Her uncle usually collects at 4.30 on Fridays and the club has no concerns about him.",
        # a car journey with nothing wrong in it
        "The minibus driver got into the van after the match and drove off to the depot once "
        "all the players had been collected by their parents.",
        # a returned item, a rope let go of
        "The library book was returned late and the climbing instructor let go of the rope "
        "when the session ended.",
    ],
)
def test_ordinary_versions_are_not_urgent(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion is not S.URGENT, r.rationale
    assert not r.immediate_danger


# ---------------------------------------------------------------- who the adult is
def test_named_workers_partner_is_an_associate(rules_only) -> None:  # type: ignore[no-untyped-def]
    # "Maria's partner", where Maria was named as the childminder: transferable risk
    r = rules_only(
        "I use a childminder, Maria Lowe, for my two year old. Maria's partner has just been "
        "released from prison for sexual offences against a child and has moved in with her."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale


def test_unnamed_persons_partner_stays_family(rules_only) -> None:  # type: ignore[no-untyped-def]
    # a neighbour's partner: no one in the text works with children
    r = rules_only(
        "My neighbour Maria told me Maria's partner has just been released from prison for "
        "sexual offences against a child."
    )
    assert r.suggestion not in THRESHOLD_SUGGESTIONS, r.rationale


def test_kinship_carers_relatives_are_that_carer(rules_only) -> None:  # type: ignore[no-untyped-def]
    # the grandmother approved as a connected person carer is a foster carer in law
    r = rules_only(
        "Supervising social worker note: connected person carer Mrs Dale, the child's "
        "grandmother, approved last month. Jack (6) told me grandma slapped his face when he "
        "spilled his juice."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale


def test_without_a_kinship_carer_a_grandmother_is_family(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only("Jack (6) told his teacher that his grandma slapped his face at the weekend.")
    assert r.suggestion is S.NOT_LADO, r.rationale


def test_kinship_does_not_make_a_birth_parent_a_carer(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "Tia is placed with her aunt, a kinship carer. During contact at the family centre "
        "her dad slapped her face."
    )
    assert r.suggestion is S.NOT_LADO, r.rationale


def test_writers_partner_who_works_with_children_is_the_childs_parent(rules_only) -> None:  # type: ignore[no-untyped-def]
    # private life: a worker harming his own child is transferable risk
    r = rules_only(
        "My husband is a youth worker at the Eastside youth club. Our daughter (7) came back "
        "from a weekend with him with bruises and said dad punched her arm."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale
    assert "suitability" in [c.value for c in r.criteria]


def test_writers_own_father_is_not_the_partner(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "My husband is a youth worker at the Eastside youth club. Our daughter (7) told me my "
        "dad punched her arm when she stayed with him."
    )
    assert r.suggestion is S.NOT_LADO, r.rationale


# ---------------------------------------------------------------- harm words
@pytest.mark.parametrize(
    "text",
    [
        # body shaming: weighing children in front of each other
        "Our gymnastics coach weighs the girls (10-12) in front of the squad and reads the "
        "weights out before training.",
        # a child not noticed missing from the group
        "The nursery practitioner brought the group in from the park and did not notice that "
        "one of the toddlers, Sam, was still missing until a parent found him.",
        # an irregular verb: "bent"
        "A care worker bent his fingers back during a hold and the 12 year old screamed.",
        # secrecy and hidden meetings by a teacher
        "A teacher tells a Year 11 girl to delete everything after they message and arranges "
        "to pick her up round the corner from school.",
    ],
)
def test_harm_in_other_words_meets_the_threshold(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale


@pytest.mark.parametrize(
    "text",
    [
        "The school nurse weighed the children privately as part of the national programme.",
        "The teacher told the class to delete the old files from the shared drive.",
    ],
)
def test_harmless_versions_do_not(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion not in THRESHOLD_SUGGESTIONS, r.rationale


def test_a_childs_fall_in_care_is_the_carers_not_the_childs(rules_only) -> None:  # type: ignore[no-untyped-def]
    # the child is the grammatical subject of "fell": the act is the adult's in charge
    r = rules_only(
        "At the creche a toddler rolled off the changing mat on the worktop while the "
        "assistant answered her phone. He was taken to hospital with a head injury."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale
    home = rules_only("Her baby rolled off the changing mat at home while mum was upstairs.")
    assert home.suggestion is S.NOT_LADO, home.rationale


def test_kept_in_wet_clothes_meets_the_threshold(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only("The reception teacher kept a boy (4) sitting in soiled trousers all afternoon.")
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale


# ---------------------------------------------------------------- low-level and advice
@pytest.mark.parametrize(
    "text",
    [
        # oath inside "shut ... up", self-reported
        "I am a cadet instructor and I lost my temper last night and told the cadets to "
        "shut the f*** up. Nobody was hurt.",
        # liking children's selfies from a personal account
        "One of our tutors has been liking and commenting on students' selfies from her "
        "personal insta. No private messages.",
        # name-calling with a few words between
        "A cover teacher called a girl who was stuck on the sums a dunce in front of the class.",
    ],
)
def test_conduct_below_threshold_is_low_level(rules_only, text: str) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(text)
    assert r.suggestion is S.LOW_LEVEL_CONCERN, r.rationale


def test_process_question_with_no_case_is_advice(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "I am the new DSL at a children's home. Should we refer every injury after a "
        "restraint, or only where staff technique is questioned? We don't have a specific "
        "case at the moment."
    )
    assert r.suggestion is S.ADVICE, r.rationale


def test_reply_that_lets_you_know_reads_the_quoted_message(rules_only) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Hi LADO,\n\nOur DSL asked me to let you know about the message below.\n\n"
        "On Mon, 3 Mar 2025, 10:02 Jo Smith wrote:\n"
        "> Our sports coach gave a 13 year old player his personal mobile number and has been "
        "messaging him on WhatsApp.\n\nThanks\nSam"
    )
    r = rules_only(text)
    assert r.suggestion is S.LOW_LEVEL_CONCERN, r.rationale


def test_dont_know_who_else_to_tell_is_not_a_stranger(rules_only) -> None:  # type: ignore[no-untyped-def]
    r = rules_only(
        "I don't know who else to tell. My son's swimming coach, Mr Price, sends him messages "
        "late at night telling him not to tell his mum."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS, r.rationale
