"""Streams articles through the analysis, in this process or in worker processes.

One bad article never costs another its result:

- Text is made safe before the parse (lone surrogates -> U+FFFD, one for one,
  offsets unchanged; the readers already do this and report it).
- Any exception while analysing one article becomes a ``Skipped`` with the
  reason, in this process and in every worker. When a batch fails as a whole
  (the parse of one text can fail ``nlp.pipe`` for all of them), its articles
  are retried one at a time, the parse included.
- ``jobs > 1`` uses ``concurrent.futures.ProcessPoolExecutor`` (spawn; each
  worker loads the model once). A worker that dies (segfault, out of memory,
  ``kill``) raises ``BrokenProcessPool`` instead of hanging; the batches in
  flight are then retried one article at a time in a fresh one-worker pool, and
  the article that kills a worker again is skipped with that reason. A fresh
  pool then takes the rest of the corpus.
- Articles that are not in English are skipped (the models and lexicons are
  English) unless ``language_check=False``. Texts of fewer than 25 words are not
  checked. A text whose first 1,000 characters are at least 8 % English
  function words (the, of, and, that, said ...; words no other major language
  writes) is English without further ado; any other goes to langdetect (fixed
  seed) and is skipped only when it is confident: English below 10 %, another
  language at least 90 %. On the 1,870 English development texts: 0 skipped.

Results come back in input order; at most two batches per worker are in flight,
so reading never runs far ahead and memory stays flat. ``map_batches`` lets the
caller finish each batch where it was analysed (a run writes its Parquet parts
and pages in the worker), so only a small summary travels back to the parent.
"""

from __future__ import annotations

import os
import signal
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import islice
from typing import Callable, Iterable, Iterator, Optional, Union

from .ingest.decode import safe_text, too_costly
from .ingest.readers import Skipped
from .model import Article, ArticleAnalysis

Result = Union[ArticleAnalysis, Skipped]
LANGUAGE_MIN_WORDS = 25
LANGUAGE_SAMPLE_CHARS = 1000
ENGLISH_WORDS = frozenset("the of and that said was were with for by from has have his her its it this which "
                          "would their they who been had not but".split())
ENGLISH_SHARE = 0.08
CRASH_TEST_ENV = "MEDIAEVAL_TEST_KILL_WORKER_ON"  # tests: a worker that meets this text dies (kill -9)
_IN_WORKER = False


def analyze_stream(items: Iterable[Union[Article, Skipped]], options=None, language_check: bool = True
                   ) -> Iterator[Result]:
    """Analyse articles in input order; ``Skipped`` items pass straight through."""
    from .analyze import AnalysisOptions

    options = options or AnalysisOptions()
    batches = ((None, batch) for batch in _batches(items, options.batch_size))
    for results in map_batches(batches, options, language_check):
        yield from results


def map_batches(batches: Iterable[tuple], options, language_check: bool = True,
                finish: Optional[Callable] = None) -> Iterator:
    """For each ``(context, items)`` batch, in input order: ``finish(context, results)``, where
    ``results`` are the items with each ``Article`` replaced by its analysis (or a ``Skipped``).

    ``finish`` runs where the batch was analysed (a worker process with ``jobs > 1``), so what
    it returns is all that travels back; it must be picklable (a module-level function or an
    object of a module-level class). Without it, the results themselves come back. When a
    worker dies, the lost batches are analysed again one article at a time and finished here.
    """
    finish = finish or _results
    if options.jobs <= 1:
        yield from _serial(batches, options, language_check, finish)
    else:
        yield from _parallel(batches, options, language_check, finish)


def _results(context, results: list) -> list:
    return results


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _batch_function():
    from . import analyze

    return analyze.analyze_batch


def _merge(batch: list, results: list) -> list:
    found = iter(results)
    return [item if isinstance(item, Skipped) else next(found) for item in batch]


def _articles(batch: list) -> list:
    return [a for a in batch if isinstance(a, Article)]


def _serial(batches, options, language_check: bool, finish) -> Iterator:
    from .analyze import prepare

    prepared = False
    for context, batch in batches:
        articles = _articles(batch)
        if articles and not prepared:
            prepare(options)
            prepared = True
        yield finish(context, _merge(batch, work(articles, options, language_check) if articles else []))


def run_batch(context, batch: list, options, language_check: bool, finish):
    """One batch in a worker: analyse it, then ``finish`` it there."""
    articles = _articles(batch)
    return finish(context, _merge(batch, work(articles, options, language_check) if articles else []))


# --- what runs on a batch, in this process or a worker -------------------------------------------------

def work(articles: list, options, language_check: bool = True) -> list:
    """Analyse a batch; never raises: every article gives an ``ArticleAnalysis`` or a ``Skipped``."""
    out: list = [None] * len(articles)
    todo = []
    crash_marker = os.environ.get(CRASH_TEST_ENV)
    for i, article in enumerate(articles):
        if crash_marker and _IN_WORKER and crash_marker in article.text:
            os.kill(os.getpid(), signal.SIGKILL)  # a test seam: a worker dies as if killed or out of memory
        try:
            article, reason = _admit(article, language_check)
        except Exception as exc:  # noqa: BLE001 - one article's problem stays its own
            reason = _failure("checking the text", exc)
        if reason:
            out[i] = _skipped(article, reason)
        else:
            todo.append((i, article))
    for (i, _), result in zip(todo, _guarded([a for _, a in todo], options)):
        out[i] = result
    return out


def _admit(article: Article, language_check: bool) -> tuple[Article, str]:
    """The article made safe for the parser, or the reason it cannot be analysed."""
    text, replaced = safe_text(article.text)
    if replaced:
        article = replace(article, text=text)
    if not text.strip():
        return article, "the article text is empty (fill the text field or drop the record)"
    costly = too_costly(text)
    if costly:
        return article, costly
    if language_check:
        language = detect_language(text)
        if language:
            return article, (f"not in English (detected language: {language}); the models and lexicons are "
                             "English; pass --language-check off to analyse it anyway")
    return article, ""


def _guarded(articles: list, options) -> list:
    if not articles:
        return []
    analyze_batch = _batch_function()
    try:
        results = list(analyze_batch(articles, options))
        if len(results) == len(articles):
            return results
    except Exception:  # noqa: BLE001 - a whole-batch failure: find the article, keep the others
        pass
    if len(articles) == 1:
        return [_one(articles[0], options)]
    return [_one(a, options) for a in articles]


def _one(article: Article, options) -> Result:
    try:
        (result,) = _batch_function()([article], options)
        return result
    except Exception as exc:  # noqa: BLE001
        return _skipped(article, _failure("analysis", exc))


def _failure(stage: str, exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return (f"{stage} failed: {type(exc).__name__}: {exc}{where} (a bug in mediaeval; please report it with this "
            "line; the other articles were analysed)")


def _skipped(article: Article, reason: str) -> Skipped:
    return Skipped(article.source_path, article.record or article.article_id, reason)


_LANGDETECT = None


def detect_language(text: str) -> Optional[str]:
    """The language code when ``text`` is confidently not English, else None (see the module docstring)."""
    global _LANGDETECT
    if len(text.split(None, LANGUAGE_MIN_WORDS)) <= LANGUAGE_MIN_WORDS:
        return None
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    words = sample.lower().split()
    if sum(w in ENGLISH_WORDS for w in words) >= ENGLISH_SHARE * len(words):
        return None  # plainly English: no need for the statistical detector
    if _LANGDETECT is None:
        from langdetect import DetectorFactory, detect_langs

        DetectorFactory.seed = 0
        _LANGDETECT = detect_langs
    try:
        found = _LANGDETECT(sample)
    except Exception:  # noqa: BLE001 - langdetect raises when it finds no features (digits, symbols)
        return None
    english = sum(g.prob for g in found if g.lang == "en")
    best = max(found, key=lambda g: g.prob, default=None)
    if best is not None and best.lang != "en" and best.prob >= 0.9 and english < 0.1:
        return best.lang
    return None


# --- worker processes ----------------------------------------------------------------------------------

def _init_worker(options) -> None:
    """Each worker: ignore Ctrl-C (the parent handles it) and load the model once."""
    global _IN_WORKER
    _IN_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .analyze import prepare

    prepare(options)


def _pool(options, workers: int) -> ProcessPoolExecutor:
    import multiprocessing as mp

    return ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                               initargs=(options,))


def _parallel(batches, options, language_check: bool, finish) -> Iterator:
    """Batches go to ``options.jobs`` workers, at most two per worker in flight."""
    from collections import deque

    from .analyze import prepare

    pool = _pool(options, options.jobs)
    in_flight: deque = deque()
    finished = prepared = False
    try:
        for context, batch in batches:
            in_flight.append((context, batch, pool.submit(run_batch, context, batch, options, language_check, finish)))
            if not prepared:  # while the workers start: a broken model or lexicon fails here, once, in the parent
                prepare(options)
                prepared = True
            while len(in_flight) > 2 * options.jobs:
                done, pool = _collect(in_flight, pool, options, language_check, finish)
                yield from done
        while in_flight:
            done, pool = _collect(in_flight, pool, options, language_check, finish)
            yield from done
        finished = True
    finally:  # stopped early (Ctrl-C, an error): the batches in flight are lost anyway, so end them now
        if not finished:
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)  # no worker outlives the stream (or writes after it)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's worker processes (``ProcessPoolExecutor`` has no public way before Python 3.14)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def _collect(in_flight, pool, options, language_check: bool, finish):
    """What the oldest batch gave, and the pool to go on with (a fresh one after a crash)."""
    context, batch, future = in_flight.popleft()
    try:
        return [future.result()], pool
    except BrokenProcessPool:
        pass
    except Exception:  # noqa: BLE001 - e.g. a result that cannot be pickled: retry one by one, finish here
        return [finish(context, _merge(batch, _isolate(_articles(batch), options, language_check)))], pool
    # A worker died: every batch in flight is lost. Retry them one article at a time, then go on afresh.
    pool.shutdown(wait=False, cancel_futures=True)
    lost = [(context, batch)] + [(c, b) for c, b, _ in in_flight]
    in_flight.clear()
    done = [finish(c, _merge(b, _isolate(_articles(b), options, language_check))) for c, b in lost]
    return done, _pool(options, options.jobs)


def _isolate(articles: list, options, language_check: bool) -> list:
    """Each article alone in a one-worker pool; one that kills its worker is skipped with that reason."""
    out, pool = [], None
    try:
        for article in articles:
            pool = pool or _pool(options, 1)
            try:
                (result,) = pool.submit(work, [article], options, language_check).result()
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                result = _skipped(article, "the worker process died while analysing this article (it crashed or ran "
                                           "out of memory); the other articles were analysed; please report it, or "
                                           "split the text and try again")
            except Exception as exc:  # noqa: BLE001
                result = _skipped(article, _failure("analysis", exc))
            out.append(result)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return out
