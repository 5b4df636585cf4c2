"""The shallow grammar behind "who did what to whom" (no parser in a blank pipeline)."""

from __future__ import annotations

from triage.vocab import THRESHOLD_SUGGESTIONS, Suggestion

S = Suggestion


def test_didnt_keeps_its_tense(triager) -> None:  # type: ignore[no-untyped-def]
    doc = triager.nlp("She didn't turn up and hadn't called.")
    norms = [t.norm_ for t in doc]
    assert norms[1:3] == ["did", "not"]
    assert "had" in norms


def test_not_telling_anyone_about_an_absence_is_not_grooming(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("Our agency carer didn't turn up for the morning call and didn't tell anyone.")
    assert "grooming" not in {e.label.split(":")[-1] for e in r.evidence}
    assert r.suggestion is not S.NOT_LADO


def test_a_describing_word_before_the_role_keeps_it_the_subject(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "Our agency carer was booked to give a 12 year old his medication. She did not turn "
        "up and he had a seizure."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS
    assert r.fields.adult_role == "carer"


def test_the_adult_named_before_a_relative_clause_did_it(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A woman, now 30, says that when she was 15 her tutor, who still tutors children, "
        "had sex with her."
    )
    assert r.suggestion is S.REFERRAL
    assert r.non_recent


def test_an_eighteen_month_old_is_a_child(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("The childminder smacked an 18 month old on the legs.")
    assert r.suggestion is S.REFERRAL
    assert r.fields.children_ages == [1]


def test_the_adult_restraining_is_not_the_victim(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "During a restraint on Friday a residential support worker knelt on a 15 year old's "
        "back. The young person says he couldn't breathe. It was not an approved hold."
    )
    assert r.suggestion is S.REFERRAL


def test_a_second_act_joined_by_and_has_the_same_actor(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "I've just walked in on the deputy manager holding a baby by the arm and shaking him."
    )
    assert r.suggestion in THRESHOLD_SUGGESTIONS
    assert r.fields.adult_role is not None and "manager" in r.fields.adult_role


def test_a_possessive_s_is_not_happening_now(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A respite carer was seen on the family's doorbell camera hitting a 9 year old boy "
        "round the head with a shoe."
    )
    assert r.suggestion is S.REFERRAL
    assert not r.immediate_danger


def test_asking_whether_something_is_ok_is_a_question_not_a_concern(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A new member of staff asked whether it's OK to give pupils a lift home in an "
        "emergency. What's your guidance?"
    )
    assert r.suggestion is S.ADVICE


def test_a_person_after_a_clause_break_is_not_the_victim(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A carer gave a 15 year old double her evening medication to make her sleep so the "
        "carer could leave early."
    )
    assert r.suggestion is S.REFERRAL


def test_photographing_a_child_getting_changed_is_sexual(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A coach took photos on his phone of the girls while they were getting changed.")
    assert r.suggestion is S.REFERRAL


def test_he_refers_to_the_titled_man_not_the_ungendered_student(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A student showed me messages from Mr Bell (maths) on Instagram. He says 'don't tell "
        "anyone we talk'."
    )
    assert r.suggestion is S.REFERRAL
    assert r.fields.adult_name == "Mr Bell"


def test_lifts_from_a_volunteer_are_the_volunteers_not_the_childrens(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("A volunteer at our Sunday club has been giving some of the children lifts home.")
    assert r.suggestion is S.LOW_LEVEL_CONCERN


def test_a_parent_assaulting_a_teacher_is_not_harm_to_a_child(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "A teacher has been signed off after a pupil's parent assaulted her in the playground."
    )
    assert r.suggestion is S.NOT_LADO


def test_we_in_a_staff_report_are_the_staff(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "We used a two-person restraint on a 14 year old in line with his behaviour support "
        "plan when he tried to hit staff. No injuries, parents informed."
    )
    assert r.suggestion is S.ADVICE


def test_a_survivor_saying_he_touched_me_is_sexual(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("When I was 9 the caretaker used to touch me. I am 40 now and he still works there.")
    assert r.suggestion is S.REFERRAL
    assert r.non_recent


def test_common_misspellings_are_read(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("the nursery staf put a blanket over a babys face to stop her criying")
    assert r.suggestion is S.REFERRAL


def test_the_reason_for_a_sanction_is_the_childs_behaviour(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(
        "My son's head teacher excluded him for a day for fighting. I think it's unfair. "
        "Who do I speak to?"
    )
    assert r.suggestion is S.ADVICE
    assert "criterion:harmed" not in {e.label for e in r.evidence}


def test_sacking_an_adult_for_hitting_a_child_keeps_the_allegation(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess("The nursery manager sacked a practitioner for smacking a toddler.")
    assert r.suggestion in THRESHOLD_SUGGESTIONS
