"""Extractors: pure functions over a parsed spaCy ``Doc`` and its ``Article``.

Each returns records (``mediaeval.model``) with offsets into ``Article.text``
and never reads files or prints. The doc is parsed from the whole original text,
so ``token.idx`` is already an offset into ``Article.text``.
"""
