"""Generators: lazy sequences, pipelines and streaming database rows (docs/technologies/python/generators.md)."""
