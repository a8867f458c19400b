"""Context managers: resources that are always released (docs/technologies/python/context-managers.md)."""
