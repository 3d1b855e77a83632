"""The pipeline stages, in the order the data flows: collect, score, flag, draft (report apart).

Each stage reads the rows that lack its output and commits its own output per chunk, so a re-run
is safe and a crash loses nothing that was committed.
"""
