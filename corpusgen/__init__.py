"""Make report documents in every format agencies publish: for tests, the demo corpus and benchmarks.

Nothing here is used by the pipeline itself; it writes the kind of files users drop into the inbox.
"""
