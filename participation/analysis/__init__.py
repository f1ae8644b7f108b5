"""Text analysis for the Familiendialog: free-text answers in, themes out.

Pure functions on lists of texts; nothing here imports the web app or the database.

* :func:`cluster_texts` groups answers into themes (label, terms, size, examples) plus "Sonstiges" (-1).
* :func:`label_for` re-labels a group of answers, e.g. after staff renamed, merged or split themes.
* :func:`detect_language` tells German answers from those in other languages.
"""

from .clustering import SONSTIGES, Assignment, ClusteringResult, ProgressCallback, Theme, cluster_texts
from .labels import label_for
from .language import detect_language, language_name
from .preprocess import GERMAN_STOP_WORDS, normalise, prepare

__all__ = [
    "GERMAN_STOP_WORDS",
    "SONSTIGES",
    "Assignment",
    "ClusteringResult",
    "ProgressCallback",
    "Theme",
    "cluster_texts",
    "detect_language",
    "label_for",
    "language_name",
    "normalise",
    "prepare",
]
