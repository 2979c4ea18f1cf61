"""Reports: tidy tables (CSV) and annotated, self-contained HTML."""
