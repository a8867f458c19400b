"""asyncio: coroutines, tasks, timeouts and concurrent database queries (docs/technologies/python/async.md)."""
