"""HTML layers: each module gives ``marks(analysis)`` and ``panel(analysis)`` (see report/marks.py)."""
