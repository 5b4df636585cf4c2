"""The mixes and word lists the synthetic-referral generator draws from.

Weights are shaped like the seeds' annual reports (education the largest sector,
advice the most common outcome, physical abuse the most common category …);
every name is fictional.
"""

from __future__ import annotations

CHANNELS = (("email", 45), ("form", 25), ("chat", 15), ("phone", 10), ("teams", 5))
SECTORS = (
    ("education", 45),
    ("residential", 12),
    ("fostering", 10),
    ("early_years", 8),
    ("health", 5),
    ("social_care", 4),
    ("sports", 3),
    ("faith", 2),
    ("transport", 2),
    ("youth", 2),
    ("other", 2),
    ("police", 1),
    ("care_provider", 1),
    ("secure_estate", 1),
    ("supported_accommodation", 1),
    (None, 1),
)
OTHER_SOURCES = ("police", "social_care", "health", "education", "other")
SUGGESTIONS = (
    ("ADVICE", 44),
    ("REFERRAL", 20),
    ("LOW_LEVEL_CONCERN", 12),
    ("NOT_LADO", 12),
    ("CONSULTATION", 8),
    ("URGENT", 3),
    (None, 1),
)
AGREE = {
    "URGENT": "referral",
    "REFERRAL": "referral",
    "CONSULTATION": "consultation",
    "LOW_LEVEL_CONCERN": "low_level_concern",
    "ADVICE": "advice",
    "NOT_LADO": "not_lado",
    None: "advice",
}
#: what an officer decides instead, when they do not agree
NEIGHBOURS = {
    "URGENT": ("consultation",),
    "REFERRAL": ("consultation", "advice"),
    "CONSULTATION": ("referral", "advice"),
    "LOW_LEVEL_CONCERN": ("advice", "referral", "no_further_action"),
    "ADVICE": ("low_level_concern", "referral", "not_lado", "no_further_action"),
    "NOT_LADO": ("advice", "no_further_action"),
    None: ("referral", "not_lado"),
}
CRITERIA = {
    "URGENT": ["harmed", "criminal"],
    "REFERRAL": ["harmed"],
    "CONSULTATION": ["risk"],
}
CATEGORIES = (("physical", 35), ("neglect", 20), ("sexual", 18), ("emotional", 17), ("conduct", 10))
OUTCOMES = (
    ("substantiated", 40),
    ("unsubstantiated", 30),
    ("unfounded", 12),
    ("no_outcome", 10),
    ("false", 5),
    ("malicious", 3),
)
POLICE = (
    ("no_police_action", 55),
    ("nfa", 25),
    ("prosecution", 8),
    ("caution", 4),
    ("ongoing", 3),
    (None, 5),
)
EMPLOYER = (
    ("training_support", 30),
    ("resigned", 20),
    ("dismissed", 18),
    ("sanction", 12),
    ("no_sanction", 10),
    ("not_employed", 5),
    (None, 5),
)
#: case length in days: (weight, shortest, longest)
DURATIONS = ((30, 0, 30), (30, 31, 90), (20, 91, 182), (15, 183, 365), (5, 366, 700))
REGULATORS = ("TRA", "Social Work England", "NMC", "GMC", "Ofsted")


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "John Jon James Jane Sarah Sara David Dave Michael Mike Claire Clare Mohammed "
    "Muhammad Aisha Ayesha Peter Laura Lauren Daniel Emma Tom Thomas Rachel Steven "
    "Stephen Zoe Chloe Amir Priya Kwame Olu Siobhan Gareth Rhys Megan Liam Connor "
    "Hannah Grace Oliver Ruth"
)
LAST = _words(
    "Smith Smyth Jones Taylor Brown Browne Williams Wilson Johnson Davies Davis "
    "Patel Khan Ahmed Ahmad Evans Thomas Roberts Walker Wright Thompson Thomson "
    "White Hughes Edwards Green Hall Wood Harris Clarke Clark Lewis Jackson Martin "
    "Cooper Hill Ward Morris Moore Mohamed Begum Okafor Nowak Kowalski Murphy Kelly "
    "O'Brien MacDonald"
)
#: surname stems and endings, combined for a few hundred more surnames
STEMS = _words(
    "Ash Brad Craw Dun Elling Fair Gold Hart Kings Lang Mel Nor Ox Pen Ros Stan Thorn Wal Whit Wood"
)
ENDINGS = _words("ley ford worth ton field by ham wick son stead")
PLACES = _words(
    "Oakfield Ashdown Riverside Kingsway Hillcrest Meadowbank Elmwood Brookside "
    "Fairview Westfield Northgate Southlands Greenacre Highfield Stonebridge "
    "Parkside Millbrook Beechwood Cedar Willowbank Castle Abbey Lakeside Moorland "
    "Orchard Foxhill Heathfield Larkrise"
)
ORG_KINDS = {
    "education": ("Primary School", "Academy", "High School", "College", "Tuition Centre"),
    "early_years": ("Nursery", "Pre-School", "Day Nursery"),
    "residential": ("Children's Home", "House"),
    "fostering": ("Fostering Agency", "Foster Care"),
    "health": ("Hospital", "Health Centre"),
    "social_care": ("Children's Services", "Youth Justice Team"),
    "sports": ("Football Club", "Swimming Club", "Gymnastics Club"),
    "faith": ("Church", "Mosque", "Gurdwara", "Synagogue"),
    "transport": ("Taxis", "Travel"),
    "youth": ("Youth Club", "Scouts", "Cadets"),
    "police": ("Police",),
    "care_provider": ("Home Care",),
    "secure_estate": ("Secure Training Centre",),
    "supported_accommodation": ("Supported Living",),
    "other": ("Services Ltd", "Community Trust"),
    None: ("Organisation",),
}
ROLES = {
    "education": ("teacher", "teaching assistant", "PE teacher", "supply teacher", "tutor"),
    "early_years": ("nursery practitioner", "childminder"),
    "residential": ("residential support worker", "home manager"),
    "fostering": ("foster carer",),
    "sports": ("coach", "volunteer coach"),
    "faith": ("youth leader", "volunteer"),
    "transport": ("taxi driver", "passenger escort"),
}
