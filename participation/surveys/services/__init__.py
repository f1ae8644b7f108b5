"""Survey rules and queries, by concern: `definition` (editing, translations, publishing), `codes` (invitation
codes), `answering` (the parents' form and saving responses), `results` (figures with privacy suppression) and
`exports` (CSV, XLSX)."""
