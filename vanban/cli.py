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


def worker_options(f):
    """Options of the commands that run extraction in worker processes."""
    for opt in reversed([
        click.option("-j", "--jobs", type=int, default=None,
                     help="Worker processes (default: all cores)."),
        click.option("--timeout", type=float, default=300.0, show_default=True,
                     help="Seconds one file may take before it is recorded as timed out."),
        click.option("--memory-mb", type=int, default=2048, show_default=True,
                     help="Memory limit of a worker process."),
    ]):
        f = opt(f)
    return f


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


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@db_option
@worker_options
@click.option("--force", is_flag=True, help="Re-read files even when unchanged.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(paths: tuple[str, ...], db_path: str, jobs: int | None, timeout: float,
           memory_mb: int, force: bool, quiet: bool) -> None:
    """Extract, analyze and store every new or changed file under PATHS.

    Unchanged files are skipped, changed ones replaced, vanished ones marked withdrawn;
    a file that fails is recorded with its reason and the batch goes on.

    \b
    Example:
        vanban ingest corpus/ --db vanban.db
    """
    from vanban.ingest import discover
    from vanban.ingest import ingest as run_ingest

    total = len(discover(paths))
    with click.progressbar(length=total, label="ingest", file=sys.stderr,
                           show_pos=True, item_show_func=lambda x: x) as bar:
        def step(name: str) -> None:
            if not quiet:
                bar.update(1, name)

        s = run_ingest(paths, db_path, jobs=jobs, timeout=timeout, memory_mb=memory_mb,
                       force=force, progress=step)
    click.echo(f"run {s.run_id}: {s.seen} files seen, {s.ingested} ingested, "
               f"{s.skipped + s.unchanged} unchanged, {s.failed} failed, "
               f"{s.withdrawn} withdrawn, {s.tasks} tasks, {s.seconds:.2f} s")
    for path, reason, detail in s.failures:
        click.echo(f"  failed: {Path(path).name}: {reason}: {detail}", err=True)
    _echo_confidential(s.confidential)


def _echo_confidential(found: list[tuple[str, str]]) -> None:
    """"1 confidential document kept out of the site and exports: FILE (MẬT)"."""
    if found:
        names = ", ".join(f"{Path(p).name} ({mark})" for p, mark in found)
        noun = "document" if len(found) == 1 else "documents"
        click.echo(f"{len(found)} confidential {noun} kept out of the site and exports: {names}")


@cli.command()
@click.argument("what", type=click.Choice(["tasks", "targets", "documents"]))
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv", "xlsx"]),
              default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Output file (default: standard output; required for xlsx).")
@click.option("--agency", default=None, help="Agency name (predecessors and successors too).")
@click.option("--role", type=click.Choice(["lead", "support"]), default=None)
@click.option("--document", default=None, help="Document id or file name.")
@click.option("--from", "date_from", default=None, help="Deadline from (YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, help="Deadline to (YYYY-MM-DD).")
@click.option("--overdue", is_flag=True, help="Only tasks whose deadline has passed.")
@click.option("--sheet-per-agency", is_flag=True, help="XLSX: one sheet per agency.")
@click.option("--include-confidential", is_flag=True,
              help="Also export documents marked MẬT / TỐI MẬT / TUYỆT MẬT (left out by default).")
def export(what: str, db_path: str, fmt: str, output: str | None, agency: str | None,
           role: str | None, document: str | None, date_from: str | None, date_to: str | None,
           overdue: bool, sheet_per_agency: bool, include_confidential: bool) -> None:
    """Export tasks, targets or documents as JSONL, JSON, CSV (UTF-8 with BOM) or XLSX.

    \b
    Example:
        vanban export tasks --agency "Sở Tư pháp" --from 2025-01-01 --to 2025-06-30 \\
            --format xlsx -o out.xlsx
    """
    from schema.db import open_db
    from vanban import export as ex

    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx needs -o FILE")
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no database; run `vanban ingest` first")
    db = open_db(db_path)
    out = Path(output) if output else sys.stdout
    if what == "tasks":
        n = ex.export_tasks(db, fmt, out, agency=agency, role=role, document=document,
                            date_from=date_from, date_to=date_to, overdue=overdue,
                            sheet_per_agency=sheet_per_agency,
                            include_confidential=include_confidential)
    elif what == "targets":
        n = ex.export_targets(db, fmt, out, agency=agency, document=document,
                              date_from=date_from, date_to=date_to,
                              include_confidential=include_confidential)
    else:
        n = ex.export_documents(db, fmt, out, document=document, date_from=date_from,
                                date_to=date_to, include_confidential=include_confidential)
    if output:
        click.echo(f"{n} {what} written to {output}", err=True)


@cli.command()
@db_option
@click.option("--port", type=int, default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Listen address (loopback by default).")
def serve(db_path: str, port: int, host: str) -> None:
    """Serve the database with Datasette, the project's metadata and plugins.

    \b
    Example:
        vanban serve --db vanban.db --port 8001
    """
    from schema.db import open_db
    from vanban.serve import serve as run_serve

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no database; run `vanban ingest` first")
    open_db(db_path).conn.close()  # schema migrations before the site reads it
    run_serve(db_path, port=port, host=host)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@db_option
@click.option("--interval", type=float, default=2.0, show_default=True,
              help="Seconds between two looks at the folders.")
@click.option("--settle", type=float, default=3.0, show_default=True,
              help="Seconds a file's size and mtime must stay the same before it is read.")
@worker_options
def watch(paths: tuple[str, ...], db_path: str, interval: float, settle: float,
          jobs: int | None, timeout: float, memory_mb: int) -> None:
    """Ingest files under PATHS as they appear, change or vanish, until stopped.

    A file is read once it has stopped growing for --settle seconds; temporary names
    (*.part, *.crdownload, ~$*) are ignored. Ctrl-C or SIGTERM stops after the current
    batch and prints a summary.

    \b
    Example:
        vanban watch corpus/ --db vanban.db --interval 2 --settle 3
    """
    import signal
    import threading

    from vanban.watch import watch as run_watch

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    def batch(s) -> None:
        click.echo(f"run {s.run_id}: {s.ingested} ingested, {s.failed} failed, "
                   f"{s.withdrawn} withdrawn, {s.tasks} tasks, {s.seconds:.2f} s")
        for path, reason, detail in s.failures:
            click.echo(f"  failed: {Path(path).name}: {reason}: {detail}", err=True)
        _echo_confidential(s.confidential)

    click.echo(f"watching {', '.join(paths)} (Ctrl-C to stop)", err=True)
    t = run_watch(paths, db_path, interval=interval, settle=settle, jobs=jobs,
                  timeout=timeout, memory_mb=memory_mb, stop=stop, on_batch=batch)
    click.echo(f"stopped after {t.batches} batches, {t.seconds:.0f} s: {t.ingested} ingested, "
               f"{t.failed} failed, {t.withdrawn} withdrawn, {t.tasks} tasks")
    _echo_confidential(t.confidential)


def main() -> None:  # pragma: no cover
    cli()
