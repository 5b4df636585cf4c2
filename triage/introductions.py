"""Who is making the referral: "I'm the DSL at...", "Caller (parent) reports...",
"Nursery manager here", "A parent has complained..." — the mentions that introduce the
referrer, so that they are never taken for the adult the referral is about."""

from __future__ import annotations

from triage.clauses import REPORTING, SKIP
from triage.hits import Analysis
from triage.rules.models import Kind


def referrer_starts(a: Analysis) -> set[int]:
    """Token starts of the mentions that introduce the person making the referral."""
    return self_introduced(a) | third_person_reporters(a)


def self_introduced(a: Analysis) -> set[int]:
    """Token starts of the mentions in the writer's own introduction ("I'm the DSL at
    ..."): the person "I" and "we" refer to."""
    w = a.w
    out: set[int] = set()
    concern_sents = {c.sent for c in a.concerns}
    first_sent = a.sent_of[a.mentions[0].start] if a.mentions else 0
    for si, (s, e) in enumerate(a.sent_bounds):
        idx = [k for k in range(s, e) if not a.arr.space[k]]
        if not idx:
            continue
        low = [w.lower[k] for k in idx[:4]]
        intro = (
            (low[:1] == ["i"] and len(low) > 1 and low[1] in ("am", "'m", "m", "work"))
            or (low[:1] == ["as"] and len(low) > 1 and low[1] in SKIP)
            or low[:2] in (["my", "name"], ["my", "role"])
            or low[:1] in (["caller"], ["referrer"])
            or low[:2] == ["i", "'m"]
        )
        if intro:
            # the first clause of the introduction
            stop = e
            for k in idx[2:]:
                lk = w.lower[k]
                if lk in ("and", "but", "who", "that", ".", ";") or lk in REPORTING:
                    stop = k
                    break
                if lk == "," and k - s > 10:
                    stop = k
                    break
            out.update(m.start for m in a.mentions if s <= m.start < stop)
            continue
        last = [k for k in idx if not a.arr.punct[k]]
        if last and w.lower[last[-1]] == "here" and si not in concern_sents:
            out.update(m.start for m in a.mentions if s <= m.start < e)
            continue
        about = {
            "re",
            "re:",
            "about",
            "regarding",
            "concerning",
            "concern",
            "against",
            "allegation",
        }
        if (
            si == first_sent
            and len(idx) <= 10
            and si not in concern_sents
            and not about & {w.lower[k] for k in idx}
        ):
            # "Safeguarding lead nurse at the hospital." / "Ward sister, children's ward."
            out.update(
                m.start
                for m in a.mentions
                if s <= m.start < e and m.kind is Kind.ROLE and m.start <= idx[min(2, len(idx) - 1)]
            )
    return out


def third_person_reporters(a: Analysis) -> set[int]:
    """Token starts of people said to have reported something ("mum rang us", "the
    manager reported"): they told the writer, so they are not "I" or "we"."""
    w = a.w
    out: set[int] = set()
    for m in a.mentions:
        if m.kind is Kind.CHILD or m.kind is Kind.SETTING:
            continue
        reporting = m.kind in (Kind.FAMILY, Kind.PUBLIC) or m.lex.reporting
        if not reporting or m.end >= len(w.text):
            continue
        k = m.end
        while k < len(w.text) and w.lower[k] in ("has", "have", "had", "just", "then", "also"):
            k += 1
        if k < len(w.text) and w.lower[k] in (
            "reports",
            "reported",
            "rang",
            "called",
            "emailed",
            "says",
            "said",
            "showed",
            "flagging",
            "contacted",
            "raised",
            "complained",
            "told",
            "noticed",
            "found",
            "asked",
            "wants",
            "rung",
            "notified",
            "is",
            "was",
            "overheard",
            "saw",
            "witnessed",
            "heard",
            "filmed",
            "spotted",
            "discovered",
        ):
            if w.lower[k] in ("is", "was") and not (
                k + 1 < len(w.text) and w.lower[k + 1] in ("unhappy", "furious", "worried", "angry")
            ):
                continue
            out.add(m.start)
    return out
