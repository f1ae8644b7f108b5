"""The demo's surveys: a closed past round ("Herbst 2026") with a few hundred responses and the current round
("Frühjahr 2027", a copy of the autumn survey) open now with its first responses.

Everything goes through the services the office and the parents' form use (rounds, survey editor, translations,
publishing, copying, `answering.evaluate` + `answering.save_response`), so the demo data obeys the same rules.
Responses are generated from district profiles with `random.Random(2026)`: the same answers on every load. Long
free-text answers come from `data/freitext_eltern.jsonl` (German texts by topic label; "other_language" lines for a
few non-German responses), each text used at most twice across both rounds.

The whole load runs in one transaction: one connection (no connect per query on PostgreSQL without a pool), and
either all of the survey demo is there or none of it.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from participation.db import transaction
from participation.demo import survey_content as content
from participation.dialogues.schemas import Season
from participation.dialogues.services.rounds import create_round
from participation.directory.tables import Centre, District
from participation.surveys.schemas import OTHER, SECTION_TEXTS, YES, QuestionKind, SurveyDef
from participation.surveys.services import answering, definition
from participation.surveys.tables import Response, Survey

VENUE = "Kulturzentrum Ludwigsburg, Wilhelmstraße 9/1"
FREE_TEXTS = Path(__file__).parent / "data" / "freitext_eltern.jsonl"
SEED = 2026
MAX_USES = 2

# Long free-text questions, and which question a parent would write a text of a given topic label into.
WISH, NEIGHBOURHOOD, MAYOR = "wunsch_zentrum", "stadtteil_fehlt", "botschaft_buergermeister"
LABEL_QUESTIONS = {
    "spielplatz_stadtteil": {NEIGHBOURHOOD: 0.85, MAYOR: 0.15},
    "kitaplatz": {MAYOR: 0.6, NEIGHBOURHOOD: 0.3, WISH: 0.1},
    "kosten": {MAYOR: 0.8, WISH: 0.2},
    "personal": {MAYOR: 0.6, WISH: 0.4},
    "oeffnungszeiten": {MAYOR: 0.6, WISH: 0.4},
    "ferienbetreuung": {WISH: 0.45, MAYOR: 0.4, NEIGHBOURHOOD: 0.15},
    "angebote_vaeter": {WISH: 0.9, NEIGHBOURHOOD: 0.1},
    "beratung": {WISH: 0.8, NEIGHBOURHOOD: 0.2},
    "sprachfoerderung": {WISH: 0.6, MAYOR: 0.4},
    "digitale_kommunikation": {WISH: 0.7, MAYOR: 0.3},
    "sonstiges": {MAYOR: 0.6, WISH: 0.4},
}
BASE_TOPICS = {label: 1.0 for label in LABEL_QUESTIONS} | {"sonstiges": 0.3}

# Place names in the free texts, so a text naming a district is given to a parent of that district.
PLACE_DISTRICTS = {
    "Innenstadt": "Innenstadt", "Weststadt": "Weststadt", "Oststadt": "Oststadt", "Schlösslesfeld": "Oststadt",
    "Eglosheim": "Eglosheim", "Grünbühl": "Grünbühl-Sonnenberg", "Sonnenberg": "Grünbühl-Sonnenberg",
    "Hoheneck": "Hoheneck", "Neckarweihingen": "Neckarweihingen", "Oßweil": "Oßweil", "Pflugfelden": "Pflugfelden",
    "Poppenweiler": "Poppenweiler",
}


@dataclass(frozen=True)
class Profile:
    """How the families of one district tend to answer."""

    autumn: int                    # responses in the past round
    spring: int                    # responses so far in the current round
    employed: float                # share of parents in work
    full_time: float               # share of those in work with 35+ hours
    languages: dict[str, float]
    topics: dict[str, float] = field(default_factory=dict)      # free-text labels, multiplies BASE_TOPICS
    wishes: dict[str, float] = field(default_factory=dict)      # angebote_wunsch, multiplies 1.0
    obstacles: dict[str, float] = field(default_factory=dict)   # vereinbarkeit_huerden, multiplies 1.0
    support: dict[str, float] = field(default_factory=dict)     # foerderung_bedarf, multiplies 1.0
    hours_satisfaction: float = 3.3
    care_satisfaction: float = 3.8
    balance: float = 3.1
    wellbeing: float = 3.8
    informed: float = 0.6
    visits: tuple[float, ...] = (0.15, 0.25, 0.3, 0.15, 0.15)   # zentrum_besuch
    change: tuple[float, ...] = (0.25, 0.45, 0.15, 0.15)        # stadtteil_veraenderung
    large_families: float = 1.0
    multilingual: float = 1.0


GERMAN = {"de": 0.93, "en": 0.03, "tr": 0.02, "ru": 0.01, "uk": 0.01}
PROFILES: dict[str, Profile] = {
    "Innenstadt": Profile(
        autumn=58, spring=6, employed=0.86, full_time=0.55,
        languages={"de": 0.86, "en": 0.07, "tr": 0.02, "ar": 0.02, "ru": 0.01, "uk": 0.02},
        topics={"oeffnungszeiten": 2.2, "ferienbetreuung": 1.8, "digitale_kommunikation": 1.6, "kitaplatz": 1.3,
                "sprachfoerderung": 0.5, "angebote_vaeter": 1.2},
        wishes={"ferienprogramm": 1.6, "vaeter": 1.4, "deutschkurs_eltern": 0.5},
        obstacles={"oeffnungszeiten": 2.0, "schliesstage": 1.6, "keine_hilfe": 1.3},
        support={"keine": 1.6, "sprachfoerderung_kind": 0.5},
        hours_satisfaction=2.6, balance=2.8, wellbeing=3.7, informed=0.7,
        visits=(0.1, 0.25, 0.35, 0.15, 0.15), change=(0.2, 0.5, 0.2, 0.1), multilingual=1.2,
    ),
    "Weststadt": Profile(
        autumn=52, spring=2, employed=0.78, full_time=0.42, languages=GERMAN | {"en": 0.04, "tr": 0.03},
        topics={"kitaplatz": 1.8, "angebote_vaeter": 1.5, "personal": 1.3},
        wishes={"vaeter": 1.6, "eltern_kind_gruppe": 1.3},
        obstacles={"kein_platz": 1.8},
        hours_satisfaction=3.1, wellbeing=3.9, change=(0.3, 0.45, 0.12, 0.13),
    ),
    "Oststadt": Profile(
        autumn=64, spring=5, employed=0.76, full_time=0.4, languages=GERMAN | {"ru": 0.03, "uk": 0.03},
        topics={"personal": 1.8, "beratung": 1.5, "digitale_kommunikation": 1.2},
        wishes={"erziehungsberatung": 1.5, "bewegung": 1.3},
        support={"erziehung": 1.5},
        care_satisfaction=3.5, wellbeing=3.9,
    ),
    "Eglosheim": Profile(
        autumn=55, spring=3, employed=0.66, full_time=0.35,
        languages={"de": 0.74, "tr": 0.09, "ru": 0.06, "uk": 0.05, "ar": 0.04, "en": 0.02},
        topics={"spielplatz_stadtteil": 1.9, "sprachfoerderung": 1.5, "kosten": 1.4},
        wishes={"bewegung": 1.5, "deutschkurs_eltern": 1.4, "ausfluege": 1.3},
        obstacles={"kosten": 1.5, "schichtarbeit": 1.5},
        support={"hausaufgaben": 1.6, "sprachfoerderung_kind": 1.5},
        wellbeing=3.4, informed=0.5, visits=(0.2, 0.25, 0.3, 0.15, 0.1), change=(0.2, 0.4, 0.25, 0.15),
        large_families=1.3, multilingual=1.8,
    ),
    "Grünbühl-Sonnenberg": Profile(
        autumn=70, spring=7, employed=0.52, full_time=0.25,
        languages={"de": 0.58, "tr": 0.14, "ar": 0.13, "ru": 0.06, "uk": 0.07, "en": 0.02},
        topics={"sprachfoerderung": 3.2, "kosten": 2.2, "beratung": 1.6, "spielplatz_stadtteil": 1.3,
                "oeffnungszeiten": 0.5, "digitale_kommunikation": 0.6},
        wishes={"deutschkurs_eltern": 2.8, "elterncafe": 1.6, "ausfluege": 1.5, "erziehungsberatung": 1.3},
        obstacles={"kosten": 2.0, "kein_platz": 1.7, "schichtarbeit": 1.6},
        support={"sprachfoerderung_kind": 3.0, "antraege": 2.4, "hausaufgaben": 1.6, "keine": 0.3},
        hours_satisfaction=3.4, care_satisfaction=3.6, balance=2.9, wellbeing=3.1, informed=0.38,
        visits=(0.32, 0.28, 0.2, 0.1, 0.1), change=(0.3, 0.3, 0.25, 0.15), large_families=1.8, multilingual=2.5,
    ),
    "Hoheneck": Profile(
        autumn=4, spring=0, employed=0.8, full_time=0.45, languages={"de": 1.0},
        topics={"spielplatz_stadtteil": 1.5}, support={"keine": 1.5},
        wellbeing=4.3, informed=0.7,
    ),
    "Neckarweihingen": Profile(
        autumn=38, spring=1, employed=0.77, full_time=0.4, languages=GERMAN,
        topics={"ferienbetreuung": 1.8, "spielplatz_stadtteil": 1.4},
        wishes={"ferienprogramm": 1.8}, obstacles={"arbeitsweg": 1.8, "schliesstage": 1.4},
        wellbeing=4.0, change=(0.2, 0.55, 0.15, 0.1),
    ),
    "Oßweil": Profile(
        autumn=33, spring=1, employed=0.75, full_time=0.38, languages=GERMAN | {"tr": 0.04},
        topics={"kitaplatz": 2.2, "personal": 1.2},
        obstacles={"kein_platz": 2.2},
        hours_satisfaction=3.2, wellbeing=3.8, change=(0.3, 0.35, 0.2, 0.15),
    ),
    "Pflugfelden": Profile(
        autumn=24, spring=0, employed=0.8, full_time=0.42, languages=GERMAN,
        topics={"kitaplatz": 2.4, "spielplatz_stadtteil": 1.5},
        obstacles={"kein_platz": 2.4, "arbeitsweg": 1.4},
        wishes={"eltern_kind_gruppe": 1.5},
        wellbeing=3.9, change=(0.35, 0.3, 0.15, 0.2),
    ),
    "Poppenweiler": Profile(
        autumn=3, spring=0, employed=0.8, full_time=0.4, languages={"de": 1.0},
        topics={"ferienbetreuung": 1.6}, obstacles={"arbeitsweg": 2.0},
        wellbeing=4.2,
    ),
}

# What parents type into "Sonstiges" (German), and the languages they speak at home (in their own language).
OTHER_TEXTS = {
    "vereinbarkeit_huerden": ["Ich bin alleinerziehend", "Pflege meiner Mutter", "Dienstpläne ändern sich ständig",
                              "Kind ist oft krank", "Kein Auto, Busse fahren selten"],
    "angebote_wunsch": ["Schwimmkurs", "Musikgarten", "Babymassage", "Kinderflohmarkt", "Kochen mit Kindern",
                        "Erste-Hilfe-Kurs am Kind", "Nähcafé"],
    "foerderung_bedarf": ["Hilfe bei der Wohnungssuche", "Nachhilfe in Mathe", "Logopädie ohne lange Wartezeit",
                          "Schuldnerberatung", "Unterstützung als Alleinerziehende"],
}
HOME_LANGUAGES = {
    "de": [("Deutsch", 8.0), ("Deutsch und Englisch", 1.0), ("Deutsch, Türkisch", 1.0), ("Deutsch und Italienisch",
           0.6), ("Deutsch, Russisch", 0.6), ("Deutsch und Arabisch", 0.5), ("Deutsch, Kroatisch", 0.4),
           ("Deutsch und Griechisch", 0.4), ("Deutsch, Polnisch", 0.4), ("Deutsch und Rumänisch", 0.4),
           ("deutsch", 0.5), ("Deutsch, Albanisch", 0.3)],
    "en": [("English and German", 1.0), ("English", 0.6), ("English, Hindi", 0.4), ("English and Spanish", 0.3)],
    "tr": [("Türkçe ve Almanca", 1.0), ("Türkçe", 0.8), ("Türkçe, Kürtçe", 0.3)],
    "ar": [("العربية والألمانية", 1.0), ("العربية", 1.0), ("العربية والكردية", 0.3)],
    "ru": [("Русский и немецкий", 1.0), ("Русский", 0.8)],
    "uk": [("Українська", 1.0), ("Українська і російська", 0.7), ("Українська та німецька", 0.5)],
}
SCHOOL_AGE = {"jahre_6_10", "jahre_11_plus"}
CARE_BY_AGE = {
    "unter_1": {"zuhause": 0.8, "verwandte": 0.08, "tagespflege": 0.07, "krippe": 0.05},
    "jahre_1_2": {"krippe": 0.52, "tagespflege": 0.2, "zuhause": 0.22, "verwandte": 0.06},
    "jahre_3_5": {"kita": 0.9, "zuhause": 0.07, "tagespflege": 0.02, "verwandte": 0.01},
    "jahre_6_10": {"schule_ganztag": 0.68, "zuhause": 0.27, "verwandte": 0.05},
    "jahre_11_plus": {"zuhause": 0.6, "schule_ganztag": 0.4},
}
INSTITUTIONS = {"krippe", "kita", "tagespflege", "schule_ganztag"}


# --- free texts ----------------------------------------------------------------------------------------------------

@dataclass
class FreeText:
    text: str
    label: str
    districts: frozenset[str]
    language: str = "de"


def _language_of(text: str) -> str:
    """The language of an "other_language" line: script first, then telltale letters and words."""
    if re.search(r"[\u0600-\u06FF]", text):
        return "ar"
    if re.search(r"[іїєґІЇЄҐ]", text):
        return "uk"
    if re.search(r"[\u0400-\u04FF]", text):
        return "ru"
    if re.search(r"[łąęśźżń]", text.lower()) or re.search(r"\b(przedszkolu|czekamy)\b", text.lower()):
        return "pl"
    if re.search(r"[şğıİ]", text) or re.search(r"\b(cocuk|icin|lütfen|daha)\b", text.lower()):
        return "tr"
    return "en"


def _question_of_foreign(text: str) -> str:
    lowered = text.lower()
    if re.search(r"playground|площадк|park|school", lowered):
        return NEIGHBOURHOOD
    if re.search(r"information|المعلومات|kurs|курс|دروس|etkinlik", lowered):
        return WISH
    return MAYOR


class FreeTextPool:
    """Hands out free texts by topic label and district, each at most MAX_USES times, unused ones first."""

    def __init__(self, rng: random.Random, path: Path = FREE_TEXTS) -> None:
        self.rng = rng
        self.by_label: dict[str, list[FreeText]] = defaultdict(list)
        self.foreign: dict[str, list[FreeText]] = defaultdict(list)
        self.uses: Counter[str] = Counter()
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            text, label = row["text"].strip(), row["label"]
            if not text:
                continue
            if label == "other_language":
                language = _language_of(text)
                self.foreign[language].append(FreeText(text, label, frozenset(), language))
            else:
                places = frozenset(d for place, d in PLACE_DISTRICTS.items() if place in text)
                self.by_label[label].append(FreeText(text, label, places))

    def _pick(self, candidates: list[FreeText]) -> FreeText | None:
        for uses in range(MAX_USES):
            fresh = [c for c in candidates if self.uses[c.text] == uses]
            if fresh:
                chosen = self.rng.choice(fresh)
                self.uses[chosen.text] += 1
                return chosen
        return None

    def german(self, label: str, district: str) -> FreeText | None:
        texts = self.by_label.get(label, [])
        local = [t for t in texts if district in t.districts and self.uses[t.text] == 0]
        if local and self.rng.random() < 0.6:
            return self._pick(local)
        return self._pick([t for t in texts if not t.districts or district in t.districts])

    def in_language(self, language: str) -> FreeText | None:
        return self._pick(self.foreign.get(language, []))


# --- drawing answers -----------------------------------------------------------------------------------------------

def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _sample(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """k distinct keys drawn by weight."""
    pool = {key: w for key, w in weights.items() if w > 0}
    chosen = []
    for _ in range(min(k, len(pool))):
        key = _weighted(rng, pool)
        chosen.append(key)
        del pool[key]
    return chosen


def _scale(rng: random.Random, mean: float) -> str:
    return str(min(5, max(1, round(rng.gauss(mean, 0.95)))))


def _options(survey: SurveyDef, key: str) -> list[str]:
    question = survey.question_by_key(key)
    return question.option_values() if question else []


@dataclass
class Draft:
    """One generated response: form values as a browser would send them, and where it comes from."""

    district: str
    centre_id: int | None
    language: str
    raw: dict[str, list[str]] = field(default_factory=dict)

    def set(self, key: str, *values: str) -> None:
        self.raw[f"q_{key}"] = list(values)


def _free_texts(draft: Draft, profile: Profile, rng: random.Random, pool: FreeTextPool,
                available: set[str]) -> None:
    """Fill 0–3 long-text questions; about 70 % of parents write at least one."""
    questions = [q for q in (WISH, NEIGHBOURHOOD, MAYOR) if q in available]
    if not questions:
        return
    if draft.language != "de":
        if rng.random() < 0.5:
            text = pool.in_language(draft.language)
            if text is not None:
                target = _question_of_foreign(text.text)
                draft.set(target if target in questions else questions[-1], text.text)
                return
        if rng.random() >= 0.35:
            return  # most parents who answer in another language and have no text of theirs write nothing
        count = 1
    else:
        if rng.random() >= 0.73:
            return
        count = rng.choices([1, 2, 3], weights=[0.55, 0.3, 0.15])[0]
    weights = {label: BASE_TOPICS[label] * profile.topics.get(label, 1.0) for label in BASE_TOPICS}
    answered: set[str] = set()
    for _attempt in range(count * 4):
        if len(answered) >= count:
            break
        label = _weighted(rng, weights)
        targets = {q: w for q, w in LABEL_QUESTIONS[label].items() if q in questions and q not in answered}
        if not targets:
            continue
        text = pool.german(label, draft.district)
        if text is None:
            weights[label] = 0.0  # every text of this topic is used up
            if not any(weights.values()):
                break
            continue
        target = _weighted(rng, targets)
        draft.set(target, text.text)
        answered.add(target)


def _draft(survey: SurveyDef, district: str, profile: Profile, centres: list[int], rng: random.Random,
           pool: FreeTextPool) -> Draft:
    language = _weighted(rng, profile.languages)
    centre_id = rng.choice(centres) if centres and rng.random() < 0.63 else None
    draft = Draft(district, centre_id, language)
    german = language == "de"

    # Vereinbarkeit von Familie und Beruf
    if rng.random() < 0.95:
        children = {"1": 0.34, "2": 0.4, "3": 0.17 * profile.large_families, "4": 0.06 * profile.large_families,
                    "5": 0.02 * profile.large_families, "6": 0.01 * profile.large_families}
        draft.set("kinder_anzahl", _weighted(rng, children))
    age = _weighted(rng, {"unter_1": 0.12, "jahre_1_2": 0.22, "jahre_3_5": 0.34, "jahre_6_10": 0.22,
                          "jahre_11_plus": 0.1})
    if rng.random() < 0.97:
        draft.set("alter_juengstes_kind", age)
    employed = rng.random() < profile.employed * (0.45 if age == "unter_1" else 1.0)
    draft.set("berufstaetig", YES if employed else "no")
    full_time = employed and rng.random() < profile.full_time
    if employed and rng.random() < 0.93:
        if full_time:
            hours = rng.choice(["35", "38", "38,5", "39", "40", "40", "40", "42", "45"])
        else:
            hours = rng.choice(["8", "10", "12", "15", "18", "19,5", "20", "20", "20", "24", "25", "25", "28",
                                "30", "30", "30", "32"])
        draft.set("arbeitsstunden", hours)
    if rng.random() < (0.9 if employed else 0.5):
        draft.set("vereinbarkeit_gelingt", _scale(rng, profile.balance - (0.5 if full_time else 0.0)
                                                  + (0.4 if not employed else 0.0)))
    if rng.random() < (0.8 if employed else 0.35):
        weights = {code: profile.obstacles.get(code, 1.0) for code in _options(survey, "vereinbarkeit_huerden")}
        if age in SCHOOL_AGE:
            weights["kein_platz"] = weights.get("kein_platz", 1.0) * 0.3
            weights["schliesstage"] = weights.get("schliesstage", 1.0) * 1.8
        if full_time:
            weights["oeffnungszeiten"] = weights.get("oeffnungszeiten", 1.0) * 1.8
        chosen = _sample(rng, weights, rng.choice([1, 1, 2, 2, 2, 3]))
        if german and rng.random() < 0.05:
            chosen.append(OTHER)
            draft.raw["q_vereinbarkeit_huerden_other"] = [rng.choice(OTHER_TEXTS["vereinbarkeit_huerden"])]
        draft.set("vereinbarkeit_huerden", *chosen)

    # Betreuungsarrangements
    care_weights = dict(CARE_BY_AGE[age])
    if profile.large_families > 1.5 and age in ("unter_1", "jahre_1_2"):
        care_weights["zuhause"] *= 1.6  # fewer under-threes in care where places are short
    care = _weighted(rng, care_weights)
    draft.set("betreuung_form", care)
    if care in INSTITUTIONS:
        if rng.random() < 0.92:
            draft.set("zufriedenheit_oeffnungszeiten",
                      _scale(rng, profile.hours_satisfaction - (0.6 if full_time else 0.0)))
        if rng.random() < 0.9:
            draft.set("zufriedenheit_betreuung", _scale(rng, profile.care_satisfaction))
    if rng.random() < 0.8:
        if not employed:
            times = {"bis_12": 0.3, "bis_14": 0.3, "bis_16": 0.1, "keine": 0.3}
        elif full_time:
            times = {"bis_14": 0.05, "bis_16": 0.35, "bis_17_spaeter": 0.6}
        else:
            times = {"bis_12": 0.15, "bis_14": 0.45, "bis_16": 0.35, "bis_17_spaeter": 0.05}
        draft.set("betreuung_wunschzeit", _weighted(rng, times))

    # Angebotsportfolio
    if rng.random() < 0.95:
        visits = dict(zip(_options(survey, "zentrum_besuch"), profile.visits, strict=True))
        if centre_id is not None:
            visits["unbekannt"] = 0.0  # who names their centre knows it
            visits["nie"] *= 0.5
        draft.set("zentrum_besuch", _weighted(rng, visits))
    if rng.random() < 0.85:
        weights = {code: profile.wishes.get(code, 1.0) for code in _options(survey, "angebote_wunsch")}
        if not german:
            weights["deutschkurs_eltern"] *= 2.5
        if age in ("unter_1", "jahre_1_2"):
            weights["eltern_kind_gruppe"] *= 2.5
        chosen = _sample(rng, weights, rng.choice([1, 2, 2, 3, 3, 4]))
        if german and rng.random() < 0.06:
            chosen.append(OTHER)
            draft.raw["q_angebote_wunsch_other"] = [rng.choice(OTHER_TEXTS["angebote_wunsch"])]
        draft.set("angebote_wunsch", *chosen)
    if rng.random() < 0.85:
        times = ({"vormittags": 0.05, "nachmittags": 0.2, "abends": 0.35, "wochenende": 0.4} if employed else
                 {"vormittags": 0.45, "nachmittags": 0.35, "abends": 0.1, "wochenende": 0.1})
        draft.set("angebote_zeit", _weighted(rng, times))

    # Entwicklungen im Stadtteil
    if rng.random() < 0.93:
        draft.set("wohlfuehlen_stadtteil", _scale(rng, profile.wellbeing))
    if rng.random() < 0.85:
        draft.set("stadtteil_veraenderung",
                  _weighted(rng, dict(zip(_options(survey, "stadtteil_veraenderung"), profile.change, strict=True))))

    # Fördermöglichkeiten
    if rng.random() < 0.75:
        if rng.random() < 0.25 * profile.support.get("keine", 1.0) * (0.4 if not german else 1.0):
            draft.set("foerderung_bedarf", "keine")
        else:
            weights = {code: profile.support.get(code, 1.0) for code in _options(survey, "foerderung_bedarf")
                       if code != "keine"}
            if not german:
                weights["sprachfoerderung_kind"] *= 2.0
                weights["antraege"] *= 2.0
            if age in SCHOOL_AGE:
                weights["hausaufgaben"] *= 2.5
                weights["fruehe_hilfen"] *= 0.2
            else:
                weights["hausaufgaben"] *= 0.3
            weights["inklusion"] *= 0.4
            chosen = _sample(rng, weights, rng.choice([1, 1, 2, 2, 3]))
            if german and rng.random() < 0.04:
                chosen.append(OTHER)
                draft.raw["q_foerderung_bedarf_other"] = [rng.choice(OTHER_TEXTS["foerderung_bedarf"])]
            draft.set("foerderung_bedarf", *chosen)
    if rng.random() < 0.9:
        informed = profile.informed - (0.2 if not german else 0.0)
        draft.set("foerderung_informiert", YES if rng.random() < informed else "no")
    if rng.random() < (0.45 if german else 0.7):
        choices = HOME_LANGUAGES[language]
        weights = {text: w * (profile.multilingual if german and text.lower() != "deutsch" else 1.0)
                   for text, w in choices}
        draft.set("sprachen_zuhause", _weighted(rng, weights))

    _free_texts(draft, profile, rng, pool, {q.key for q in survey.questions if q.kind is QuestionKind.LONG_TEXT})
    return draft


def _days(rng: random.Random, first: date, last: date, busy_start: int, busy_end: int) -> date:
    """A submission day in [first, last]; the first and last days of the window are busier (launch, reminder)."""
    span = (last - first).days
    weights = [3.0 if d < busy_start else 2.0 if d > span - busy_end else 1.0 for d in range(span + 1)]
    return first + timedelta(days=rng.choices(range(span + 1), weights=weights)[0])


async def _answer(survey: SurveyDef, season: str, rng: random.Random, pool: FreeTextPool,
                  first: date, last: date) -> dict[str, int]:
    """Save each district's responses through the parents' validation; then date them inside the window."""
    districts = {row["name"]: row["id"] for row in await District.select(District.id, District.name)}
    centres: dict[int, list[int]] = defaultdict(list)
    for row in await Centre.select(Centre.id, Centre.district).order_by(Centre.id):
        centres[row["district"]].append(row["id"])
    drafts: list[Draft] = []
    for name, profile in PROFILES.items():
        if name not in districts:
            continue
        count = profile.autumn if season == "autumn" else profile.spring
        drafts += [_draft(survey, name, profile, centres[districts[name]], rng, pool) for _ in range(count)]
    rng.shuffle(drafts)  # parents of all districts answer side by side
    by_day: dict[date, list[str]] = defaultdict(list)
    counts: Counter[str] = Counter()
    for draft in drafts:
        answers, errors = answering.evaluate(survey, draft.raw)
        if errors:
            raise ValueError(f"Demo response does not pass the form's validation: {errors}")
        submission_id = answering.new_submission_id()
        outcome = await answering.save_response(
            survey, district_id=districts[draft.district], centre_id=draft.centre_id, language=draft.language,
            answers=answers, submission_id=submission_id,
        )
        if outcome is not answering.SaveOutcome.SAVED:
            raise ValueError(f"Demo response not saved: {outcome}")
        by_day[_days(rng, first, last, 7, 8)].append(submission_id)
        counts[draft.district] += 1
    # save_response stamps today's date; a demo response is dated on a day inside its survey's window.
    ids = {row["submission_id"]: row["id"] for row in await Response.select(Response.id, Response.submission_id)
           .where(Response.survey == survey.id)}
    for day, submissions in sorted(by_day.items()):
        await Response.update({Response.submitted_on: day}).where(
            Response.id.is_in([ids[s] for s in submissions])
        )
    return dict(counts)


# --- building the surveys ------------------------------------------------------------------------------------------

def _question_input(spec: dict) -> definition.QuestionInput:
    return definition.QuestionInput(
        key=spec["key"], kind=QuestionKind(spec["kind"]), text=spec["text"]["de"],
        help=spec.get("help", {}).get("de", ""), required=spec.get("required", False),
        options=[(code, labels["de"]) for code, labels in spec.get("options", [])],
        allow_other=spec.get("allow_other", False), low_label=spec.get("low", {}).get("de", ""),
        high_label=spec.get("high", {}).get("de", ""), min_value=spec.get("min_value"),
        max_value=spec.get("max_value"), whole_number=spec.get("whole_number", False),
        condition_key=spec.get("condition_key"), condition_value=spec.get("condition_value"),
    )


def translation_values(survey: SurveyDef, language: str) -> dict[str, str]:
    """The texts of `survey_content` in `language`, by the field names of `definition.translatable_texts`."""
    sections = {spec["title"]["de"]: spec for spec in content.SECTIONS}
    questions = {q["key"]: q for spec in content.SECTIONS for q in spec["questions"]}
    values = {"survey.title": content.SURVEY["title"][language], "survey.intro": content.SURVEY["intro"][language]}
    for section in survey.sections:
        for name in SECTION_TEXTS:
            if name in sections[section.title("de")]:
                values[f"section.{section.id}.{name}"] = sections[section.title("de")][name][language]
        for question in section.questions:
            spec = questions[question.key]
            for name in ("text", "help", "low", "high"):
                if spec.get(name):
                    values[f"question.{question.id}.{name}"] = spec[name][language]
            labels = dict(spec.get("options", []))
            for option in question.options:
                values[f"option.{option.id}"] = labels[option.value][language]
    return values


async def create_family_survey(round_id: int) -> int:
    """The "Familienumfrage" of `survey_content` for a round, with every translation (a draft)."""
    survey_id = await definition.create_survey(round_id, content.SURVEY["title"]["de"],
                                               content.SURVEY["intro"]["de"])
    survey = await definition.load_survey(survey_id)
    sections = {section.title("de"): section.id for section in survey.sections}
    for spec in content.SECTIONS:
        title = spec["title"]["de"]
        section_id = sections.get(title) or await definition.add_section(survey_id, title)
        if "parents_title" in spec:
            await definition.rename_section(survey_id, section_id, title, spec["parents_title"]["de"],
                                            spec["parents_intro"]["de"])
        for question in spec["questions"]:
            await definition.save_question(survey_id, section_id, None, _question_input(question))
    survey = await definition.load_survey(survey_id)
    for language in content.LANGUAGES[1:]:
        await definition.save_translation(survey_id, language, translation_values(survey, language))
    return survey_id


async def load_demo_surveys(progress: Callable[[str], None] = lambda step: None) -> None:
    """Add the past round (closed survey, ~400 responses) and the current round (open survey, first responses).

    Needs the districts and centres of `load_demo`. Reports four steps to `progress`.
    """
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    pool = FreeTextPool(rng)
    moment = datetime.now(UTC)
    async with transaction():
        progress("survey Herbst 2026")
        autumn_round = await create_round(Season.AUTUMN, 2026, session_date=date(2026, 10, 15), session_venue=VENUE)
        autumn_id = await create_family_survey(autumn_round)
        opened, closed = moment - timedelta(days=90), moment - timedelta(days=40)
        # Published like the office does (the end lies in the future when publishing) …
        await definition.publish_survey(autumn_id, opened, moment + timedelta(hours=1))

        progress("responses Herbst 2026")
        survey = await definition.load_survey(autumn_id)
        await _answer(survey, "autumn", rng, pool, opened.date(), closed.date() - timedelta(days=1))
        # … then closed, and the window dated back to when this past round really ran.
        await definition.close_survey(autumn_id)
        await Survey.update({
            Survey.closes_at: closed, Survey.published_at: opened - timedelta(days=3),
        }).where(Survey.id == autumn_id)

        progress("survey Frühjahr 2027")
        spring_round = await create_round(Season.SPRING, 2027, session_date=date(2027, 3, 18), session_venue=VENUE)
        spring_id = await definition.copy_survey(autumn_id, spring_round)
        await definition.publish_survey(spring_id, moment - timedelta(days=14), moment + timedelta(days=75))
        await Survey.update({Survey.published_at: moment - timedelta(days=15)}).where(Survey.id == spring_id)

        progress("responses Frühjahr 2027")
        survey = await definition.load_survey(spring_id)
        await _answer(survey, "spring", rng, pool, (moment - timedelta(days=14)).date(), moment.date())
