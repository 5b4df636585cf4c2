"""Each decision principle and each context case, one focused test at a time."""

from __future__ import annotations

import pytest

from tests.triage.conftest import evidence_texts, labels
from triage.vocab import THRESHOLD_SUGGESTIONS, Criterion, Suggestion

S = Suggestion


# ---------------------------------------------------------------- immediate danger
@pytest.mark.parametrize(
    "text",
    [
        "A parent says the nursery practitioner hurt her 3 year old's bottom. He is on shift now.",
        "A 14 year old girl from our children's home has not come home. We think she is with a "
        "former member of staff.",
        "I can hear my neighbour hitting his kids right now.",
        "A volunteer showed a 10 year old porn on his phone and he is still in the room with the "
        "children.",
    ],
)
def test_immediate_danger_is_urgent_whoever_the_adult_is(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    r = assess(text)
    assert r.suggestion is S.URGENT
    assert r.immediate_danger
    assert "immediacy" in labels(r)
    assert "999" in r.rationale


def test_a_parent_hurting_a_child_right_now_is_urgent_not_redirected(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("Her dad is hitting her in the car park right now and she is screaming.")
    assert r.suggestion is S.URGENT
    assert r.criteria == []


def test_being_at_work_today_is_not_immediate_danger(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "Mr Dean, a PE teacher, grabbed a Year 4 boy by the arm. Mr Dean is in school today."
    )
    assert r.suggestion is S.REFERRAL
    assert not r.immediate_danger


def test_an_answer_that_a_child_is_in_danger_makes_it_urgent(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("Please ring me about a member of staff.", known={"immediate_danger": "yes"})
    assert r.suggestion is S.URGENT
    assert "immediate_danger" not in r.missing


# ---------------------------------------------------------------- the higher level wins
def test_when_unsure_between_levels_the_higher_wins(assess) -> None:  # type: ignore[no-untyped-def]
    low = assess("A teacher gave a Year 8 girl a lift home in his own car.")
    both = assess(
        "A teacher gave a Year 8 girl a lift home in his own car and told her to keep it our "
        "little secret."
    )
    assert low.suggestion is S.LOW_LEVEL_CONCERN
    assert both.suggestion is S.REFERRAL


def test_an_uncertain_case_is_advice_never_not_lado(assess) -> None:  # type: ignore[no-untyped-def]
    for text in (
        "Something has come up about a member of staff, can someone ring me back?",
        "A child came in with a bruise on her arm and won't say how she got it.",
        "hello is this where i report someone",
    ):
        assert assess(text).suggestion is S.ADVICE, text


# ---------------------------------------------------------------- context never lowers
BASE = "The class teacher slapped a Year 2 boy on the leg in the dinner hall on Monday."


@pytest.mark.parametrize(
    ("extra", "label"),
    [
        (" The teacher denies it.", "context:denial"),
        (" The boy later said he made it up.", "context:retraction"),
        (" No marks were seen.", "context:no_marks"),
        (" He says he did not slap him.", "context:denial"),
    ],
)
def test_denial_retraction_and_no_marks_never_lower_the_level(  # type: ignore[no-untyped-def]
    assess, extra: str, label: str
) -> None:
    plain, with_context = assess(BASE), assess(BASE + extra)
    assert plain.suggestion is with_context.suggestion is S.REFERRAL
    assert label in labels(with_context)


@pytest.mark.parametrize(
    "text",
    [
        "When I was 14 my swimming coach touched me sexually after training. He still coaches.",
        "A former pupil says a teaching assistant hit him with a ruler in 1996.",
        "A man now in his thirties has told us our head of music abused him sexually when he was "
        "a pupil.",
    ],
)
def test_non_recent_events_are_flagged_and_keep_the_level(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    r = assess(text)
    assert r.non_recent
    assert r.suggestion is S.REFERRAL
    assert "non-recent" in r.rationale


# ---------------------------------------------------------------- negation
def test_negated_findings_are_context(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A TA grabbed a Year 3 boy by the wrist. No marks were seen.")
    assert r.suggestion is S.REFERRAL
    assert evidence_texts(r, "context:no_marks") == ["No marks"]
    assert r.fields.injury == "none seen"


def test_nothing_happened_and_no_one_alleges_anything_is_not_an_allegation(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A pupil said a teacher hit him, but it turned out he was talking about a video game. "
        "Nothing happened and no one alleges anything."
    )
    assert r.suggestion is S.ADVICE
    assert r.criteria == []


def test_denies_is_not_a_negation(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A parent says the coach kicked her son. The coach denies kicking him.")
    assert r.suggestion is S.REFERRAL
    assert "criterion:harmed" in labels(r)


def test_an_act_worded_with_a_negation_is_not_negated(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A residential worker said the boys were not allowed to eat until they apologised.")
    assert r.suggestion in THRESHOLD_SUGGESTIONS


def test_a_reported_clause_does_not_turn_a_later_negation_into_a_denial(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A teacher steered a Year 6 boy firmly out of the room. The boy says it hurt a bit; "
        "there are no marks."
    )
    assert r.suggestion is S.CONSULTATION
    assert evidence_texts(r, "context:no_marks") == ["no marks"]


# ---------------------------------------------------------------- hypotheticals and policy
@pytest.mark.parametrize(
    "text",
    [
        "If a teacher were ever to slap a pupil, what should we do?",
        "Hypothetically, if a member of staff were to give a pupil a lift home, would that need "
        "reporting?",
        "Do parent helpers who listen to reading need a DBS check?",
        "What should our policy say about coaches giving young people lifts?",
    ],
)
def test_hypotheticals_and_policy_questions_are_advice(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    r = assess(text)
    assert r.suggestion is S.ADVICE
    assert r.criteria == []


# ---------------------------------------------------------------- who did it
@pytest.mark.parametrize(
    "role",
    [
        "teacher", "teaching assistant", "TA", "coach", "foster carer", "foster father",
        "childminder", "taxi driver", "passenger assistant", "volunteer", "youth worker", "nurse",
        "police officer", "residential worker", "tutor", "scout leader", "imam",
    ],
)  # fmt: skip
def test_roles_in_a_position_of_trust_bring_it_into_scope(assess, role: str) -> None:  # type: ignore[no-untyped-def]
    r = assess(f"The {role} slapped a 9 year old across the face.")
    assert r.suggestion is S.REFERRAL, role
    assert r.works_with_children is True
    assert Criterion.HARMED in r.criteria


@pytest.mark.parametrize(
    "person",
    ["stepdad", "dad", "mum's boyfriend", "older brother", "grandad", "uncle", "neighbour"],
)
def test_family_and_others_are_not_lado(assess, person: str) -> None:  # type: ignore[no-untyped-def]
    r = assess(f"A pupil told me her {person} hits her. He does not work with children.")
    assert r.suggestion is S.NOT_LADO, person
    assert r.works_with_children is False
    assert "Where to go instead" in r.rationale


def test_stepdad_is_out_of_scope_foster_father_is_in(assess) -> None:  # type: ignore[no-untyped-def]
    out = assess("A pupil disclosed that her stepdad hits her.")
    inn = assess("The boy told his teacher that his foster father hit him.")
    assert out.suggestion is S.NOT_LADO
    assert out.other_experiencer
    assert "front door" in out.rationale
    assert inn.suggestion is S.REFERRAL


def test_a_family_member_who_works_with_children_is_in_scope(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A Year 8 girl says her dad hits her with a belt. Her dad is a PE teacher.")
    assert r.suggestion in THRESHOLD_SUGGESTIONS


def test_another_child_is_not_lado(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("Two Year 9 boys punched another pupil at break. No staff were involved.")
    assert r.suggestion is S.NOT_LADO
    assert r.redirect == "peer"


def test_unkindness_between_children_with_no_adult_named_is_not_lado(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("Year 7 pupils keep calling a boy fat and laughing at him in the lunch queue.")
    assert r.suggestion is S.NOT_LADO
    assert r.redirect == "peer"


def test_a_parent_not_feeding_a_baby_is_not_lado(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("The health visitor is worried because dad is not feeding the baby properly.")
    assert r.suggestion is S.NOT_LADO
    assert r.redirect == "front_door"


def test_a_worker_with_adults_only_goes_to_adult_safeguarding(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A carer at our care home for older people slapped a resident. She only works with adults."
    )
    assert r.suggestion is S.NOT_LADO
    assert r.redirect == "pipot"
    assert "PiPoT" in r.rationale


def test_a_parent_abusing_staff_is_not_lado(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A father punched one of our teachers at the school gate.")
    assert r.suggestion is S.NOT_LADO


def test_a_self_referral_is_in_scope(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("I am a teaching assistant and I grabbed a boy by the wrist and dragged him inside.")
    assert r.suggestion is S.REFERRAL


def test_the_referrer_is_not_the_adult_of_concern(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "I'm the DSL at a primary school. A Year 5 girl told me her mum's boyfriend hit her."
    )
    assert r.suggestion is S.NOT_LADO
    assert r.fields.referrer_role == "DSL"
    assert r.fields.referrer_is_dsl is True


# ---------------------------------------------------------------- reasonable force
def test_approved_restraint_without_injury_is_advice(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A TA used a guided hold, in line with our positive handling policy, to move a boy away "
        "from a pupil he was punching. No injuries."
    )
    assert r.suggestion is S.ADVICE
    assert "context:reasonable" in labels(r)


def test_approved_restraint_with_injury_is_a_consultation(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "Two trained staff held a 14 year old in a standing hold in line with his behaviour "
        "support plan. He has a bruise on his forearm."
    )
    assert r.suggestion is S.CONSULTATION


def test_an_unapproved_hold_is_a_referral(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("Staff restrained a 13 year old on the floor using a hold that is not approved.")
    assert r.suggestion is S.REFERRAL


def test_self_defence_is_advice(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A 16 year old tried to punch a member of staff, who pushed him away in self-defence."
    )
    assert r.suggestion is S.ADVICE


# ---------------------------------------------------------------- private life
def test_arrest_for_domestic_abuse_is_suitability(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("Our head of science was arrested on Friday for assaulting his partner at home.")
    assert r.suggestion is S.REFERRAL
    assert Criterion.SUITABILITY in r.criteria


def test_own_children_on_a_child_protection_plan_is_suitability(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("Our caretaker's own children were made subject to child protection plans.")
    assert r.suggestion is S.REFERRAL
    assert Criterion.SUITABILITY in r.criteria


def test_a_partners_arrest_for_child_offences_is_risk_by_association(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A childminder's husband, who lives where she minds children, has been arrested for "
        "indecent images of children."
    )
    assert r.suggestion is S.REFERRAL
    assert r.other_experiencer


def test_a_partners_unrelated_arrest_is_advice(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A nursery worker's boyfriend was arrested for drug dealing. He never visits.")
    assert r.suggestion is S.ADVICE


# ---------------------------------------------------------------- online, former pupils
def test_online_grooming_is_a_referral(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A coach has been messaging a 13 year old on Snapchat late at night saying she is mature "
        "for her age and asking her not to tell her parents."
    )
    assert r.suggestion is S.REFERRAL
    assert Criterion.RISK in r.criteria
    assert r.fields.in_work == "online"


def test_personal_social_media_contact_alone_is_a_low_level_concern(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A new teacher follows several Year 12 students on his personal Instagram.")
    assert r.suggestion is S.LOW_LEVEL_CONCERN


def test_an_eighteen_year_old_former_pupil_is_a_consultation(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A teacher is now in a relationship with a student who left in July and turned 18.")
    assert r.suggestion is S.CONSULTATION


# ---------------------------------------------------------------- low-level concerns
def test_a_low_level_concern(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A supply teacher took photos of the class on her own phone.")
    assert r.suggestion is S.LOW_LEVEL_CONCERN
    assert r.categories == [r.categories[0].__class__("conduct")]


def test_a_pattern_of_low_level_concerns_reaches_the_threshold(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "This is the fourth low-level concern about the same PE teacher: favourites, gifts and "
        "following pupils on Instagram."
    )
    assert r.suggestion is S.CONSULTATION
    assert "escalated_pattern" in r.flags


def test_a_complaint_is_advice(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A parent has complained that a teacher shouted at the class and set unfair homework."
    )
    assert r.suggestion is S.ADVICE
    assert "complaints procedure" in r.rationale


# ---------------------------------------------------------------- later additions
def test_an_old_adult_offence_on_a_dbs_is_advice(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A coach's DBS shows a conviction for criminal damage when he was 19 (now 45). "
        "Does this need to come to you?"
    )
    assert r.suggestion is S.ADVICE
    assert "past offence" in r.rationale


def test_a_dbs_showing_an_offence_against_a_child_is_not_advice(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "Our new TA's enhanced DBS shows a conviction for sexual assault of a child in 2009."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS


def test_a_welfare_concern_with_staff_ruled_out_is_not_lado(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "We are worried about a Year 1 child who comes to school hungry and in unwashed "
        "clothes. Dad says money is tight. No concerns about any staff."
    )
    assert r.suggestion is S.NOT_LADO
    assert r.redirect == "front_door"


def test_a_parents_threat_to_go_to_the_press_is_a_complaint(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A parent is threatening to go to the press because the school won't remove a teacher "
        "who gave her son a detention."
    )
    assert r.suggestion is S.ADVICE


def test_a_restraint_found_proportionate_under_approved_techniques_is_advice(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A 16 year old was restrained using approved MMPR techniques after attacking another "
        "trainee. The restraint was reviewed and found proportionate. No injuries."
    )
    assert r.suggestion is S.ADVICE


def test_children_seen_alone_inside_right_now_is_urgent(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "The childminder has just driven off and I can see three little ones alone inside. "
        "What do I do right now?"
    )
    assert r.suggestion is S.URGENT
