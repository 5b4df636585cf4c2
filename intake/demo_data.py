"""Fictional demo referrals so that a newcomer sees a working queue.

Every person, school and organisation here is invented. Each referral goes
through the real submission path (and the real triage); the loader marks them
as demo data, which the officer UI shows plainly and reports exclude.
``days_ago`` places each one relative to the moment of loading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DemoCase:
    channel: str
    days_ago: float
    text: str
    known: dict[str, Any] = field(default_factory=dict)
    #: an officer decision to record after submission (None leaves it in the queue)
    decision: str | None = None
    reason: str = ""
    #: case record fields for decided referral/consultation cases, and whether to close
    lifecycle: dict[str, Any] = field(default_factory=dict)
    waiting_on: tuple[str, str] | None = None


SCHOOL = {"referrer_org_type": "education"}

CASES: tuple[DemoCase, ...] = (
    DemoCase(
        "chat",
        0.1,
        "A parent has just rung our nursery to say her 3 year old came home with bruises on "
        "her thighs and said 'Tom squeezed me'. Tom Ashby is one of our nursery practitioners "
        "and he is on shift right now in the baby room.",
        {
            "referrer_name": "Jan Whitfield",
            "referrer_role": "Nursery manager",
            "referrer_organisation": "Little Acorns Day Nursery",
            "referrer_contact": "01632 961234",
            "employer": "Little Acorns Day Nursery",
            "sector": "early_years",
            "referrer_org_type": "early_years",
        },
    ),
    DemoCase(
        "email",
        0.3,
        "Dear LADO,\n\nI am writing to let you know that this morning a Year 5 pupil (aged 9) "
        "told his teacher that Mr Farrow, a teaching assistant, pulled him out of his chair by "
        "his collar and pushed him into the corridor wall yesterday afternoon. There is a "
        "graze on his neck. Mr Farrow is still in school today and does not know about the "
        "disclosure. We have not contacted the police.\n\nKind regards\nHelen Ward\nDSL, "
        "Brookfield Primary School",
        {
            "referrer_name": "Helen Ward",
            "referrer_role": "Designated safeguarding lead",
            "referrer_organisation": "Brookfield Primary School",
            "referrer_contact": "h.ward@brookfield.example.sch.uk",
            **SCHOOL,
        },
    ),
    DemoCase(
        "form",
        0.8,
        "Our under-15s football coach, Gary Lyle, has been sending one of our players, a "
        "14 year old girl, private messages on Instagram late at night telling her she is "
        "special and asking her to keep their chats secret. Her dad found the messages "
        "last night.",
        {
            "referrer_name": "Sam Okafor",
            "referrer_role": "Club welfare officer",
            "referrer_organisation": "Riverside Juniors FC",
            "referrer_contact": "07700 900123",
            "employer": "Riverside Juniors FC",
            "employment_basis": "volunteer",
            "sector": "sports",
            "referrer_org_type": "voluntary",
        },
    ),
    DemoCase(
        "teams",
        1.2,
        "One of our residential support workers restrained a 15 year old boy last night "
        "using a hold that is not part of our approved training. He has a cut lip and "
        "bruising to his wrist. The worker has been taken off shift.",
        {
            "referrer_name": "Priya Nair",
            "referrer_role": "Registered manager",
            "referrer_organisation": "Hawthorn House children's home",
            "referrer_contact": "p.nair@hawthorn.example.org",
            "sector": "residential",
            "adult_status": "suspended",
            "referrer_org_type": "social_care",
        },
    ),
    DemoCase(
        "chat",
        1.5,
        "One of our teaching assistants has been messaging a group of Year 11 girls on "
        "Snapchat about homework. Nothing inappropriate has been said that we can see, but "
        "it breaks our code of conduct on personal social media.",
        {
            "referrer_name": "Mark Bennett",
            "referrer_role": "Deputy headteacher",
            "referrer_organisation": "Kingsmead Academy",
            "referrer_contact": "01632 962345",
            "sector": "education",
            **SCHOOL,
        },
    ),
    DemoCase(
        "email",
        2.0,
        "A pupil disclosed to our school nurse that her stepdad hits her when he has been "
        "drinking. She has bruising on her arm. He is a lorry driver and does not work with "
        "children. Who should we tell?",
        {
            "referrer_name": "Claire Dunn",
            "referrer_role": "School nurse",
            "referrer_organisation": "Kingsmead Academy",
            "referrer_contact": "c.dunn@health.example.nhs.uk",
            "referrer_org_type": "health",
        },
    ),
    DemoCase(
        "form",
        2.5,
        "A woman aged 41 has contacted us to say that a music teacher who still teaches at "
        "our school sexually abused her when she was 13, in 1998. She has told the police.",
        {
            "referrer_name": "Richard Hale",
            "referrer_role": "Headteacher",
            "referrer_organisation": "St Aldhelm's School",
            "referrer_contact": "01632 963456",
            "sector": "education",
            "police_informed": True,
            **SCHOOL,
        },
        decision="referral",
        lifecycle={"strategy_meeting_on": -1},
        waiting_on=("police", "Police investigation into the non-recent allegation"),
    ),
    DemoCase(
        "email",
        3.0,
        "Professional Standards department. A serving police constable who also volunteers "
        "as a Scout leader has been arrested on suspicion of possessing indecent images of "
        "children. He has been suspended from duty.",
        {
            "referrer_name": "DS Kerry Moss",
            "referrer_role": "Professional Standards",
            "referrer_organisation": "Example Constabulary",
            "referrer_contact": "k.moss@police.example.uk",
            "sector": "police",
            "police_informed": True,
            "adult_status": "suspended",
            "referrer_org_type": "police",
        },
        decision="referral",
    ),
    DemoCase(
        "chat",
        3.5,
        "A parent complained that a Year 3 teacher raised her voice at the class for being "
        "noisy. The teacher did not single anyone out or swear. The parent wants her "
        "sacked. I think this is one for our complaints procedure but wanted to check.",
        {
            "referrer_name": "Ann Porter",
            "referrer_role": "Headteacher",
            "referrer_organisation": "Meadow Lane Infants",
            "referrer_contact": "01632 964567",
            "sector": "education",
            **SCHOOL,
        },
        decision="advice",
        reason="",
    ),
    DemoCase(
        "form",
        4.0,
        "Our foster carer Mrs Lane left two children aged 4 and 6 alone in the house for "
        "over two hours on Tuesday evening. A neighbour called the police who found them. "
        "The children are safe now and staying with another carer.",
        {
            "referrer_name": "Olu Adeyemi",
            "referrer_role": "Supervising social worker",
            "referrer_organisation": "Brightpath Fostering",
            "referrer_contact": "07700 900456",
            "sector": "fostering",
            "sector_detail": "independent_agency",
            "police_informed": True,
            "referrer_org_type": "social_care",
        },
        decision="referral",
    ),
    DemoCase(
        "teams",
        5.0,
        "A supply teacher took photos of children on her own phone during a school trip to "
        "put on her personal Instagram. She deleted them when asked. The agency knows.",
        {
            "referrer_name": "Leah Grant",
            "referrer_role": "School business manager",
            "referrer_organisation": "Northgate Primary",
            "referrer_contact": "01632 965678",
            "sector": "education",
            "sector_detail": "supply_agency",
            "employment_basis": "agency",
            **SCHOOL,
        },
        decision="low_level_concern",
    ),
    DemoCase(
        "chat",
        6.0,
        "Our caretaker's own three children were made subject to child protection plans "
        "last month because of neglect at home. He works around pupils every day.",
        {
            "referrer_name": "Paul Reeve",
            "referrer_role": "Headteacher",
            "referrer_organisation": "Hillside Community School",
            "referrer_contact": "p.reeve@hillside.example.sch.uk",
            "sector": "education",
            **SCHOOL,
        },
        decision="consultation",
    ),
    DemoCase(
        "email",
        7.0,
        "Hi, can you tell me whether we need a DBS check for a parent who will help at our "
        "sports day for one afternoon?",
        {
            "referrer_name": "Gemma Hart",
            "referrer_role": "Office manager",
            "referrer_organisation": "Oakwood Primary",
            "referrer_contact": "office@oakwood.example.sch.uk",
            **SCHOOL,
        },
        decision="advice",
    ),
    DemoCase(
        "form",
        8.0,
        "A passenger assistant on a school minibus for children with SEND was seen on the "
        "dashcam shouting at an autistic 11 year old and pulling his seatbelt tight across "
        "his neck when he unbuckled it.",
        {
            "referrer_name": "Dave Collins",
            "referrer_role": "Transport manager",
            "referrer_organisation": "Example Council Passenger Transport",
            "referrer_contact": "01632 966789",
            "sector": "transport",
            "referrer_org_type": "other",
        },
    ),
    DemoCase(
        "chat",
        9.0,
        "I run a weekend supplementary school. Two children aged 8 and 10 said the teacher "
        "hit them on the hands with a ruler when they got their recitation wrong.",
        {
            "referrer_name": "Yusuf Rahman",
            "referrer_role": "Chair of trustees",
            "referrer_organisation": "Al-Noor Weekend School",
            "referrer_contact": "07700 900789",
            "sector": "faith",
            "referrer_org_type": "faith",
        },
        decision="referral",
    ),
    DemoCase(
        "email",
        10.0,
        "I'm a care home manager for older adults. One of our carers is alleged to have "
        "slapped a resident with dementia. The carer does not work with children.",
        {
            "referrer_name": "Irene Walsh",
            "referrer_role": "Care home manager",
            "referrer_organisation": "Elmfield Care Home",
            "referrer_contact": "manager@elmfield.example.co.uk",
            "referrer_org_type": "other",
        },
        decision="not_lado",
    ),
    DemoCase(
        "chat",
        12.0,
        "A teacher has been seen several times alone with a Year 9 boy in a store cupboard "
        "at lunchtime with the door shut, helping him with his work. The boy has not "
        "alleged anything. It goes against our guidance on one-to-one working.",
        {
            "referrer_name": "Nadia Karim",
            "referrer_role": "Designated safeguarding lead",
            "referrer_organisation": "Westbrook High School",
            "referrer_contact": "01632 967890",
            "sector": "education",
            **SCHOOL,
        },
        decision="low_level_concern",
    ),
    DemoCase(
        "form",
        14.0,
        "Our Head of Science, Martin Cole, was arrested on Friday night for assaulting his "
        "partner at home. Police attended and their two young children were in the house. "
        "Nothing has involved pupils. He is due back at work on Monday.",
        {
            "referrer_name": "Susan Price",
            "referrer_role": "Headteacher",
            "referrer_organisation": "Westbrook High School",
            "referrer_contact": "01632 967891",
            "adult_name": "Martin Cole",
            "sector": "education",
            **SCHOOL,
        },
        decision="referral",
        lifecycle={"strategy_meeting_on": -12},
    ),
    DemoCase(
        "email",
        16.0,
        "Good afternoon. Please see below a concern about a youth worker at our centre, "
        "Martin Coles, who gave two 15 year olds lifts home without telling anyone, against "
        "our policy. Nothing else happened and the parents knew.",
        {
            "referrer_name": "Chris Moyo",
            "referrer_role": "Centre manager",
            "referrer_organisation": "Parkside Youth Centre",
            "referrer_contact": "c.moyo@parkside.example.org",
            "adult_name": "Martin Coles",
            "sector": "youth",
            "referrer_org_type": "voluntary",
        },
        decision="low_level_concern",
    ),
    DemoCase(
        "teams",
        20.0,
        "Several parents and two teaching assistants say a Year 2 teacher makes children "
        "stand in the bin as a punishment and calls one girl stupid in front of the class. "
        "The girl now refuses to come to school.",
        {
            "referrer_name": "Ruth Ellis",
            "referrer_role": "Headteacher",
            "referrer_organisation": "Brookfield Primary School",
            "referrer_contact": "01632 968901",
            "sector": "education",
            **SCHOOL,
        },
        decision="referral",
        lifecycle={
            "strategy_meeting_on": -18,
            "outcome": "substantiated",
            "employer_outcome": "sanction",
            "police_outcome": "no_police_action",
            "dbs_referral": False,
            "close": True,
        },
    ),
    DemoCase(
        "chat",
        25.0,
        "Something has come up about a member of staff and I don't really know the details "
        "yet, the deputy head took the call. Can someone ring me back?",
        {
            "referrer_name": "Tina Lowe",
            "referrer_role": "Headteacher",
            "referrer_organisation": "Green Lane Primary",
            "referrer_contact": "01632 969012",
            **SCHOOL,
        },
        decision="advice",
    ),
    DemoCase(
        "email",
        30.0,
        "Two Year 10 pupils were found sharing an intimate image of another pupil, a 15 year "
        "old girl, in a group chat. No staff are involved. How should we handle this?",
        {
            "referrer_name": "Owen Price",
            "referrer_role": "Pastoral lead",
            "referrer_organisation": "Kingsmead Academy",
            "referrer_contact": "o.price@kingsmead.example.sch.uk",
            **SCHOOL,
        },
        decision="not_lado",
    ),
    DemoCase(
        "form",
        35.0,
        "A healthcare assistant on our children's ward has been reported by police for "
        "possessing indecent images of children on his home computer. He is still working.",
        {
            "referrer_name": "Dr Alan Shore",
            "referrer_role": "Named nurse for safeguarding",
            "referrer_organisation": "Example Hospitals NHS Trust",
            "referrer_contact": "safeguarding@example.nhs.uk",
            "sector": "health",
            "police_informed": True,
            "referrer_org_type": "health",
        },
        decision="referral",
        lifecycle={
            "strategy_meeting_on": -34,
            "outcome": "substantiated",
            "employer_outcome": "dismissed",
            "police_outcome": "prosecution",
            "dbs_referral": True,
            "regulator_referral": "NMC",
            "close": True,
        },
    ),
    DemoCase(
        "chat",
        45.0,
        "A 16 year old in our home says a night worker was rude to her and would not let "
        "her keep her phone after midnight, which is the house rule. She was not hurt.",
        {
            "referrer_name": "Beth Carter",
            "referrer_role": "Deputy manager",
            "referrer_organisation": "Willow Lodge",
            "referrer_contact": "01632 970123",
            "sector": "residential",
            "sector_detail": "independent",
            "referrer_org_type": "social_care",
        },
        decision="advice",
    ),
    DemoCase(
        "teams",
        60.0,
        "A private maths tutor who teaches children at home has been cautioned for drink "
        "driving. A parent who uses him let us know.",
        {
            "referrer_name": "Ian Booth",
            "referrer_role": "Early help worker",
            "referrer_organisation": "Example Council Early Help",
            "referrer_contact": "i.booth@example.gov.uk",
            "sector": "education",
            "sector_detail": "tuition",
            "employment_basis": "self_employed",
            "referrer_org_type": "social_care",
        },
        decision="consultation",
        lifecycle={"outcome": "unsubstantiated", "employer_outcome": "not_employed", "close": True},
    ),
    DemoCase(
        "email",
        75.0,
        "Our childminder inspection found her medication paperwork was out of date. No "
        "child came to harm and Ofsted have set actions. Do you need to know?",
        {
            "referrer_name": "Kate Moore",
            "referrer_role": "Early years adviser",
            "referrer_organisation": "Example Council Early Years",
            "referrer_contact": "k.moore@example.gov.uk",
            "sector": "early_years",
            "sector_detail": "childminder",
            "referrer_org_type": "early_years",
        },
        decision="advice",
    ),
    DemoCase(
        "form",
        90.0,
        "A 17 year old student says her English teacher has been driving her home after "
        "revision sessions, bought her a necklace for her birthday, and said they could be "
        "together properly when she leaves school in the summer.",
        {
            "referrer_name": "Mary Quinn",
            "referrer_role": "Designated safeguarding lead",
            "referrer_organisation": "Riverside Sixth Form College",
            "referrer_contact": "01632 971234",
            "sector": "education",
            "sector_detail": "further_higher",
            **SCHOOL,
        },
        decision="referral",
        lifecycle={
            "strategy_meeting_on": -88,
            "outcome": "substantiated",
            "employer_outcome": "dismissed",
            "police_outcome": "nfa",
            "dbs_referral": True,
            "regulator_referral": "TRA",
            "close": True,
        },
    ),
    DemoCase(
        "chat",
        120.0,
        "A parent was aggressive and swore at a teacher in the playground at pick-up time. "
        "Should I refer the parent to you?",
        {
            "referrer_name": "Jo Fenn",
            "referrer_role": "Headteacher",
            "referrer_organisation": "Meadow Lane Infants",
            "referrer_contact": "01632 972345",
            **SCHOOL,
        },
        decision="not_lado",
    ),
    DemoCase(
        "email",
        150.0,
        "A driver for our school taxi contract was seen by a parent pushing a 7 year old "
        "boy roughly into his seat and shouting at him. The boy was upset but not hurt.",
        {
            "referrer_name": "Lee Grant",
            "referrer_role": "Contracts officer",
            "referrer_organisation": "Example Council Passenger Transport",
            "referrer_contact": "l.grant@example.gov.uk",
            "sector": "transport",
            "referrer_org_type": "other",
        },
        decision="consultation",
        lifecycle={"outcome": "unfounded", "employer_outcome": "training_support", "close": True},
    ),
    DemoCase(
        "form",
        200.0,
        "A youth church leader, Martin Cole, was seen hugging a 12 year old girl and "
        "telling her she was his favourite. Other leaders felt uneasy.",
        {
            "referrer_name": "Rev Anne Brooks",
            "referrer_role": "Parish safeguarding officer",
            "referrer_organisation": "St Michael's Church",
            "referrer_contact": "07700 900890",
            "adult_name": "Martin Cole",
            "sector": "faith",
            "employment_basis": "volunteer",
            "referrer_org_type": "faith",
        },
        decision="low_level_concern",
    ),
)
