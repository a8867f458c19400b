"""Examples of docs/concepts/asynchronous-programming.md: threads, processes and the event loop."""
