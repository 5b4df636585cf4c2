"""Transcript tests of the referral conversation: send a line, expect the reply."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from dialogs.config import ChatSettings
from dialogs.engine import ConversationNotFound, Engine
from dialogs.script import check_script
from dialogs.sweep import sweep
from intake.conversations import Conversations
from store.engine import Database
from store.repo import messages as message_repo
from store.repo.referrals import children_of, get_by_reference
from tests.dialogs.harness import (
    ACCOUNT,
    AUTHORITY,
    NOW,
    Chat,
    FakeTriager,
    answer_everything,
    make_engine,
)
from triage.result import ExtractedFields
from triage.vocab import Suggestion


def test_the_script_covers_every_essential_detail() -> None:
    assert check_script() == []


async def _referral(db: Database, reference: str):  # type: ignore[no-untyped-def]
    async with db.session() as session:
        return await get_by_reference(session, reference=reference)


async def test_happy_path_ends_in_the_queue_with_guidance(db: Database) -> None:
    chat = Chat(make_engine(db))
    opening = await chat.start()
    assert "immediate danger" in opening.text and opening.expects == "immediate_danger"
    assert [c.label for c in opening.choices] == ["Yes", "No", "Don't know"]
    reply = await chat.say("no", "in your own words")
    assert reply.expects == "what_happened"
    reply = await chat.send(ACCOUNT)
    assert reply.resume_code and reply.resume_code in reply.text
    assert chat.conversation_id in reply.text
    summary = await answer_everything(chat)
    assert summary.step == "confirm"
    labels = {item.key: item for item in summary.summary}
    assert labels["adult_name"].answer == "David Dean"
    assert labels["adult_dob"].answer == "14 March 1985"
    assert labels["adult_address"].answer == "Not known"
    assert labels["adult_name"].change == "change adult_name"
    assert [c.value for c in summary.choices] == ["submit", "change"]

    done = await chat.send("submit")
    assert done.done and done.reference and done.reference.startswith("LADO-")
    assert done.resume_code and done.resume_code in done.text
    for words in ("within 24 hours", "do not interview", "do not tell the adult", "01632 960111"):
        assert words in done.text, words

    referral = await _referral(db, done.reference)
    assert referral.channel == "chat" and referral.kind == "concern"
    assert referral.narrative == ACCOUNT
    assert referral.adult_name == "David Dean"
    assert referral.adult_dob == dt.date(1985, 3, 14)
    assert referral.referrer_email == "jo.bloggs@oakfield.sch.uk"
    assert referral.sector == "education"
    assert referral.incident_on == dt.date(2026, 11, 25)
    assert referral.triage_suggestion == "REFERRAL"
    assert referral.triage_evidence[0]["text"] == "grabbed"
    assert not referral.incomplete and not referral.immediate_danger
    async with db.session() as session:
        kids = await children_of(session, referral_id=referral.id)
        transcript = await message_repo.messages_of_conversation(
            session, conversation_id=chat.conversation_id
        )
    assert [(k.name, k.age, k.looked_after) for k in kids] == [("A.B.", 8, False)]
    # every turn stored, in and out, linked to the referral; the codes never stored
    assert len(transcript) == 2 * len(chat.replies) - 1
    assert {m.referral_id for m in transcript} == {referral.id}
    assert all(done.resume_code not in m.body_text for m in transcript)
    assert "[code shown to the referrer]" in transcript[-1].body_text

    # after submission, more text is added to the report
    extra = await chat.say("His name is spelt Deane.", "added that to your report")
    assert extra.done and extra.reference == done.reference


async def test_a_detailed_first_message_means_fewer_questions(db: Database) -> None:
    found = ExtractedFields(
        adult_name="David Dean",
        adult_role="PE teacher",
        employer="Oakfield Primary School",
        sector="education",
        employment_basis="paid",
        children_ages=[8],
        child_name="Sam",
        incident_date=dt.date(2026, 11, 25),
        aware_date=dt.date(2026, 11, 25),
        location="the changing rooms",
        in_work="in_work",
        police_informed=False,
        csc_informed=False,
        parents_informed=True,
        adult_status="working",
        adult_informed=False,
        restraint=False,
        injury="a red mark",
    )
    plain = Chat(make_engine(db))
    await plain.start()
    await plain.send("no")
    await plain.send(ACCOUNT)
    await answer_everything(plain)

    rich = Chat(make_engine(db, FakeTriager(found=found)))
    await rich.start()
    await rich.send("no")
    noted = await rich.say(ACCOUNT, "we have noted")
    assert "Adult's full name: David Dean" in noted.text
    summary = await answer_everything(rich)
    assert len(rich.asked()) <= len(plain.asked()) - 15
    for key in ("adult_name", "employer", "child_age", "incident_date", "police_informed"):
        assert key not in rich.asked()
    sources = {item.key: item.source for item in summary.summary}
    assert sources["adult_name"] == "found" and sources["referrer_name"] == "told"


async def test_corrections_back_and_change(db: Database) -> None:
    chat = Chat(make_engine(db))
    await chat.start()
    await chat.send("no")
    await chat.send(ACCOUNT)
    await chat.say("Jo Bloggs", "phone number or email")
    back = await chat.say("back", "What is your name?")
    assert "Your answer so far: Jo Bloggs" in back.text
    assert back.choices[0].value == "keep"
    await chat.say("Joanna Bloggs", "phone number or email")
    summary = await answer_everything(chat)
    assert {i.key: i.answer for i in summary.summary}["referrer_name"] == "Joanna Bloggs"

    which = await chat.say("change", "Which answer")
    assert "change adult_name" in [c.value for c in which.choices]
    ask = await chat.say("change the adult's name", "full name of the adult")
    assert ask.expects == "adult_name"
    again = await chat.send("David Deane")
    assert again.step == "confirm"
    assert {i.key: i.answer for i in again.summary}["adult_name"] == "David Deane"
    # a structured change (e.g. an Adaptive Card button) works the same way
    card = await chat.send(value={"command": "change", "key": "child_age"})
    assert card.expects == "child_age"
    await chat.send("9")
    # and a structured submit of several answers at once
    fixed = await chat.send(value={"answers": {"location": "The sports hall", "adult_dob": "x"}})
    assert "date" in fixed.text.lower() and fixed.step == "confirm"
    assert {i.key: i.answer for i in fixed.summary}["location"] == "The sports hall"
    done = await chat.send("send report")
    referral = await _referral(db, str(done.reference))
    assert referral.adult_name == "David Deane" and referral.location == "The sports hall"


async def test_skip_and_dont_know(db: Database) -> None:
    chat = Chat(make_engine(db))
    await chat.start()
    await chat.say("not sure", "at risk of harm right now, call 999")
    await chat.send(ACCOUNT)
    refused = await chat.say("skip", "cannot be accepted")
    assert refused.expects == "referrer_name"
    refused = await chat.say("I don't know", "cannot be accepted")
    await chat.send("Jo Bloggs")
    refused = await chat.say("don't know", "cannot be accepted")
    assert refused.expects == "referrer_contact"
    await chat.send("07911 123456")
    await chat.say("why", "how you know about this")
    summary = await answer_everything(chat, {"adult_name": "I don't know", "adult_dob": "skip"})
    answers = {i.key: i.answer for i in summary.summary}
    assert answers["adult_name"] == "Not known" and answers["adult_dob"] == "Not known"
    assert answers["immediate_danger"] == "Not known"
    done = await chat.send("submit")
    referral = await _referral(db, str(done.reference))
    assert referral.adult_name is None and referral.details["adult_name"] == "unknown"
    assert referral.referrer_phone == "07911 123456"


async def test_cancel(db: Database) -> None:
    chat = Chat(make_engine(db))
    await chat.start()
    await chat.send("no")
    await chat.send(ACCOUNT)
    await chat.say("cancel", "Do you want to cancel")
    await chat.say("no", "What is your name?")
    await chat.say("cancel", "Do you want to cancel")
    gone = await chat.say("yes", "cancelled")
    assert gone.ended
    await chat.say("hello?", "was cancelled")
    async with db.session() as session:
        conn = await session.connection()
        assert (await conn.execute(text("SELECT count(*) FROM referral"))).scalar_one() == 0
        status = await conn.execute(
            text("SELECT status FROM conversation_state WHERE id = :id"),
            {"id": chat.conversation_id},
        )
        assert status.scalar_one() == "cancelled"
    again = await chat.say("start again", "start again")
    assert again.expects == "immediate_danger"


async def test_resume_after_a_restart_of_the_process(sqlite_url: str) -> None:
    first_db = Database(sqlite_url)
    chat = Chat(make_engine(first_db))
    await chat.start()
    await chat.send("no")
    told = await chat.send(ACCOUNT)
    code = told.resume_code
    await chat.send("Jo Bloggs")
    where = await chat.send("jo@example.org")
    assert where.expects == "referrer_role"
    await first_db.dispose()  # the process dies

    second_db = Database(sqlite_url)
    try:
        engine = make_engine(second_db)
        assert await engine.resume(chat.conversation_id, "WRONG-CODE") is None
        assert code is not None
        back = await engine.resume(chat.conversation_id.lower(), code.replace("-", ""))
        assert back is not None and back.expects == "referrer_role"
        assert "Welcome back" in back.text and "your role" in back.text
        chat.engine = engine
        await chat.say("Headteacher", "organisation")
        with pytest.raises(ConversationNotFound):
            await engine.handle("CH-NOPE-NOPE", "hello")
    finally:
        await second_db.dispose()


async def test_emergency_interrupt_mid_flow(db: Database) -> None:
    chat = Chat(make_engine(db))
    await chat.start()
    await chat.send("no")
    await chat.send(ACCOUNT)
    await chat.send("Jo Bloggs")
    await chat.send("07911 123456")
    alarm = await chat.send("He has just turned up and is with her right now, she is screaming")
    assert alarm.urgent and "call 999" in alarm.text and "01632 960222" in alarm.text
    assert "URGENT" in alarm.text
    summary = await answer_everything(chat)
    # only what is needed to act fast is asked after an emergency
    assert "adult_dob" not in chat.asked() and "referrer_is_dsl" not in chat.asked()
    assert {i.key: i.answer for i in summary.summary}["immediate_danger"] == "Yes"
    done = await chat.send("submit")
    assert "call 999" in done.text.lower()
    referral = await _referral(db, str(done.reference))
    assert referral.immediate_danger and referral.priority == 0
    assert "is with her right now" in referral.narrative


async def test_a_yes_to_the_first_question_is_an_emergency(db: Database) -> None:
    chat = Chat(make_engine(db, FakeTriager(suggestion=Suggestion.REFERRAL)))
    await chat.start()
    alarm = await chat.say("yes", "call 999")
    assert alarm.urgent and alarm.expects == "what_happened"


async def test_invalid_email_phone_and_date_are_retried(db: Database) -> None:
    chat = Chat(make_engine(db))
    await chat.start()
    await chat.send("no")
    await chat.send(ACCOUNT)
    await chat.send("Jo Bloggs")
    bad = await chat.say("jo@@school", "does not look like an email")
    assert bad.expects == "referrer_contact"
    await chat.say("call me on 12345", "does not look like a UK phone number")
    good = await chat.send("+44 7911 123456 or jo.bloggs@oakfield.sch.uk")
    assert good.expects == "referrer_role"
    summary = await answer_everything(
        chat,
        {
            "incident_date": "last Tuesday",
            "aware_date": "yesterday",
            "adult_dob": "3rd March 1980",
            "child_age": "six and nine",
            "children_count": "two",
        },
    )
    answers = {i.key: i.answer for i in summary.summary}
    assert answers["referrer_contact"] == "07911 123456, jo.bloggs@oakfield.sch.uk"
    assert answers["incident_date"] == "24 November 2026"  # the Tuesday before 25 Nov
    assert answers["aware_date"] == "24 November 2026"
    assert answers["adult_dob"] == "3 March 1980"
    assert answers["child_age"] == "6, 9"
    await chat.send("change incident_date")
    await chat.say("the day after tomorrow", "in the future")
    await chat.say("banana", "could not read that as a date")
    await chat.send("3rd March")
    await chat.send("change child age")
    await chat.say("19", "under 18")
    await chat.send("change adult_dob")
    await chat.say("01/01/2024", "gives an age of 2")
    long = await chat.say("x" * 5_001, "the limit is 5,000")
    assert long.expects == "adult_dob"


async def test_speak_to_someone_puts_a_callback_in_the_queue(db: Database) -> None:
    chat = Chat(make_engine(db))
    await chat.start()
    await chat.send("no")
    await chat.send(ACCOUNT)
    offer = await chat.say("I'd like to speak to someone", "01632 960111")
    assert "Monday to Friday" in offer.text and "call you back" in offer.text
    await chat.say("yes", "What phone number")
    await chat.say("0161 496 0000", "what is your name")
    done = await chat.say("Jo Bloggs", "call-back reference")
    assert done.expects == "referrer_name"  # and back where they were
    async with db.session() as session:
        conn = await session.connection()
        rows = (
            await conn.execute(text("SELECT kind, referrer_phone, referrer_name FROM referral"))
        ).all()
    assert [tuple(r) for r in rows] == [("callback", "0161 496 0000", "Jo Bloggs")]


async def test_abandoned_conversation_is_queued_as_incomplete(db: Database) -> None:
    engine = make_engine(db)
    chat = Chat(engine)
    await chat.start()
    await chat.send("no")
    told = await chat.send(ACCOUNT)
    await chat.send("Jo Bloggs")
    empty = Chat(engine)
    await empty.start()

    settings = ChatSettings()
    early = await sweep(engine.conversations, settings, now=chat.now + dt.timedelta(minutes=29))
    assert early.queued == [] and early.expired == 0
    later = chat.now + dt.timedelta(minutes=31)
    report = await sweep(engine.conversations, settings, now=later)
    assert len(report.queued) == 1 and report.expired == 1
    again = await sweep(engine.conversations, settings, now=later + dt.timedelta(minutes=40))
    assert again.queued == [] and again.expired == 0

    referral = await _referral(db, report.queued[0])
    assert referral.incomplete and referral.narrative == ACCOUNT
    assert referral.referrer_name == "Jo Bloggs" and referral.triage_suggestion == "REFERRAL"
    async with db.session() as session:
        transcript = await message_repo.messages_of_conversation(
            session, conversation_id=chat.conversation_id
        )
    assert {m.referral_id for m in transcript} == {referral.id}

    # the referrer comes back with the reference and code and completes it in place
    assert told.resume_code is not None
    back = await engine.resume(chat.conversation_id, told.resume_code, now=later)
    assert back is not None and report.queued[0] in back.text and back.expects == "referrer_contact"
    chat.now = later
    await answer_everything(chat)
    done = await chat.send("submit")
    assert done.reference == report.queued[0]
    completed = await _referral(db, report.queued[0])
    assert not completed.incomplete and completed.adult_name == "David Dean"
    async with db.session() as session:
        conn = await session.connection()
        assert (await conn.execute(text("SELECT count(*) FROM referral"))).scalar_one() == 1


async def test_an_urgent_conversation_is_queued_sooner(db: Database) -> None:
    engine = make_engine(db)
    chat = Chat(engine)
    await chat.start()
    await chat.send("yes")
    await chat.send(ACCOUNT)
    report = await sweep(
        engine.conversations, ChatSettings(), now=chat.now + dt.timedelta(minutes=6)
    )
    assert len(report.queued) == 1
    referral = await _referral(db, report.queued[0])
    assert referral.immediate_danger and referral.priority == 0 and referral.incomplete


async def test_engine_answers_without_a_triage(sqlite_db: Database) -> None:
    engine = Engine(Conversations(sqlite_db, None), AUTHORITY)
    chat = Chat(engine)
    await chat.start()
    await chat.send("no")
    await chat.send(ACCOUNT)
    await answer_everything(chat)
    done = await chat.send("submit")
    assert done.reference and "officer will read" in done.text
    assert chat.now > NOW


async def test_cancelling_after_being_queued_says_the_report_was_passed_on(
    sqlite_db: Database,
) -> None:
    engine = make_engine(sqlite_db)
    chat = Chat(engine)
    await chat.start()
    await chat.send("no")
    told = await chat.send(ACCOUNT)
    later = chat.now + dt.timedelta(minutes=31)
    report = await sweep(engine.conversations, ChatSettings(), now=later)
    assert told.resume_code is not None and len(report.queued) == 1
    chat.now = later
    await chat.say("hello again", report.queued[0])
    await chat.say("cancel", "Do you want to cancel")
    stopped = await chat.say("yes", "already passed to the LADO team")
    assert report.queued[0] in stopped.text and stopped.ended


async def test_emergency_while_checking_answers(sqlite_db: Database) -> None:
    chat = Chat(make_engine(sqlite_db))
    await chat.start()
    await chat.send("no")
    await chat.send(ACCOUNT)
    await answer_everything(chat)
    alarm = await chat.send("Wait - he has taken the boy and is threatening to hurt him")
    assert alarm.urgent and "call 999" in alarm.text and alarm.step == "confirm"
    assert {i.key: i.answer for i in alarm.summary}["immediate_danger"] == "Yes"
    done = await chat.send("submit")
    referral = await _referral(sqlite_db, str(done.reference))
    assert referral.immediate_danger and "threatening to hurt him" in referral.narrative
