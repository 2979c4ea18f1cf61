"""Command line: argument parsing only; the work is done by the API.

Exit codes: 0 everything analysed; 1 finished, but some inputs were skipped
(see skipped.csv); 2 nothing analysed, or nothing could be done (bad arguments,
a non-empty output folder without --overwrite, missing model, broken lexicon);
3 an internal error (a bug: the message asks to report it); 130 interrupted by
Ctrl-C (what was complete is published, marked incomplete in run.json).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_SKIPPED, EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _reading_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("input records (JSONL/CSV)")
    g.add_argument("--outlet", default="", help="outlet name for inputs that do not name one")
    for name in ("id", "text", "title", "outlet", "date", "url"):
        g.add_argument(f"--{name}-column", default=name, metavar="C", help=f"field holding the {name} (default: {name})")


def _analysis_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--out", required=True, type=Path, help="output folder (created if missing)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace everything in a non-empty output folder (an earlier mediaeval run) or an unfinished run")
    p.add_argument("--language-check", choices=("on", "off"), default="on",
                   help="skip articles that are confidently not English (default: on)")
    p.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                   help="extra loaded-terms lexicon (CSV); adds or overrides entries; repeatable")
    p.add_argument("--agency-lexicon", metavar="FILE",
                   help="agency/power verb lexicon in the Sap et al. 2017 format (verb,agency,power)")
    p.add_argument("--agencies", metavar="FILE",
                   help="news-agency table (CSV, the columns of the bundled agencies.csv) to use instead of it")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("--model", help="spaCy pipeline name or path (default: $MEDIAEVAL_SPACY_MODEL, then en_core_web_sm)")
    p.add_argument("--fast", action="store_true",
                   help="parse without named-entity recognition (about 40 %% faster; see README 'Speed')")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary on stderr")
    _reading_options(p)


def _run_flags(p: argparse.ArgumentParser) -> None:
    """Resume, append, engines and paging: every analyze/compare run commits Parquet parts."""
    from .durable_run import BATCH_SIZE
    from .runner import INDEX_PAGE_SIZE

    g = p.add_argument_group("long runs (see README 'Large corpora')")
    g.add_argument("--resume", action="store_true", help="continue an unfinished run (killed, or stopped with "
                   "Ctrl-C) with the same inputs and options; finished articles are not analysed again")
    g.add_argument("--append", action="store_true", help="add these inputs to the finished run in OUT "
                   "(list the run's inputs first, then the new ones)")
    g.add_argument("--engine", choices=("local", "dask"), default="local", help="where to analyse (default local)")
    g.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (tcp://host:8786); "
                   "default: a local cluster of --jobs workers")
    g.add_argument("--batch-size", type=int, default=BATCH_SIZE, metavar="N",
                   help=f"input records per committed batch (default {BATCH_SIZE})")
    g.add_argument("--max-pages", type=int, default=None, metavar="N",
                   help="write article pages for the first N input records only (the index says so)")
    g.add_argument("--index-page-size", type=int, default=INDEX_PAGE_SIZE, metavar="N",
                   help=f"articles per index page: index.html, index-2.html ... (default {INDEX_PAGE_SIZE:,})")
    g.add_argument("--no-html", action="store_true", help="no article pages or index (CSV files, and the comparison)")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="mediaeval", description="How news articles report: loaded terms and "
                                     "their voice, sources, agency and news-agency origin, compared across outlets.")
    parser.add_argument("--version", action="version", version=f"mediaeval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("analyze", help="analyse articles into CSV and annotated HTML")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt/.html/.jsonl/.csv files or folders")
    _analysis_options(p)
    _run_flags(p)

    p = sub.add_parser("compare", help="analyse and compare articles across outlets (or any grouping)")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    _analysis_options(p)
    p.add_argument("--by", default="outlet", metavar="COLUMN", help="group by this column (default: outlet)")
    p.add_argument("--event", metavar="COLUMN", help="column naming the event; default: group by text similarity")
    p.add_argument("--worksheet", action="store_true", help="also write worksheet.html, unannotated, for students")
    _run_flags(p)

    p = sub.add_parser("demo", help="analyse and compare the bundled sample (seeds/) into reports/")
    p.add_argument("-o", "--out", type=Path, default=Path("reports"), help="output folder (default: reports/)")
    p.add_argument("--seeds", type=Path, default=None, help="folder of sample articles (default: seeds/)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace a non-empty -o folder that is not an earlier demo (reports/ is always replaced)")
    p.add_argument("-q", "--quiet", action="store_true")

    p = sub.add_parser("lesson", help="a lesson pack (teacher's guide, worksheet, answer key, comparison) per event")
    p.add_argument("inputs", nargs="+", metavar="ARTICLE", help="1-6 articles on one event (.txt/.html/.jsonl/.csv "
                   "files or folders); more events give one lesson each, plus an index")
    _analysis_options(p)
    p.add_argument("--event", default="event", metavar="COLUMN",
                   help="field naming the event (default: event); without it, groups by text similarity")

    p = sub.add_parser("serve", help="a local web page where a teacher pastes articles and gets the lesson")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    p.add_argument("--model", help="spaCy pipeline name or path")

    p = sub.add_parser("evaluate", help="score an extractor against gold annotations")
    esub = p.add_subparsers(dest="what", metavar="WHAT")
    e = esub.add_parser("attribution", help="attribution against brat standoff gold (DIR/text, DIR/attributions)")
    e.add_argument("--gold", required=True, type=Path, metavar="DIR")
    e.add_argument("--limit", type=int, default=None, help="score only the first N articles")

    p = sub.add_parser("lexicon", help="list, show, check lexicons or suggest a draft from a corpus")
    lsub = p.add_subparsers(dest="action", metavar="ACTION")
    lsub.add_parser("list", help="the bundled lexicons")
    s = lsub.add_parser("show", help="print a bundled lexicon")
    s.add_argument("name")
    c = lsub.add_parser("check", help="check a loaded-terms lexicon file; every problem with line and column")
    c.add_argument("file", type=Path)
    _nltk_commands(sub, lsub)
    return parser


# --- agreement and lexicon suggest (issue 14) ---------------------------------------------------

def _nltk_commands(sub, lsub) -> None:
    p = sub.add_parser("agreement", help="class annotation exercise: agreement figures and the lines to discuss")
    p.add_argument("marks", nargs="+", metavar="MARKS", help="marks CSV: student, article_id, line, task, label")
    p.add_argument("--articles", nargs="+", required=True, metavar="INPUT", help="the articles the class marked")
    p.add_argument("-o", "--out", required=True, type=Path, help="output folder (created if missing)")
    p.add_argument("--anonymise", "--anonymize", action="store_true", help="replace student names with S1…Sn")
    _reading_options(p)
    s = lsub.add_parser("suggest", help="draft lexicon: terms and phrases one group uses and another avoids")
    s.add_argument("inputs", nargs="+", metavar="CORPUS")
    s.add_argument("--by", default="outlet", metavar="COLUMN", help="group by this column (default: outlet)")
    s.add_argument("--against", metavar="GROUP", help="contrast every group with this one (default: with the rest)")
    s.add_argument("--group", action="append", default=[], metavar="GROUP", help="use only these groups; repeatable")
    s.add_argument("--top", type=int, default=25, metavar="N", help="suggestions per group (default 25)")
    s.add_argument("--min-count", type=int, default=3, metavar="N", help="minimum uses in a group (default 3)")
    s.add_argument("-o", "--out", required=True, type=Path, metavar="FILE", help="draft lexicon CSV to write")
    _reading_options(s)


def cmd_agreement(args) -> int:
    from .agreement import run_agreement

    exercise = run_agreement(args.marks, args.articles, args.out, anonymise=args.anonymise,
                             read_options=_read_options(args))
    for w in exercise.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for n in exercise.notes[:20]:
        print(f"note: {n}", file=sys.stderr)
    for t in exercise.tasks:
        print(f"{t['title']}: Krippendorff's alpha {t['alpha'].shown} ({t['verdict']})")
    print(f"-> {args.out / 'agreement.html'} (teacher), {args.out / 'discussion.html'} (class)", file=sys.stderr)
    return EXIT_OK


def cmd_lexicon_suggest(args) -> int:
    from .lexicon_suggest import format_suggestions, run_suggest

    result = run_suggest(args.inputs, args.out, by=args.by, against=args.against, groups=args.group,
                         top=args.top, min_count=args.min_count, read_options=_read_options(args))
    print(format_suggestions(result))
    return EXIT_OK


def _read_options(args):
    from .ingest.readers import ReadOptions

    return ReadOptions(id_column=args.id_column, text_column=args.text_column, title_column=args.title_column,
                       outlet_column=args.outlet_column, date_column=args.date_column, url_column=args.url_column,
                       outlet=args.outlet)


def _options(args):
    from .analyze import AnalysisOptions

    if args.jobs < 1:
        from .errors import MediaevalError
        raise MediaevalError("--jobs must be at least 1 (the number of worker processes)")
    return AnalysisOptions(model=args.model, lexicon_paths=tuple(args.lexicon), agency_lexicon_path=args.agency_lexicon,
                           agencies_path=args.agencies, jobs=args.jobs, fast=getattr(args, "fast", False))


def _report(summary, quiet: bool) -> int:
    if not quiet:
        for note in summary.notes[:20]:
            print(f"note: {note}", file=sys.stderr)
        if len(summary.notes) > 20:
            print(f"... and {len(summary.notes) - 20} more notes in run.json", file=sys.stderr)
        for s in summary.skipped[:20]:
            print(f"skipped: {s.path}{', ' + s.record if s.record else ''}: {s.reason}", file=sys.stderr)
        if len(summary.skipped) > 20:
            print(f"... and {len(summary.skipped) - 20} more in skipped.csv", file=sys.stderr)
        print(f"{summary.analysed} article(s) analysed, {len(summary.skipped)} skipped -> {summary.out_dir}",
              file=sys.stderr)
        if not summary.analysed:
            print("mediaeval: nothing was analysed; skipped.csv says why for each input", file=sys.stderr)
    if not summary.analysed:
        return EXIT_ERROR
    return EXIT_SKIPPED if summary.skipped else EXIT_OK


def _run(args, comparison=None):
    """``runner.run_analysis`` with the options of an analyze/compare command line, with progress."""
    from .durable_run import Progress, count_inputs
    from .runner import run_analysis

    read_options = _read_options(args)
    total = count_inputs(args.inputs, read_options) if not args.quiet and sys.stderr.isatty() else None
    progress = Progress(total, quiet=args.quiet)
    try:
        return run_analysis(args.inputs, args.out, _options(args), read_options,
                            html=not args.no_html, progress=progress, overwrite=args.overwrite,
                            language_check=args.language_check == "on", resume=args.resume, append=args.append,
                            engine=args.engine, scheduler=args.scheduler, batch_size=args.batch_size,
                            max_pages=args.max_pages, index_page_size=args.index_page_size, comparison=comparison)
    finally:
        progress.close()


def cmd_analyze(args) -> int:
    return _report(_run(args), args.quiet)


def cmd_compare(args) -> int:
    return _report(_run(args, {"by": args.by, "event": args.event, "worksheet": args.worksheet}), args.quiet)


def cmd_demo(args) -> int:
    from .analyze import AnalysisOptions
    from .ingest.readers import ReadOptions
    from .runner import run_comparison

    from .durable_run import Progress

    seeds = args.seeds or _find_seeds()
    overwrite = args.overwrite or args.out == Path("reports")  # the demo replaces its own reports/
    progress = Progress(quiet=args.quiet)
    results: list = []
    try:
        summary = run_comparison([str(seeds)], args.out, AnalysisOptions(), ReadOptions(), by="outlet",
                                 event="event", worksheet=True, progress=progress, overwrite=overwrite,
                                 on_results=results.extend)
    finally:
        progress.close()
    code = _report(summary, args.quiet)
    from .report.lesson import link_from_reports, run_lesson, write_lesson

    if summary.resumed_records == 0 and summary.complete:  # the run's analyses, not a second analysis
        write_lesson(results, args.out / "lesson", summary.stamp)
    else:
        run_lesson([str(seeds)], args.out / "lesson", AnalysisOptions(), ReadOptions())
    link_from_reports(args.out)
    if not args.quiet:
        print(f"open {args.out / 'comparison.html'} or {args.out / 'index.html'} in a browser; "
              f"the lesson pack is in {args.out / 'lesson'}", file=sys.stderr)
    return code


def cmd_lesson(args) -> int:
    from .report.lesson import run_lesson

    result = run_lesson(args.inputs, args.out, _options(args), _read_options(args), event=args.event)
    if not args.quiet:
        for s in result["skipped"]:
            print(f"skipped: {s.path}{', ' + s.record if s.record else ''}: {s.reason}", file=sys.stderr)
        print(f"{len(result['lessons'])} lesson(s) from {result['analysed']} article(s) -> "
              f"{args.out / 'index.html'}", file=sys.stderr)
    return EXIT_SKIPPED if result["skipped"] else EXIT_OK


def cmd_serve(args) -> int:
    from .serve import serve

    serve(args.host, args.port, model=args.model)
    return EXIT_OK


def _find_seeds() -> Path:
    for candidate in (Path("seeds"), Path(__file__).resolve().parents[1] / "seeds"):
        if candidate.is_dir():
            return candidate
    from .errors import MediaevalError
    raise MediaevalError("no seeds/ folder here; run the demo from the mediaeval checkout or pass --seeds DIR")


def cmd_evaluate(args) -> int:
    if args.what != "attribution":
        raise SystemExit("mediaeval evaluate: say what to evaluate, e.g. `mediaeval evaluate attribution --gold DIR`")
    from .evaluate import evaluate_attribution, format_result

    print(format_result(evaluate_attribution(args.gold, limit=args.limit)))
    return EXIT_OK


def cmd_lexicon(args) -> int:
    from .extract import term_lexicon as tl

    if args.action == "list":
        print(tl.format_lexicon_list())
    elif args.action == "show":
        print(tl.format_lexicon(args.name))
    elif args.action == "suggest":
        return cmd_lexicon_suggest(args)
    elif args.action == "check":
        for line, column, message in tl.lexicon_warnings(args.file):
            print(f"{args.file}:{line}: column {column!r}: warning: {message}")
        problems = tl.check_lexicon_file(args.file)
        for line, column, message in problems:
            print(f"{args.file}:{line}: column {column!r}: {message}" if column else f"{args.file}:{line}: {message}")
        if problems:
            print(f"{len(problems)} problem(s) in {args.file}", file=sys.stderr)
            return EXIT_ERROR
        print(f"{args.file}: OK")
    else:
        raise SystemExit("mediaeval lexicon: say list, show NAME, check FILE or suggest CORPUS... -o FILE")
    return EXIT_OK


COMMANDS = {"analyze": cmd_analyze, "compare": cmd_compare, "demo": cmd_demo, "evaluate": cmd_evaluate,
            "lexicon": cmd_lexicon, "agreement": cmd_agreement, "lesson": cmd_lesson, "serve": cmd_serve}


def main(argv=None) -> int:
    from .errors import MediaevalError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_ERROR
    try:
        return COMMANDS[args.command](args)
    except MediaevalError as exc:
        print(f"mediaeval: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        if getattr(args, "out", None) is not None and (args.out / "run.json").is_file():
            print(f"mediaeval: interrupted; the articles finished before that are in {args.out}, marked incomplete "
                  "in run.json; run the same command with --resume to finish it", file=sys.stderr)
        else:
            print("mediaeval: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # the system said no: a full disk, a permission, a path
        print(f"mediaeval: {exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}; check the path, "
              "its permissions and the free disk space, then run again", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - a bug: say so, and how to report it
        import traceback

        traceback.print_exc()
        print(f"mediaeval: internal error: {type(exc).__name__}: {exc}\nThis is a bug in mediaeval, not in your "
              "input. Please report it to the mediaeval maintainers with the command you ran, `mediaeval --version` "
              "and the traceback above.", file=sys.stderr)
        if getattr(args, "out", None) is not None and Path(f"{args.out}.partial").is_dir():
            print(f"mediaeval: {args.out} is unchanged; this run's committed batches are in {args.out}.partial "
                  "(--resume continues from them once the bug is fixed)", file=sys.stderr)
        return EXIT_INTERNAL
