"""Dialogue rounds (e.g. "Frühjahr 2027"), their topics, and later the session's agenda and minutes."""
