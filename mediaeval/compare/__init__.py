"""Comparison: many analysed articles -> per-group tables (data only, no files).

* ``build``: ``compare()`` and ``build_comparison()``, the ``Comparison`` record;
* ``tables``: per-group aggregations with evidence;
* ``grouping``: same-event groups;
* ``republished``: republished copy, what it changed and whether it credits the source;
* ``distinctive``: distinctive words (Monroe et al. 2008);
* ``questions``: discussion questions as data.

Rendering lives in ``mediaeval.report``; nothing here writes files.
"""

from .build import Comparison, build_comparison, compare
from .tables import evidence_links

__all__ = ["Comparison", "build_comparison", "compare", "evidence_links"]


class _CallableModule(__import__("types").ModuleType):
    """``mediaeval.compare`` is both this package and the function ``compare``: once the
    package is imported, Python binds the name to the module, so the module calls ``compare``."""

    def __call__(self, results_or_frames, **options):
        return compare(results_or_frames, **options)


__import__("sys").modules[__name__].__class__ = _CallableModule
