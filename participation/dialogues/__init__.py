"""Dialogue rounds (e.g. "Frühjahr 2027"), their topics, and the session: agenda, minutes, action items."""
