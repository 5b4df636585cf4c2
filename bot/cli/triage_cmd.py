"""``lado triage``: run the triage on text, measure it on labelled cases, check the rules.

    lado triage referral.txt            one text; a readable result
    lado triage - --json < email.txt    one text from stdin; the result as JSON
    lado triage --jsonl in.jsonl        many texts; one JSON result line each
    lado triage eval cases.jsonl        accuracy, threshold recall... on labelled cases
    lado triage rules check             validate the rule files
    lado triage net train               retrain the safety net from the labelled cases
    lado triage net loso                what the safety net adds on sets it was not trained on

Referral text is only ever written to stdout when the user asks for it; nothing is
logged.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

import triage
from bot.cli.common import EXIT_CONFIG, EXIT_FAILURE, EXIT_USAGE, print_json
from triage import evaluate
from triage.result import TriageResult
from triage.rules import RulesError
from triage.vocab import SUGGESTION_LABELS

_BATCH = 64
_PROGRESS_FROM = 50


class _DefaultGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, goes to ``assess``.

    Click groups cannot take a positional argument and subcommands at once, so
    ``lado triage FILE`` is rewritten to ``lado triage assess FILE``.
    """

    default_command = "assess"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args:
            if not sys.stdin.isatty():
                args = [self.default_command]
        elif args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


_NO_NET = click.option(
    "--no-net",
    is_flag=True,
    help="Run the rules alone, without the statistical safety net.",
)


def _triager(rules: Path | None, no_net: bool = False) -> Any:
    try:
        if rules is None and not no_net:
            return triage.default_triager()
        return triage.Triager(rules, safety_net=not no_net)
    except RulesError as exc:
        click.echo("The rule files have problems (run `lado triage rules check`):", err=True)
        for p in exc.problems[:10]:
            click.echo(f"  {p}", err=True)
        raise SystemExit(EXIT_CONFIG) from None


def _parse_received(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"received_at is not an ISO date-time: {value!r}") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def _known(pairs: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--known")
        out[key.strip()] = value.strip()
    return out


@click.group(
    cls=_DefaultGroup,
    invoke_without_command=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
def triage_group() -> None:
    """Triage text against the statutory harm criteria, with evidence.

    \b
    lado triage [FILE|-] [--json]      one text (a file, or - for stdin)
    lado triage --jsonl IN.jsonl       many texts: lines {"id", "text", "received_at"?}
    lado triage eval FILE.jsonl        measure on labelled cases ("expected" per line)
    lado triage rules check            validate the rule files

    The first form is the default: any first argument that is not a subcommand
    name is a file to assess (see `lado triage assess --help`). Exit codes: 0 ok;
    1 the job found a problem; 2 bad arguments or input; 3 the rule files are
    invalid.
    """


@triage_group.command("assess")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the TriageResult as JSON.")
@click.option(
    "--jsonl",
    "jsonl",
    type=click.File("r", encoding="utf-8"),
    help='Assess every line {"id", "text", "received_at"?} of this JSONL file (- for stdin); '
    "write one JSON result line per input, with the same id.",
)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where to write results (default stdout).",
)
@click.option(
    "--received-at",
    help="When the text was received (ISO date-time; default now). Relative dates such as "
    "'yesterday' are read against it.",
)
@click.option(
    "--known",
    multiple=True,
    metavar="KEY=VALUE",
    help="A detail already known (an essential-detail key or field name); repeatable.",
)
@click.option(
    "--rules",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Use this rule directory instead of the shipped rules.",
)
@_NO_NET
def assess_cmd(
    file: IO[str],
    as_json: bool,
    jsonl: IO[str] | None,
    output: IO[str],
    received_at: str | None,
    known: tuple[str, ...],
    rules: Path | None,
    no_net: bool,
) -> None:
    """Assess one text (FILE, or - for stdin) or, with --jsonl, many."""
    tri = _triager(rules, no_net)
    if jsonl is not None:
        bad = _assess_jsonl(tri, jsonl, output)
        if bad:
            click.echo(f"{bad} line(s) could not be assessed (see their 'error').", err=True)
            raise SystemExit(EXIT_USAGE)
        return
    text = file.read()
    try:
        result = tri.assess(text, known=_known(known), received_at=_parse_received(received_at))
    except ValueError as exc:
        click.echo(f"Cannot assess this input: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    if as_json:
        output.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
    else:
        output.write(format_result(result) + "\n")


def _read_jsonl(stream: IO[str]) -> Iterator[tuple[int, Any]]:
    for n, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, ValueError(f"line {n}: not valid JSON ({exc.msg})")


def _assess_jsonl(tri: Any, stream: IO[str], output: IO[str]) -> int:
    rows = list(_read_jsonl(stream))
    bad = 0
    batch: list[tuple[Any, dict[str, Any]]] = []

    def flush() -> None:
        if not batch:
            return
        results = tri.assess_many([item for _, item in batch], batch_size=_BATCH)
        for (ident, _), res in zip(batch, results, strict=True):
            output.write(json.dumps({"id": ident, **res.to_json_dict()}, ensure_ascii=False) + "\n")
        batch.clear()

    show = len(rows) >= _PROGRESS_FROM
    with click.progressbar(
        rows, label="triage", file=sys.stderr, show_pos=True, hidden=not show
    ) as bar:
        for n, obj in bar:
            ident = obj.get("id", n) if isinstance(obj, dict) else n
            try:
                if isinstance(obj, Exception):
                    raise obj
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    raise ValueError(f"line {n}: expected an object with a 'text' string")
                item = {
                    "text": obj["text"],
                    "known": obj.get("known") if isinstance(obj.get("known"), dict) else None,
                    "received_at": _parse_received(obj.get("received_at")),
                }
            except ValueError as exc:
                flush()
                output.write(json.dumps({"id": ident, "error": str(exc)}) + "\n")
                bad += 1
                continue
            batch.append((ident, item))
            if len(batch) >= _BATCH:
                flush()
        flush()
    return bad


def format_result(r: TriageResult) -> str:
    """A readable summary of a result for the terminal."""
    width = 96
    lines = [
        f"Suggestion:  {r.suggestion.value} ({SUGGESTION_LABELS[r.suggestion]}), "
        f"confidence {r.confidence:.2f}",
        f"Criteria:    {', '.join(c.value for c in r.criteria) or '-'}",
        f"Categories:  {', '.join(c.value for c in r.categories) or '-'}",
    ]

    def yn(v: bool | None) -> str:
        return "unknown" if v is None else ("yes" if v else "no")

    lines.append(
        f"Modifiers:   immediate danger {yn(r.immediate_danger)}; non-recent {yn(r.non_recent)}; "
        f"works with children {yn(r.works_with_children)}; harm by someone else "
        f"{yn(r.other_experiencer)}"
    )
    if r.flags:
        lines.append(f"Context:     {', '.join(r.flags)}")
    if r.redirect:
        lines.append(f"Redirect:    {r.redirect}")
    lines.append("Rationale:")
    lines.extend(
        textwrap.wrap(r.rationale, width=width, initial_indent="  ", subsequent_indent="  ")
    )
    if r.evidence:
        lines.append("Evidence:")
        for e in r.evidence:
            shown = " ".join(e.text.split())
            lines.append(f"  {e.label:<32} [{e.start}:{e.end}] {shown!r}")
    found = {k: v for k, v in r.fields.model_dump(mode="json").items() if v not in (None, [])}
    if found:
        lines.append("Fields:")
        lines.extend(f"  {k}: {v}" for k, v in found.items())
    if r.missing:
        lines.append(f"Missing ({len(r.missing)}): {', '.join(r.missing)}")
    if r.truncated:
        lines.append("Note: only the start of this very long text was read.")
    lines.append(f"Rules:       {r.rules_version}")
    return "\n".join(lines)


@triage_group.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (for scripts).")
@click.option(
    "--rules",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Use this rule directory instead of the shipped rules.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when a target is missed.")
@click.option("--quiet", "-q", is_flag=True, help="Leave out the list of wrong cases.")
@_NO_NET
def eval_cmd(
    file: Path, as_json: bool, rules: Path | None, strict: bool, quiet: bool, no_net: bool
) -> None:
    """Measure the triage on labelled cases in FILE.jsonl.

    Each line carries "text" and "expected" (a suggestion) and optionally "id",
    "sector", "criteria", "categories", "non_recent" and "received_at". Prints a
    confusion matrix, per-label precision and recall, threshold recall (expected in
    URGENT/REFERRAL/CONSULTATION and predicted in that same set), URGENT recall,
    accuracy, per-sector accuracy and the cases it got wrong.
    """
    try:
        cases = evaluate.load_cases(file)
    except ValueError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(EXIT_USAGE) from None
    if not cases:
        click.echo(f"{file.name}: no cases", err=True)
        raise SystemExit(EXIT_USAGE)
    tri = _triager(rules, no_net)
    results = tri.assess_many(
        [{"text": c.text, "received_at": c.received_at} for c in cases], batch_size=_BATCH
    )
    report = evaluate.evaluate(cases, results)
    if as_json:
        print_json({"file": str(file), "rules_version": tri.rules_version, **report.to_dict()})
    else:
        click.echo(
            evaluate.format_report(
                report, title=f"{file.name} (rules {tri.rules_version})", show_errors=not quiet
            )
        )
    if strict and not report.meets_targets:
        raise SystemExit(EXIT_FAILURE)


@triage_group.group("rules")
def rules_group() -> None:
    """The rule files (lexicons a LADO team can edit without touching code)."""


@rules_group.command("check")
@click.option(
    "--rules",
    type=click.Path(file_okay=False, path_type=Path),
    help="The rule directory to check (default: the shipped rules).",
)
@click.option("--json", "as_json", is_flag=True, help="Print {ok, problems, version} as JSON.")
def rules_check_cmd(rules: Path | None, as_json: bool) -> None:
    """Validate the rule files: YAML, fields, every term, regexes, and each lexicon's
    examples and counter-examples. Exit 1 when there are problems."""
    from triage.rules import check, load_rules

    problems = check(rules)
    version = None
    if not problems:
        version = load_rules(rules).version
    if as_json:
        print_json({"ok": not problems, "problems": problems, "version": version})
    elif problems:
        click.echo(f"{len(problems)} problem(s):")
        for p in problems:
            click.echo(f"  - {p}")
    else:
        click.echo(f"Rules OK (version {version}).")
    if problems:
        raise SystemExit(EXIT_FAILURE)


@triage_group.group("net")
def net_group() -> None:
    """The statistical safety net: a small text classifier, trained here from the
    labelled cases, that can raise ADVICE or LOW_LEVEL_CONCERN to REFERRAL, never
    lower anything (docs/triage.md)."""


_DATA = click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of labelled *.jsonl sets (default: tests/data/triage).",
)


@net_group.command("train")
@_DATA
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the weights (default: the shipped triage/model/safety_net.bin; "
    "the .json beside it records what they were made from).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.5, 0.99),
    default=0.7,
    show_default=True,
    help="The probability from which the net raises a suggestion.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the model's metadata as JSON.")
def net_train_cmd(data: Path | None, out: Path | None, threshold: float, as_json: bool) -> None:
    """Train the safety net on every labelled set (fixed seed: the same data give the
    same weights, a few seconds on one core)."""
    try:
        meta = triage.train_safety_net(data, out, threshold=threshold)
    except ValueError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(EXIT_USAGE) from None
    if as_json:
        print_json(meta)
    else:
        sets = ", ".join(f"{k} ({v['cases']})" for k, v in meta["trained_on"].items())
        click.echo(f"Trained on {meta['examples']} cases: {sets}.")
        click.echo(f"Weights written (threshold {threshold}, hash {meta['weights_sha256_8']}).")


@net_group.command("loso")
@_DATA
@click.option(
    "--threshold",
    type=click.FloatRange(0.5, 0.99),
    default=0.7,
    show_default=True,
    help="The probability from which the net raises a suggestion.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one object per set as JSON.")
def net_loso_cmd(data: Path | None, threshold: float, as_json: bool) -> None:
    """Leave one set out: for each labelled set, train the net on the other sets and
    compare, on that set, the rules alone with the rules and the net."""

    def progress(name: str) -> None:
        click.echo(f"  {name}...", err=True)

    try:
        rows = triage.safety_net_loso(data, threshold=threshold, progress=progress)
    except ValueError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(EXIT_USAGE) from None
    if as_json:
        print_json(rows)
        return
    click.echo("set            n   rules acc/recall   with net acc/recall/precision   raised")
    for r in rows:
        click.echo(
            f"{r['set']:<12} {r['n']:>4}   {r['rules_accuracy']:.3f} / "
            f"{r['rules_threshold_recall']:.3f}      {r['net_accuracy']:.3f} / "
            f"{r['net_threshold_recall']:.3f} / {r['net_threshold_precision'] or 0:.3f}"
            f"        {len(r['raised'])}"
        )


#: The group registered on ``lado`` (named ``triage``).
triage_group.name = "triage"
