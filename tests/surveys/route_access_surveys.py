"""Access levels of the survey editor and the parents' form (merged into tests/route_access.py)."""

ROUTES: dict[tuple[str, str], str] = {
    # Dialogue rounds and topics (participation/dialogues/controllers.py)
    ("GET", "/verwaltung/runden"): "office",
    ("POST", "/verwaltung/runden"): "office",
    ("GET", "/verwaltung/runden/{round_id:int}"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/themen"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/themen/{topic_id:int}"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/themen/{topic_id:int}/loeschen"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/themen/{topic_id:int}/verschieben"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/umfrage"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/umfrage/kopieren"): "office",
    # The survey editor (participation/surveys/controllers/office.py)
    ("GET", "/verwaltung/umfragen"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/abschnitte"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/abschnitte/{section_id:int}"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/abschnitte/{section_id:int}/loeschen"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/abschnitte/{section_id:int}/fragen/neu"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/abschnitte/{section_id:int}/fragen/neu"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/fragen/{question_id:int}"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/fragen/{question_id:int}"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/fragen/{question_id:int}/loeschen"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/fragen/{question_id:int}/verschieben"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/veroeffentlichen"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/qr.svg"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/schliessen"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/wieder-oeffnen"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/uebersetzung/{language:str}"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/uebersetzung/{language:str}"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/vorschau"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/codes"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/codes"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/codes/{centre_id:int}/einladungscodes.pdf"): "office",
    # The paper questionnaire (participation/surveys/controllers/paper.py)
    ("GET", "/verwaltung/umfragen/{survey_id:int}/fragebogen.pdf"): "office",
    ("GET", "/zentrum/umfragen/{survey_id:int}/fragebogen.pdf"): "centre",
}
ROUTES.update({
    # Guided categories (participation/surveys/controllers/categories.py)
    ("GET", "/verwaltung/umfragen/{survey_id:int}/kategorien"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/kategorien"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/kategorien/frage/{question_id:int}"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/kategorien/frage/{question_id:int}"): "office",
})
