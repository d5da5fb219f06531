"""Visitor analytics for curators: a local SQLite record of what visitors do, and its report.

Qt-free. `recorder.Recorder` writes on a background thread (the UI never waits for the disk);
`schema` defines the database; `dataset` reads and merges several kiosks' databases; `figures`
turns them into the numbers a curator reads; `html_report` writes the self-contained page. What
is recorded, and what a session is, are described in docs/operations.md ("Visitor analytics").
"""
