"""HTML layers: each module gives ``marks(analysis)`` and ``panel(analysis)`` (see report/marks.py).

Importing the report package gives ``ArticleAnalysis`` its Jupyter view
(``mediaeval.attach_notebook_view``), so the record module never imports the report.
"""

from ... import attach_notebook_view

attach_notebook_view()
