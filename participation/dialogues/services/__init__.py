"""Dialogue rules and queries, by concern.

`rounds` (rounds and their topics); the session (*Sitzung*) with the first mayor: `agenda` (its *Tagesordnung*),
`notes` (notes and decisions per item), `attendance`, `actions` (*Maßnahmen*, for a centre or the city office),
`snapshots` (everything the minutes, *Protokoll*, and a centre's summary show), `published` (the published,
frozen minutes), `publishing` (freezing a version) and `pdfs` (their PDFs, rendered by jobs and stored once per
content hash).
"""
