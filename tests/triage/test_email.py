"""Email-shaped input: signatures, disclaimers, quoted replies and forwarded chains give
no evidence; the first relevant narrative wins; offsets index the original string."""

from __future__ import annotations

from triage.vocab import Suggestion

SIGNED = (
    "Dear LADO,\n\nMr Ellis, a science technician, touched a Year 11 girl's bottom in the prep "
    "room on Tuesday.\n\nKind regards\n\nPriya Natarajan\nDesignated Safeguarding Lead\n"
    "Hillcrest Academy\nTel: 01632 960123\np.natarajan@hillcrest.example.sch.uk\n\n"
    "This email and any attachments are confidential and intended solely for the addressee. "
    "If you are not the intended recipient please delete it. We accept no liability for any "
    "harm, abuse of the network or viruses."
)


def _inside(result, text: str, marker: str) -> list[str]:  # type: ignore[no-untyped-def]
    start = text.index(marker)
    return [e.label for e in result.evidence if e.start >= start]


def test_signatures_and_disclaimers_give_no_evidence(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(SIGNED)
    assert r.suggestion is Suggestion.REFERRAL
    assert _inside(r, SIGNED, "Kind regards") == []
    assert r.fields.referrer_name == "Priya Natarajan"
    assert r.fields.referrer_contact == "01632 960123"
    assert r.fields.referrer_is_dsl is True


def test_a_disclaimer_alone_is_not_an_allegation(assess) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Please call me back.\n\nDISCLAIMER: This message may contain confidential information. "
        "If you are not the intended recipient, delete it. We do not accept liability for any "
        "harm or abuse of the network."
    )
    r = assess(text)
    assert r.suggestion is Suggestion.ADVICE
    assert r.evidence == []


def test_quoted_replies_never_give_evidence(assess) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Thanks, yes he is suspended and the police have crime reference 41/123456/25.\n\n"
        "On Tue, 4 Mar 2025 at 10:02, LADO Team <lado@council.example.gov.uk> wrote:\n"
        "> Thank you for your referral about the teacher who hit a pupil.\n"
        "> Is he suspended?\n"
    )
    r = assess(text)
    assert _inside(r, text, "On Tue") == []
    assert r.suggestion is Suggestion.ADVICE
    assert r.fields.adult_status == "suspended"
    assert r.fields.crime_reference == "41/123456/25"
    assert r.fields.police_informed is True


def test_lines_starting_with_a_quote_mark_give_no_evidence(assess) -> None:  # type: ignore[no-untyped-def]
    text = "See below.\n> The coach punched a 12 year old at training.\n"
    r = assess(text)
    assert r.evidence == []
    assert r.suggestion is Suggestion.ADVICE


FORWARDED = (
    "FYI - see below from our Year 10 tutor. Can you advise?\n\nThanks\nSue\n\n"
    "-----Original Message-----\nFrom: Tom Briggs\nSent: 14 May 2025 08:12\nTo: Sue Hammond\n"
    "Subject: Concern\n\nSue, Chloe came to me in tears. She says Mr Latham (science) has been "
    "messaging her on Snapchat telling her she's special and asking her not to tell her mum.\nTom"
)


def test_a_forwarded_narrative_is_read_when_the_top_has_none(assess) -> None:  # type: ignore[no-untyped-def]
    r = assess(FORWARDED)
    assert r.suggestion is Suggestion.REFERRAL
    header = FORWARDED.index("-----Original")
    body = FORWARDED.index("Sue, Chloe")
    assert all(not (header <= e.start < body) for e in r.evidence)
    assert r.narrative_start is not None and r.narrative_start >= header


def test_the_first_relevant_narrative_wins(assess) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Our TA slapped a Year 1 boy in the toilets this morning.\n\n"
        "---------- Forwarded message ---------\nFrom: Office <office@school.example>\n"
        "Date: Mon, 3 Mar 2025\nSubject: Fwd: old matter\n\n"
        "Last year a coach was arrested for indecent images of children."
    )
    r = assess(text)
    assert r.suggestion is Suggestion.REFERRAL
    assert _inside(r, text, "---------- Forwarded") == []
    assert r.categories[0].value == "physical"


def test_outlook_header_blocks_are_not_evidence(assess) -> None:  # type: ignore[no-untyped-def]
    text = (
        "From: Head Office\nSent: 02 April 2025 14:03\nTo: LADO\n"
        "Subject: FW: teacher hit a pupil\n\nForwarding as discussed.\n\nFrom: J Smith\n"
        "Sent: 02 April 2025 12:40\nTo: Head Office\nSubject: incident\n\n"
        "During PE the sports coach kicked a Year 4 boy in the leg. He is limping."
    )
    r = assess(text)
    assert r.suggestion is Suggestion.REFERRAL
    for e in r.evidence:
        line = text[text.rfind("\n", 0, e.start) + 1 :].split("\n", 1)[0]
        assert not line.startswith(("From:", "Sent:", "To:", "Subject:")), e


def test_word_form_text(assess) -> None:  # type: ignore[no-untyped-def]
    text = (
        "LADO NOTIFICATION FORM\nName of adult: Gareth PRICE\nDate of birth: 14/02/1986\n"
        "Role: Teaching Assistant\nEmployer/setting: St Bede's RC Primary School\n"
        "Child(ren): Boy, Year 2, aged 6\nDetails of allegation: The child says Mr Price "
        "pinched his ear until he cried.\nDate of incident: 12/03/2025\n"
        "Date organisation became aware: "
        "13/03/2025\nPolice informed: No\nSocial care informed: Not known\nParents informed: Yes\n"
        "Current status of adult: Suspended"
    )
    r = assess(text)
    f = r.fields
    assert r.suggestion is Suggestion.REFERRAL
    assert f.adult_name == "Gareth PRICE"
    assert f.adult_role == "Teaching Assistant"
    assert f.employer == "St Bede's RC Primary School"
    assert f.adult_dob is not None and f.adult_dob.isoformat() == "1986-02-14"
    assert f.incident_date is not None and f.incident_date.isoformat() == "2025-03-12"
    assert f.aware_date is not None and f.aware_date.isoformat() == "2025-03-13"
    assert f.children_ages == [6]
    assert f.police_informed is False
    assert f.parents_informed is True
    assert f.csc_informed is None and "csc_informed" not in r.missing
    assert f.adult_status == "suspended"
