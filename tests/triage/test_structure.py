"""General structures behind the rules (not any one text): quotation marks and line
wraps, who reported or witnessed, partners named by a possessive, staff named as the
organisation's own, roles said in a later sentence, blows aimed at a body part, adult
victims, own children, and the principle that a physical act by a worker is at least
a consultation whatever the injury."""

from __future__ import annotations

import pytest

from triage.vocab import THRESHOLD_SUGGESTIONS, Suggestion

S = Suggestion


def test_quoted_words_and_line_wraps_are_read_through(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("The coach told the 13 year old to keep it 'between us' and not tell her mum.")
    assert r.suggestion is S.REFERRAL
    wrapped = assess(
        "Yesterday afternoon during the lesson the supply teacher apparently put his hand\n"
        "on a Year 9 girl's thigh under the desk and whispered to her."
    )
    assert wrapped.suggestion in THRESHOLD_SUGGESTIONS
    # the evidence still quotes the original text, quotation marks and line break included
    assert any("\n" in e.text for e in wrapped.evidence)


def test_a_possessive_apostrophe_is_not_a_quotation_mark(triager) -> None:  # type: ignore[no-untyped-def]
    doc = triager.nlp("He walked into the girls' changing room while they were changing.")
    assert "girls' changing room" in {sp.text for sp in doc.spans["lado"]}


@pytest.mark.parametrize(
    "text",
    [
        "A driver for our school taxi contract was seen by a parent pushing a 7 year old boy "
        "roughly into his seat and shouting at him. The boy was upset but not hurt.",
        "Our lunchtime supervisor was seen yanking a Year 1 child up off the floor by his "
        "wrist and marching him to the office. He wasn't injured.",
        "A nursery apprentice was seen flicking a 2 year old on the ear. There are no marks.",
        "The swimming teacher ducked a 6 year old's head under the water again and again.",
        "A teacher dug her nails into a Year 3 boy's arm. No marks were seen.",
    ],
)
def test_a_physical_act_by_a_worker_is_at_least_a_consultation(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    assert assess(text).suggestion in THRESHOLD_SUGGESTIONS


def test_the_person_who_reported_it_is_not_the_one_who_did_it(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A GP has been reported by a 16 year old patient's mother for sending the girl sexual "
        "messages on Facebook after an appointment."
    )
    assert r.suggestion is S.REFERRAL
    assert r.fields.adult_role == "GP"


def test_a_witness_before_saw_or_heard_is_not_the_actor(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "I'm a mum. Last week I heard my son's private tutor tell him he was stupid and she "
        "slammed the book down on his hand."
    )
    assert r.suggestion is S.REFERRAL


def test_a_workers_partner_named_by_a_possessive_is_an_associate(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "One of our TAs has told us her partner has been arrested for assaulting his "
        "12 year old nephew."
    )
    assert r.suggestion is S.REFERRAL
    own = assess(
        "I am a registered childminder and my husband has been arrested on suspicion of "
        "possessing indecent images. I have stopped minding for now."
    )
    assert own.suggestion is S.REFERRAL  # "for now" is not "right now"


def test_a_worker_who_is_the_victim_of_their_partner_is_not_a_lado_matter(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("One of our teachers has disclosed that her husband hit her at home last night.")
    assert r.suggestion in (S.NOT_LADO, S.ADVICE)


def test_staff_named_as_the_organisations_own_are_in_a_position_of_trust(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("One of our court marshals was caught on CCTV kicking a 9 year old.")
    assert r.suggestion is S.REFERRAL
    assert r.works_with_children is True


def test_a_role_said_in_a_later_sentence_brings_the_person_into_scope(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "Police Public Protection Notice. Adult male, 34, threatened neighbours with a "
        "machete. He is known to volunteer at a local junior boxing club. Charged with affray."
    )
    assert r.suggestion is S.REFERRAL
    assert "suitability" in r.criteria


def test_harm_to_an_adult_in_an_adult_setting_is_not_a_lado_matter(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "I'm a ward manager on an older people's unit. One of our healthcare assistants "
        "roughly pulled a confused 82 year old patient up the bed, leaving bruises. She works "
        "only on this ward."
    )
    assert r.suggestion is S.NOT_LADO


def test_a_member_of_the_public_hitting_their_own_child_is_not_a_lado_matter(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A woman at the swimming pool slapped her own son in the changing room.")
    assert r.suggestion is S.NOT_LADO


def test_the_child_made_to_do_something_is_not_the_actor(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "Our madrasa teacher has been accused by a parent of making her 9 year old son stand "
        "on one leg holding his ears for half an hour."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS
    assert not r.other_experiencer


def test_an_injury_phrase_is_not_an_assault(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A cricket coach made a 12 year old keep batting without a helmet. He was hit on the "
        "head by a ball and had a headache for two days."
    )
    assert r.suggestion is S.CONSULTATION


def test_a_finding_that_it_was_unfounded_is_advice(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "Hello, I'm a teacher. I was accused by a pupil last year of pushing him; it was "
        "investigated and found to be unfounded. Will it show up on my reference?"
    )
    assert r.suggestion is S.ADVICE


def test_a_planned_hold_covered_by_its_approval_stays_advice(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "Two staff used an approved standing hold from his plan when a 13 year old tried to "
        "hit another child. It was brief, recorded and there were no injuries."
    )
    assert r.suggestion is S.ADVICE


@pytest.mark.parametrize(
    "text",
    [
        "Duty log: the driver has pulled the minibus into a lay-by and has just slapped a "
        "9 year old girl. They are still in the lay-by.",
        "A volunteer has taken a 12 year old girl from the youth club in his car and they "
        "haven't come back. It's been two hours and his phone is off.",
        "Our ten year old has just rung from scout camp crying, saying the leader hit him. He "
        "is still at camp with the leader tonight.",
    ],
)
def test_still_there_or_out_of_contact_now_is_urgent(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    assert assess(text).suggestion is S.URGENT
