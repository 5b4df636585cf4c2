"""Email intake: 1,000 mixed emails (a quarter with attachments) from the maildir
source into PostgreSQL, through the real `lado poll --once` (parse, forms, triage,
store, acknowledge, move). Target (issue 6): ≤ 60 s on this machine. A second run
over the same mail must add nothing (dedupe on mailbox + Message-ID).

Prints one JSON line. The PostgreSQL schema is created for the run and dropped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from bench.common import LADO, bench_schema

N_EMAILS = int(os.environ.get("LADO_BENCH_EMAILS", "1000"))
TARGET_SECONDS = 60.0
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "mail" / "corpus"
WITH_ATTACHMENTS = [
    "07_word_form_attached.eml",
    "08_pdf_form_fields.eml",
    "09_pdf_flattened_scan.eml",
    "10_blank_form_attached.eml",
    "33_executable_attachment.eml",
    "45_winmail_dat.eml",
    "05_forward_rfc822_attached.eml",
]
PLAIN = [
    "01_plain_teacher_concern.eml",
    "02_html_only_outlook.eml",
    "03_outlook_related_inline_logo.eml",
    "04_forward_inline_chain.eml",
    "11_latin1_declared_cp1252_bytes.eml",
    "12_missing_charset_utf8.eml",
    "15_quoted_printable_cp1252.eml",
    "16_base64_utf8.eml",
    "20_out_of_office_outlook.eml",
    "24_mailing_list.eml",
    "28_x_auto_response_suppress.eml",
    "35_reply_with_outlook_quote.eml",
    "37_display_name_spoof.eml",
    "41_signature_disclaimer.eml",
    "42_urgent_child_danger.eml",
    "43_sent_from_iphone.eml",
]
_MID = re.compile(rb"^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*\r?\n", re.I | re.M)


def generate(folder: Path, n: int) -> int:
    """Write ``n`` emails; returns how many carry attachments."""
    templates = {name: (CORPUS / name).read_bytes() for name in WITH_ATTACHMENTS + PLAIN}
    attached = 0
    for i in range(n):
        if i % 4 == 0:
            name = WITH_ATTACHMENTS[(i // 4) % len(WITH_ATTACHMENTS)]
            attached += 1
        else:
            name = PLAIN[i % len(PLAIN)]
        raw = _MID.sub(b"", templates[name], count=1)
        raw = f"Message-ID: <bench-{i}@bench.example.org>\r\n".encode() + raw
        (folder / f"m{i:05d}.eml").write_bytes(raw)
    return attached


def _poll(env: dict[str, str], cwd: Path) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    done = subprocess.run(
        [LADO, "poll", "--once", "--json"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"lado poll exited {done.returncode}: {done.stderr[-2000:]}")
    elapsed = time.perf_counter() - started
    return elapsed, json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    with (
        bench_schema("lado_bench_mail") as url,
        tempfile.TemporaryDirectory(prefix="lado-bench-mail-", ignore_cleanup_errors=True) as tmp,
    ):
        work = Path(tmp)
        folder = work / "mail"
        folder.mkdir()
        attached = generate(folder, N_EMAILS)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("LADO_")},
            "LADO_DATABASE_URL": url,
            "LADO_MAIL__SOURCE": f"maildir:{folder}",
            "LADO_MAIL__MAILDIR__MIN_AGE_SECONDS": "0",
            "LADO_MAIL__ACK_LIMIT_PER_SENDER": "1000",
            "LADO_LOG_LEVEL": "WARNING",
        }
        load_before = Path("/proc/loadavg").read_text().split()[:3]
        first_seconds, first = _poll(env, work)
        # the same mail again: put every processed file back in the inbox
        for sub in ("processed", "quarantine"):
            for path in (folder / sub).glob("*.eml"):
                shutil.move(path, folder / path.name)
        second_seconds, second = _poll(env, work)
        with psycopg.connect(url) as conn:
            referrals = conn.execute("SELECT COUNT(*) FROM referral").fetchone()
            inbound = conn.execute("SELECT COUNT(*) FROM message WHERE direction='in'").fetchone()
            outbound = conn.execute("SELECT COUNT(*) FROM message WHERE direction='out'").fetchone()
        added = sum(second.get(k, 0) for k in ("created", "threaded", "automated", "quarantined"))
        ok = (
            first["fetched"] == N_EMAILS
            and first_seconds <= TARGET_SECONDS
            and second["duplicates"] == N_EMAILS
            and added == 0
            and inbound is not None
            and inbound[0] == N_EMAILS
        )
        print(
            json.dumps(
                {
                    "benchmark": "mail_ingest",
                    "ok": ok,
                    "emails": N_EMAILS,
                    "with_attachments": attached,
                    "seconds": round(first_seconds, 2),
                    "emails_per_second": round(N_EMAILS / first_seconds, 1),
                    "outcomes": {k: v for k, v in first.items() if isinstance(v, int) and v},
                    "second_run_seconds": round(second_seconds, 2),
                    "second_run_added": added,
                    "referrals": referrals[0] if referrals else None,
                    "acknowledgements": outbound[0] if outbound else None,
                    "target_seconds": TARGET_SECONDS,
                    "loadavg_before": load_before,
                    "database": "postgresql",
                }
            )
        )
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
