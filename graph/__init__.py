"""Records → RDF graph, store, SPARQL, exports, and networkx views.

Must not import ``loaders`` or ``viz``: it takes records from ``policykg.records``.
"""
