"""The casebook on the command line: logs, search, similar, export.

Thin commands over ``crumail.store.search`` and ``crumail.files.export``; every
command that prints takes ``--json`` for scripts.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click

from crumail.cli import trail
from crumail.cli.app import Context, main, pass_ctx
from crumail.errors import CrumailError
from crumail.lognumber import normalise
from crumail.store import search as casebook

KINDS = ("circulation", "forwarded_circulation", "referral", "force_query",
         "acknowledgement", "out_of_office", "other", "referenced")
WIDTH = 100


def _log_argument(value: str) -> str:
    log = normalise(value)
    if log is None:
        raise click.BadParameter(f"{value!r} is not a log number (expected N/YY, e.g. 1355/22)")
    return log


def _json(value: object) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _table(rows: list[dict], columns: list[tuple[str, str, int]]) -> None:
    """Fixed-width columns: (key, heading, width); the last column runs on."""
    def line(values: list[str]) -> str:
        cells = [v[:w].ljust(w) for v, (_, _, w) in zip(values[:-1], columns[:-1])]
        return "  ".join([*cells, values[-1]]).rstrip()

    click.echo(line([h for _, h, _ in columns]))
    for row in rows:
        click.echo(line(["-" if row.get(k) is None else str(row[k]) for k, _, _ in columns]))


# -- logs --------------------------------------------------------------------

@main.group()
def logs() -> None:
    """The casebook's logs: list them, show one."""


@logs.command("list")
@click.option("--year", type=int, help="Only logs of this year (23 or 2023).")
@click.option("--force", help="Only logs logged with a force whose name contains this.")
@click.option("--kind", type=click.Choice(KINDS),
              help="Only logs whose own mail is of this kind ('referenced': only mentioned).")
@click.option("--limit", type=int, help="At most this many logs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def logs_list(ctx: Context, year: int | None, force: str | None, kind: str | None,
              limit: int | None, as_json: bool) -> None:
    """List logs, newest first."""
    rows = casebook.list_logs(ctx.db, year=year, force=force, kind=kind, limit=limit)
    if as_json:
        _json(rows)
        return
    _table(rows, [("log", "LOG", 9), ("kind", "KIND", 21), ("circulation_date", "CIRCULATED", 10),
                  ("question_count", "QS", 3), ("advice_count", "ADV", 3),
                  ("last_seen", "LAST SEEN", 10), ("logged_with", "LOGGED WITH", 0)])
    click.echo(f"{len(rows)} log(s)", err=True)


@logs.command("show")
@click.argument("log", callback=lambda c, p, v: _log_argument(v))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def logs_show(ctx: Context, log: str, as_json: bool) -> None:
    """Show LOG: its fields, each question with its advice, links, messages."""
    record = casebook.get_log(ctx.db, log)
    if record is None:
        raise CrumailError(f"log {log} is not in the casebook (see `crumail logs list`)")
    trail.note(ctx, "view_log", f"log {log}")
    if as_json:
        _json(record)
        return
    click.echo("\n".join(_show_lines(record)))


def _show_lines(r: dict) -> list[str]:
    lines = [f"Log {r['log']}  ({r['kind'] or 'referenced only'})"]
    for key in ("circulation_date", "case_worker", "logged_with", "sent_from", "protective_marking"):
        lines.append(f"  {key.replace('_', ' '):<19}{r[key] or '-'}")
    lines.append(f"  {'handling caveats':<19}{', '.join(r['handling_caveats']) or '-'}")
    lines.append(f"  {'exemptions':<19}{', '.join(r['exemptions']) or '-'}")
    lines.append(f"  {'seen':<19}{r['first_seen']} .. {r['last_seen']} in {r['message_count']} message(s)")
    for advice in r["general_advice"]:
        lines += ["", f"General advice{' (' + advice['heading'] + ')' if advice['heading'] else ''}:"]
        lines += _wrap(advice["text"], "    ")
    for q in r["questions"]:
        lines += ["", f"Q{q['number']} ({q['label'] or '-'})"]
        lines += _wrap(q["text"], "    ")
        for advice in q["advice"]:
            lines.append(f"  advice {advice['heading'] or ''}:")
            lines += _wrap(advice["text"], "    | ")
    lines += ["", "Linked logs:"] + [_link_line(link) for link in r["links"]] if r["links"] else []
    lines += ["", "Messages:"]
    lines += [f"  #{m['message']}{'/' + m['path'] if m['path'] else ''}  {m['role']:<8} "
              f"{(m['seen_at'] or '')[:10]}  {m['subject'] or ''}" for m in r["messages"]]
    return lines


def _link_line(link: dict) -> str:
    arrow = "->" if link["direction"] == "to" else "<-"
    text = f"  {arrow} {link['log']}"
    if link["their_questions"]:
        pairs = ", ".join(f"our Q{o} = their Q{t}"
                          for o, t in zip(link["our_questions"], link["their_questions"]))
        text += f"  ({pairs})"
    return text


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent) or [indent]


# -- search and similar ------------------------------------------------------

@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, help="At most this many hits.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def search_command(ctx: Context, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Search questions and advice for QUERY (every word, else any), best first."""
    hits = casebook.search(ctx.db, " ".join(query), limit=limit)
    trail.note(ctx, "search", query=" ".join(query), results=len(hits))
    if as_json:
        _json([h.as_dict() for h in hits])
        return
    for hit in hits:
        where = f"Q{hit.questions[0]}" if hit.source == "question" else (
            f"advice {hit.label or ''}".strip() or "advice")
        click.echo(f"{hit.log:<9} {where:<14} {' '.join(hit.snippet.split())}")
    click.echo(f"{len(hits)} hit(s)", err=True)


@main.command()
@click.argument("log", callback=lambda c, p, v: _log_argument(v))
@click.option("--limit", default=3, show_default=True, help="Precedents per question.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def similar(ctx: Context, log: str, limit: int, as_json: bool) -> None:
    """For each question of LOG, the closest questions of earlier logs and
    the advice they received (logs the circulation cross-references first)."""
    found = casebook.similar(ctx.db, log, limit=limit)
    if not found and casebook.get_log(ctx.db, log) is None:
        raise CrumailError(f"log {log} is not in the casebook (see `crumail logs list`)")
    trail.note(ctx, "view_log", f"log {log}")
    if as_json:
        _json([q.as_dict() for q in found])
        return
    for question in found:
        click.echo(f"Q{question.question}: {_short(question.text, 90)}")
        for p in question.precedents:
            click.echo(f"  {p.log} Q{p.question} ({p.via}, similarity {p.similarity:.2f}): {_short(p.text, 70)}")
            for advice in p.advice:
                click.echo(f"    advice {advice.heading or '(general)'}: {_short(advice.text, 80)}")
        if not question.precedents:
            click.echo("  no earlier log asked this")


def _short(text: str, width: int) -> str:
    return textwrap.shorten(" ".join(text.split()), width, placeholder=" …")


# -- export ------------------------------------------------------------------

@main.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True,
              help="xlsx: one workbook, sheets Logs and Questions. csv: see --what.")
@click.option("--output", "-o", required=True, metavar="FILE",
              help="File to write ('-' for standard output, csv with --what logs|questions only).")
@click.option("--what", type=click.Choice(["both", "logs", "questions"]), default="both",
              show_default=True,
              help="csv only: 'both' writes FILE-logs.csv and FILE-questions.csv beside FILE; "
                   "'logs' or 'questions' writes that table to FILE itself.")
@click.option("--year", type=int, help="Only logs of this year (and their questions).")
@click.option("--force", help="Only logs logged with a force whose name contains this.")
@click.option("--kind", type=click.Choice(KINDS), help="Only logs of this kind.")
@pass_ctx
def export(ctx: Context, fmt: str, output: str, what: str, year: int | None,
           force: str | None, kind: str | None) -> None:
    """Export logs and questions (each with the advice covering it) to CSV or XLSX.

    Cells are never written as spreadsheet formulas (CSV cells starting with
    = + - @ get a leading quote)."""
    from crumail.files import export as exporter

    if output == "-" and (fmt == "xlsx" or what == "both"):
        raise click.UsageError("standard output takes one CSV table: add --what logs or --what questions")
    data = exporter.tables(ctx.db, year=year, force=force, kind=kind)
    try:
        written = (exporter.write_xlsx(data, Path(output)) if fmt == "xlsx"
                   else exporter.write_csv(data, output if output == "-" else Path(output), what))
    except OSError as exc:
        raise CrumailError(f"cannot write {output}: {exc.strerror or exc}") from None
    trail.note(ctx, "export", f"{what}.{fmt}", output=str(output), marking=data.marking,
               filters={"year": year, "force": force, "kind": kind},
               rows={"logs": len(data.logs), "questions": len(data.questions)})
    if output != "-":
        click.echo(f"{data.marking}: {len(data.logs)} log(s), {len(data.questions)} question(s) -> "
                   + ", ".join(str(w) for w in written))
