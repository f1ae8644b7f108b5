"""Surveys: questions and translations, publishing, invitation codes, the parents' form, responses and results."""
