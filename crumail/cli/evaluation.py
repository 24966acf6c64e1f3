"""``crumail eval``: how well crumail reads, and how well its checks find.

Two evaluations behind one command:

* ``crumail eval DIR``: ``crumail parse`` on every ``.eml``/``.msg`` in DIR
  against the ``NAME.expected.json`` beside it (crumail/extract/evaluate.py);
  exit status 0 only when everything matches;
* ``crumail eval --checks DIR``: recall and false positives of each outbound
  check on a labelled JSON-lines corpus such as ``tests/data/checks``
  (crumail/checks/evaluate.py, also ``python -m crumail.checks.evaluate``);
* ``crumail eval --attachments DIR``: recall of blocked cases and false
  blocks per kind on an attachment corpus such as ``tests/data/attachments``
  (crumail/checks/attachments/evaluate.py).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from crumail.cli.app import main


@main.command("eval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--checks", is_flag=True,
              help="Score the outbound checks on the labelled .jsonl cases in DIRECTORY instead.")
@click.option("--attachments", is_flag=True,
              help="Score the attachment inspection on DIRECTORY/cases.json instead.")
@click.option("--large", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="With --attachments: where the large cases were built (make_corpus.py --large DIR).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the extraction's report).")
@click.option("-v", "--verbose", is_flag=True, help="With --checks: list every miss and false positive.")
@click.option("--names-probe", is_flag=True,
              help="With --checks: also fill sentence templates with Faker names the corpus did not choose.")
def eval_command(directory: Path, checks: bool, attachments: bool, large: Path | None, as_json: bool,
                 verbose: bool, names_probe: bool) -> None:
    """Compare `crumail parse` on the .eml/.msg files in DIRECTORY with the
    NAME.expected.json beside each; print accuracy per field and overall, and
    every miss.  Exit status 0 when everything matches, 1 otherwise.

    With --checks, print each outbound check's recall and false positives on
    the labelled cases in DIRECTORY (e.g. tests/data/checks).  With
    --attachments, recall and false blocks per kind on DIRECTORY/cases.json
    (e.g. tests/data/attachments); exit status 0 when every case is right."""
    if attachments:
        _attachments(directory, large, verbose)
        return
    if checks:
        if as_json:
            raise click.UsageError("--json is for the extraction's report, not --checks")
        _checks(directory, verbose, names_probe)
        return
    if verbose or names_probe:
        raise click.UsageError("--verbose and --names-probe go with --checks")
    _extraction(directory, as_json)


def _extraction(directory: Path, as_json: bool) -> None:
    from crumail.extract.evaluate import evaluate

    report = evaluate(directory)
    if as_json:
        click.echo(json.dumps(_eval_json(report), indent=2, ensure_ascii=False))
    else:
        click.echo(str(report))
    sys.exit(0 if report.overall == 1.0 and not report.errors else 1)


def _eval_json(report) -> dict:
    body = asdict(report)
    body["overall"] = report.overall
    body["fields"] = {name: {"hits": hits, "total": total, "accuracy": report.accuracy(name)}
                      for name, (hits, total) in report.fields.items()}
    return body


def _attachments(directory: Path, large: Path | None, verbose: bool) -> None:
    from crumail.checks.attachments.evaluate import evaluate, table

    result = evaluate(directory, large)
    click.echo(table(result))
    for line in result.wrong if verbose else result.wrong[:20]:
        click.echo(line)
    sys.exit(0 if not result.wrong else 1)


def _checks(directory: Path, verbose: bool, names_probe: bool) -> None:
    from crumail.checks.evaluate import PROBE_TEMPLATES, class_table, evaluate, load_cases, name_probe, table

    result = evaluate(load_cases(directory))
    click.echo(table(result))
    if result.classes:
        click.echo("\n" + class_table(result))
    if verbose:
        for line in result.misses + result.extras:
            click.echo(line)
    if names_probe:
        blocked, flagged = name_probe()
        click.echo(f"names probe (800 Faker en_GB names in {len(PROBE_TEMPLATES)} templates): "
                   f"{blocked:.1%} blocked, {flagged:.1%} blocked or warned")
