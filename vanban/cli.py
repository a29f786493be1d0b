"""The `vanban` command line: a thin shell over the library."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from extract.errors import ExtractError

DEFAULT_DB = "vanban.db"


def db_option(f):
    return click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                        type=click.Path(dir_okay=False), help="SQLite database file.")(f)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log progress details.")
@click.version_option(package_name="vanban")
def cli(verbose: bool) -> None:
    """vanban: tasks, agencies, deadlines, targets and citations from Vietnamese
    administrative documents.

    \b
    Example:
        vanban ingest corpus/ && vanban serve
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--analyze", "with_nlp", is_flag=True, help="Also print the NLP findings.")
def extract(path: str, with_nlp: bool) -> None:
    """Print the structured Document of one file as JSON.

    \b
    Example:
        vanban extract corpus/000_84caea610c60ea8e.txt
    """
    from extract import extract_file
    from vanban.jsonout import document_json

    try:
        doc = extract_file(path)
    except ExtractError as e:
        raise click.ClickException(f"{e} [{e.reason}]") from e
    out = document_json(doc)
    if with_nlp:
        from nlp.pipeline import analyze
        from vanban.records import records

        out["findings"] = records(doc, analyze(doc))
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--corpus", "corpus_dirs", multiple=True, type=click.Path(exists=True),
              help="Where the gold files' sources are (repeatable). Default: corpus/, "
                   "../shared/seeds, ../shared/corpus.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--min-task-f1", type=float, default=None,
              help="Exit non-zero when micro task F1 falls below this.")
def eval_cmd(gold_dir: str, corpus_dirs: tuple[str, ...], as_json: bool,
             min_task_f1: float | None) -> None:
    """Score extraction against gold files (micro and per document).

    \b
    Example:
        vanban eval ../shared/eval/gold --corpus ../shared/seeds --corpus ../shared/corpus
    """
    from vanban.evalrun import format_report, run_eval

    dirs = corpus_dirs or ("corpus", "../shared/seeds", "../shared/corpus")
    result = run_eval(Path(gold_dir), [Path(d) for d in dirs if Path(d).exists()])
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        click.echo(format_report(result))
    if min_task_f1 is not None and result["summary"]["micro"]["tasks"]["f1"] < min_task_f1:
        raise SystemExit(1)


def main() -> None:  # pragma: no cover
    cli()
