"""Access levels of the results, export and API routes (merged into tests/route_access.py)."""

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/verwaltung/umfragen/{survey_id:int}/ergebnisse"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/freitext"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/freitext/{answer_id:int}/ausblenden"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/freitext/{answer_id:int}/einblenden"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/export.csv"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/export.xlsx"): "office",
    ("GET", "/zentrum/umfragen/{survey_id:int}/ergebnisse"): "centre",
    ("GET", "/zentrum/umfragen/{survey_id:int}/freitext"): "centre",
    ("GET", "/api/surveys"): "signed_in",
    ("GET", "/api/surveys/{survey_id:int}"): "signed_in",
    ("GET", "/api/surveys/{survey_id:int}/results"): "signed_in",
    ("GET", "/api/surveys/{survey_id:int}/tables"): "office",
    ("GET", "/verwaltung/runden/{round_id:int}/datenschutz"): "office",
}
