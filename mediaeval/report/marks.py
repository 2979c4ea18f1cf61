"""What an HTML layer gives the article page: marks over the text and a panel.

A layer module (``report/layers/<name>.py``) exposes ``marks(analysis)`` and
``panel(analysis)``. Marks may overlap; ``html.py`` cuts the text into segments
at every mark boundary and nests the marks' ``<span>``s, escaping all text.
Layers never write HTML: they give data, the templates render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mark:
    """A highlighted stretch of the article text.

    ``css`` is a space-separated list of classes (styled in the layer's CSS file
    ``templates/layer_<name>.css``); ``label`` is a short visible tag rendered
    after the stretch (for example "who?"), a cue that does not rely on colour;
    ``details`` are (name, value) pairs shown in a popover on hover or focus;
    ``style`` may carry a single CSS custom property such as ``--c: #1f77b4``
    (the source's colour) and nothing else.
    """

    start: int
    end: int
    css: str
    label: str = ""
    details: tuple[tuple[str, str], ...] = ()
    style: str = ""
    layer: str = ""


@dataclass(frozen=True)
class Panel:
    """A side table: a title, a sentence of explanation, rows, and the method's limits.

    A cell is plain text, or a tuple ``(text, sentence_indexes)`` which renders as
    a link list to the sentences behind the figure (``#s<index>``).
    """

    title: str
    intro: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...] = ()
    limits: str = ""
    layer: str = ""
    legend: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (css class, meaning)
