"""Curated inputs read from data files: ontology, gazetteer, rules, sources, query files."""
