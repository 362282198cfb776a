"""Loaders: text files to typed records (documents, agencies, tasks, targets, citations).

Must not import rdflib, networkx, pyvis or anything from ``graph``/``viz``; only
``loaders.nlp`` imports spaCy or jieba. ``loaders.corpus.load`` runs every stage in order.
"""

__all__: list[str] = []
