"""The conversation with the real triage: a detailed first message pre-fills answers, so
fewer questions are asked, and the report keeps the triage's evidence."""

from __future__ import annotations

from dialogs.engine import Engine
from intake.conversations import Conversations
from intake.triager import ThreadTriager
from store.engine import Database
from store.repo.referrals import get_by_reference
from tests.dialogs.harness import ACCOUNT, AUTHORITY, Chat, answer_everything, make_engine

DETAILED = (
    "I am Jo Bloggs, the DSL at Oakfield Primary School (07911 123456). Yesterday a Year 4 "
    "boy, Sam (8), told me that Mr David Dean, our PE teacher, grabbed him by the arm in the "
    "changing rooms and left a bruise. The police have not been told and his parents were "
    "informed this afternoon. Mr Dean is still working."
)


async def test_a_detailed_account_is_read_by_the_real_triage(sqlite_db: Database) -> None:
    plain = Chat(make_engine(sqlite_db))  # a triage that finds nothing
    await plain.start()
    await plain.send("no")
    await plain.send(ACCOUNT)
    await answer_everything(plain)

    chat = Chat(Engine(Conversations(sqlite_db, ThreadTriager()), AUTHORITY))
    await chat.start()
    await chat.send("no")
    noted = await chat.say(DETAILED, "we have noted")
    assert "David Dean" in noted.text and "07911 123456" in noted.text
    summary = await answer_everything(chat)
    asked = chat.asked()
    for key in ("adult_role", "employer", "sector", "parents_informed", "referrer_contact"):
        assert key not in asked, key
    assert len(asked) < len(plain.asked()) - 6
    found = {i.key: i for i in summary.summary}
    assert found["employer"].source == "found" and found["referrer_name"].source == "told"
    done = await chat.send("submit")
    assert done.reference is not None
    async with sqlite_db.session() as session:
        referral = await get_by_reference(session, reference=done.reference)
    assert referral.triage_suggestion in ("REFERRAL", "CONSULTATION")
    assert any("grabbed" in e["text"] for e in referral.triage_evidence)
    assert referral.referrer_phone == "07911 123456" and referral.parents_informed is True
