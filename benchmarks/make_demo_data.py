"""Write the labelled demo set of parents' free-text answers (participation/demo/data/freitext_eltern.jsonl).

The answers are composed from hand-written sentences in the voice of parents in Ludwigsburg, with slots (district,
child, times), optional openers and closers, and a little spelling noise, so that no two lines are the same. The
generator is deterministic; run it again only when the sentences change:

    python benchmarks/make_demo_data.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "participation" / "demo" / "data" / "freitext_eltern.jsonl"

ORTE = [
    "Eglosheim", "Grünbühl", "Sonnenberg", "Hoheneck", "Neckarweihingen", "Oßweil", "Pflugfelden",
    "Poppenweiler", "der Weststadt", "der Oststadt", "der Innenstadt", "Schlösslesfeld",
]
KIND = [
    "unser Sohn", "unsere Tochter", "meine Tochter", "mein Sohn", "unsere Kleine", "unser Kleiner",
    "unser Jüngster", "meine Große",
]
KINDER = ["unsere Kinder", "meine Kinder", "die Kinder", "unsere zwei", "unsere Jungs", "die Kleinen"]

THEMES: dict[str, list[str]] = {
    "oeffnungszeiten": [
        "Die Kita macht schon um 14 Uhr zu, das schaffe ich mit meiner Arbeit einfach nicht.",
        "Längere Öffnungszeiten am Nachmittag wären eine riesige Hilfe, gerne bis 17 Uhr.",
        "Ich arbeite im Schichtdienst im Klinikum, eine Öffnung ab 6 Uhr morgens bräuchten wir dringend.",
        "Freitags schließt unsere Einrichtung schon mittags, da muss ich jedes Mal früher gehen.",
        "Die Bring- und Abholzeiten sind viel zu starr, wir brauchen mehr Flexibilität.",
        "Die vielen Schließtage übers Jahr verteilt sind für Berufstätige kaum machbar.",
        "Warum ist über Mittag zwischen 12 und 14 Uhr keine Abholung möglich? Das passt nicht zu Teilzeit.",
        "Ganztagsbetreuung bis in den späten Nachmittag gibt es in {ort} fast nicht.",
        "Wir wünschen uns verlängerte Öffnungszeiten, auch mal bis 18 Uhr für Eltern die im Einzelhandel arbeiten.",
        "Die Kernzeit in der Grundschule endet um 13 Uhr, danach stehen wir ohne Betreuung da.",
        "Die Öffnungszeiten orientieren sich nicht an der Realität von Familien in denen beide arbeiten.",
        "Morgens um 7:30 aufmachen ist zu spät, ich muss um 7 bei der Arbeit sein.",
        "Ein Ganztagsplatz mit Öffnung bis 16:30 würde uns schon reichen, aktuell ist um 14 Uhr Schluss.",
        "Die Randzeiten früh und spät sind das Problem, dazwischen ist alles gut.",
        "Bitte die Schließzeiten besser mit den Schulen abstimmen, die liegen nie gleich.",
        "Die verkürzten Öffnungszeiten wegen Personalmangel machen uns fertig, ständig heißt es heute bis 12.",
        "Abholen bis 15 Uhr ist mit Pendeln nach Stuttgart nicht zu schaffen.",
        "Schön wäre eine Spätgruppe für die Eltern, die länger arbeiten müssen.",
        "Die Kita öffnet zu spät und schließt zu früh, so einfach ist das.",
        "Flexible Betreuungszeiten statt fester Blöcke, dann könnten wir Familie und Beruf besser vereinbaren.",
        "Unsere Krippe hat nur VÖ bis 13:30, das reicht vorne und hinten nicht.",
    ],
    "kitaplatz": [
        "Wir stehen seit über einem Jahr auf der Warteliste für einen Kitaplatz.",
        "Es gibt in {ort} viel zu wenige Krippenplätze, wir haben nur Absagen bekommen.",
        "{kind_cap} ist jetzt drei und hat immer noch keinen Platz im Kindergarten.",
        "Ohne Betreuungsplatz kann ich nicht wieder arbeiten gehen, die Elternzeit ist längst vorbei.",
        "Das Vergabeverfahren für die Plätze ist völlig intransparent, keiner sagt einem wo man steht.",
        "Wir mussten einen Platz am anderen Ende der Stadt annehmen, jeden Tag 30 Minuten Fahrt.",
        "Bitte mehr Kitaplätze schaffen, die Neubaugebiete wachsen und die Kitas nicht.",
        "Die Anmeldung über das zentrale Portal hat bei uns ewig gedauert und dann kam trotzdem nichts.",
        "Geschwisterkinder sollten bei der Platzvergabe bevorzugt werden, sonst fahren wir zwei Kitas an.",
        "Wir haben den Rechtsanspruch, aber einen Platz gibt es trotzdem nicht.",
        "Mehr Plätze für unter Dreijährige, die Krippen sind alle voll.",
        "Eine Tagesmutter war unsere einzige Lösung, weil kein Kitaplatz frei war.",
        "Die Wartezeit auf einen Betreuungsplatz ist das größte Problem für uns als Familie.",
        "Ich habe bei sechs Einrichtungen angefragt und überall hieß es Warteliste.",
        "Wenn man zugezogen ist hat man bei der Platzvergabe praktisch keine Chance.",
        "Es braucht einen neuen Kindergarten in {ort}, der alte platzt aus allen Nähten.",
        "Wir hätten gerne eine verbindliche Zusage früher, nicht erst zwei Wochen vor Arbeitsbeginn.",
        "Die Platzvergabe sollte nach klaren Kriterien laufen, nicht nach Beziehungen.",
        "Für {kind} suchen wir seit Monaten einen Krippenplatz, bisher ohne Erfolg.",
        "Der Ausbau der Kindergartenplätze kommt viel zu langsam voran.",
    ],
    "kosten": [
        "Die Kitagebühren sind für uns kaum noch bezahlbar, vor allem mit zwei Kindern.",
        "Das Mittagessen ist in den letzten Jahren immer teurer geworden.",
        "Die Beiträge sollten sich stärker nach dem Einkommen richten.",
        "Eine Geschwisterermäßigung, die den Namen verdient, wäre schön.",
        "In anderen Bundesländern ist die Kita kostenlos, warum nicht auch in Baden-Württemberg?",
        "Die Gebührenerhöhung zum neuen Kindergartenjahr war ein Schock für uns.",
        "Für Familien mit wenig Geld sind die Kosten für Ausflüge und Material eine echte Belastung.",
        "Ich zahle für die Ganztagsbetreuung fast so viel wie für die Miete.",
        "Der Antrag auf Übernahme der Elternbeiträge beim Jugendamt ist viel zu kompliziert.",
        "Die Gebühren für die Krippe sind einfach zu hoch, da lohnt sich Arbeiten kaum.",
        "Bitte die Familienkarte der Stadt auch für Kurse im Familienzentrum gelten lassen.",
        "Kurse und Angebote für Eltern sollten kostenlos oder günstig sein, "
        "sonst kommen nur die die es sich leisten können.",
        "Mit Bildung und Teilhabe klappt es bei uns nie, die Anträge sind ein Albtraum.",
        "Die Essensgeld-Abrechnung ist undurchsichtig, und wir zahlen auch wenn {kind} krank ist.",
        "Alleinerziehende sollten bei den Gebühren stärker entlastet werden.",
        "Die Preise für die Ferienfreizeit und das Essen steigen jedes Jahr, das Gehalt nicht.",
        "Wir verdienen knapp über der Grenze und bekommen deshalb keinerlei Ermäßigung.",
        "Die Kosten für die Kernzeitbetreuung sind im Vergleich zu Nachbarstädten sehr hoch.",
        "Gebührenfreie Kita wenigstens im letzten Jahr vor der Schule wäre ein Anfang.",
        "Das Geld für den Elternbeitrag fehlt uns am Monatsende.",
    ],
    "sprachfoerderung": [
        "{kind_cap} spricht zu Hause nur Türkisch und braucht mehr Sprachförderung in Deutsch.",
        "Mehr Sprachförderung im Kindergarten, damit die Kinder gut vorbereitet in die Schule kommen.",
        "Es sollte mehr Deutschkurse für Mütter geben, am besten mit Kinderbetreuung während des Kurses.",
        "Die Sprachstandserhebung kam bei uns viel zu spät, da war schon ein Jahr verloren.",
        "Zweisprachige Vorlesestunden in der Bücherei oder im Familienzentrum fände ich toll.",
        "Die Elternbriefe bitte auch in einfacher Sprache oder auf Arabisch und Türkisch.",
        "Die Fachkräfte für Sprachförderung sind gestrichen worden, das merkt man deutlich.",
        "Logopädie ist kaum zu bekommen, die Wartezeit beträgt Monate.",
        "Mein Deutsch ist nicht so gut, ich verstehe die Erzieherinnen oft nicht.",
        "Ein Sprachcafé für Eltern wo man Deutsch üben kann wäre super.",
        "Die Kinder mit Migrationshintergrund brauchen mehr Unterstützung beim Deutsch lernen, "
        "vor allem vor der Einschulung.",
        "Bei Elterngesprächen sollte ein Dolmetscher dabei sein, wir haben vieles nicht verstanden.",
        "{kind_cap} wächst dreisprachig auf, die Erzieherinnen wissen oft nicht wie sie damit umgehen sollen.",
        "Mehr Vorlesen, Singen und Sprachspiele im Alltag der Kita, das hilft allen Kindern.",
        "Ein Kurs zur Sprachentwicklung für Eltern, was man zu Hause selbst machen kann.",
        "Die Sprachförderung nach SPATZ findet bei uns nur unregelmäßig statt.",
        "Deutschkurs mit Kinderbetreuung, sonst kann ich als Mama nicht hingehen.",
        "Die Mehrsprachigkeit der Kinder sollte als Stärke gesehen und gefördert werden.",
        "Übersetzte Informationen zur Schulanmeldung wären für viele Familien wichtig.",
        "Mein Sohn wurde zurückgestellt wegen der Sprache, früher Förderung hätte das verhindert.",
    ],
    "spielplatz_stadtteil": [
        "Der Spielplatz in {ort} ist total heruntergekommen, die Rutsche ist seit Monaten gesperrt.",
        "Es fehlen Spielplätze für kleinere Kinder, alles ist nur für die Großen.",
        "Auf dem Spielplatz liegen abends Scherben und Zigarettenkippen, morgens geht man da nicht hin.",
        "Der Schulweg ist gefährlich, da fehlt ein Zebrastreifen an der Hauptstraße.",
        "Es gibt keinen überdachten Spielbereich, bei Regen ist im Stadtteil nichts los für Kinder.",
        "Mehr Grünflächen und Bänke im Quartier, wo sich Familien treffen können.",
        "Ein Treffpunkt für Jugendliche fehlt in {ort}, die hängen sonst an der Bushaltestelle rum.",
        "Die Autos fahren viel zu schnell durch unsere Wohnstraße, Tempo 30 bitte.",
        "Ein Wasserspielplatz wäre im Sommer toll, es ist ja sonst nirgends Schatten.",
        "Die Toiletten am großen Spielplatz sind immer abgeschlossen.",
        "Im Neubaugebiet wurde der Spielplatz einfach vergessen.",
        "Der Bolzplatz wurde geschlossen und seitdem gibt es keine Fläche mehr zum Fußballspielen.",
        "Mit dem Kinderwagen kommt man in {ort} kaum über die Bordsteine, mehr Barrierefreiheit bitte.",
        "Die Spielgeräte sind alt und teilweise kaputt, da müsste die Stadt mal ran.",
        "Es fehlen Sonnensegel und Bäume über den Sandkästen.",
        "Ein Familienfest im Stadtteil einmal im Jahr würde die Nachbarschaft zusammenbringen.",
        "Mehr Fahrradwege, damit die Kinder sicher zur Schule und zum Sportverein kommen.",
        "Der Spielplatz hinter der Kita wird von Hundebesitzern als Hundeklo benutzt.",
        "Die Beleuchtung auf dem Weg durch den Park ist schlecht, im Winter haben wir Angst.",
        "Wir brauchen in {ort} einen Indoor-Spielraum für die kalte Jahreszeit.",
    ],
    "beratung": [
        "Eine Erziehungsberatung direkt im Familienzentrum wäre niedrigschwelliger als beim Amt.",
        "Als Alleinerziehende fühle ich mich oft allein gelassen, ich wüsste nicht wohin mit meinen Fragen.",
        "Die Wartezeit bei der Beratungsstelle beträgt drei Monate, das ist in einer Krise viel zu lang.",
        "Offene Sprechstunden ohne Termin, wo man einfach mal hingehen kann.",
        "Hilfe beim Ausfüllen von Anträgen wie Kinderzuschlag und Wohngeld wäre sehr wichtig.",
        "Nach der Geburt hätte ich mir mehr Unterstützung gewünscht, eine Hebamme war nicht zu finden.",
        "Beratung zu Schlafproblemen und Trotzphase, ganz praktisch, nicht nur Broschüren.",
        "Ein Elterncafé, in dem auch eine Sozialarbeiterin ansprechbar ist.",
        "Unterstützung bei Trennung und Scheidung, vor allem wie man es den Kindern erklärt.",
        "Es gibt so viele Angebote, aber keiner weiß was es alles gibt, eine zentrale Anlaufstelle fehlt.",
        "Beratung zur Schullaufbahn und zum Übergang in die weiterführende Schule.",
        "Psychologische Unterstützung für Eltern, die einfach am Ende sind.",
        "Wir haben ein Kind mit Behinderung und finden keine Beratung zur Inklusion.",
        "Die Frühen Hilfen waren für uns super, sowas sollte es länger als bis zum dritten Lebensjahr geben.",
        "Beratung bei Schulden und Geldsorgen, ohne dass man sich schämen muss.",
        "Ein Elternkurs zum Thema Medien und Handy, wir wissen nicht wie viel Bildschirmzeit okay ist.",
        "Ich wünsche mir eine Ansprechperson, die bei Konflikten mit der Schule vermittelt.",
        "Hausbesuche für Familien, die selbst nicht den Weg in die Beratungsstelle schaffen.",
        "Familienberatung auch abends, weil wir tagsüber beide arbeiten.",
        "Unterstützung bei der Suche nach einem Kinderarzt, die nehmen keine neuen Patienten mehr.",
    ],
    "ferienbetreuung": [
        "In den Sommerferien ist die Kita drei Wochen zu, so viel Urlaub haben wir gar nicht.",
        "Die Ferienbetreuung für Grundschulkinder ist innerhalb von Minuten ausgebucht.",
        "Mehr Ferienprogramm in den Pfingstferien und Herbstferien, nicht nur im Sommer.",
        "Die Anmeldung zur Ferienbetreuung muss fairer werden, wer zuerst klickt gewinnt ist ungerecht.",
        "Bezahlbare Ferienfreizeiten für Kinder aus {ort} wären toll.",
        "Wir müssen 14 Wochen Schulferien abdecken, haben aber nur 30 Tage Urlaub zusammen.",
        "Eine Ferienbetreuung ganztags bis 16 Uhr, nicht nur vormittags.",
        "Die Schließzeit über Weihnachten ist für Eltern im Handel eine Katastrophe.",
        "Ein gemeinsames Ferienangebot von allen Familienzentren in der Stadt würde vieles leichter machen.",
        "Die Ferienbetreuung sollte früher bekannt gegeben werden, damit wir unseren Urlaub planen können.",
        "In den Ferien wäre eine Notgruppe für Berufstätige super.",
        "Das Ferienprogramm der Stadt ist schön, aber viel zu wenige Plätze.",
        "Ferienbetreuung für Kinder mit Förderbedarf gibt es leider gar nicht.",
        "Wir sind auf Oma und Opa angewiesen, sobald Ferien sind, und die wohnen weit weg.",
        "Bitte Ferienangebote auch für ältere Kinder ab zwölf, die fallen überall raus.",
        "Die Sommerschließung sollte zwischen den Einrichtungen gestaffelt sein, dann kann man ausweichen.",
        "Ferienspiele mit Ausflügen in die Natur, das würde {kind} lieben.",
        "Betreuung in den Faschingsferien fehlt komplett.",
    ],
    "personal": [
        "Es gibt viel zu wenige Erzieherinnen, die Gruppen sind ständig unterbesetzt.",
        "Der ständige Personalwechsel ist für {kind} schwer, kaum hat man sich an jemand gewöhnt ist sie wieder weg.",
        "Die Erzieher machen einen tollen Job, aber sie sind völlig überlastet.",
        "Wegen Krankheit beim Personal wird die Betreuungszeit dauernd gekürzt.",
        "Bessere Bezahlung für die Fachkräfte, sonst findet man niemand mehr.",
        "Die Gruppen sind zu groß, 25 Kinder auf zwei Erzieherinnen ist zu viel.",
        "Man merkt den Fachkräftemangel jeden Tag, es fallen Angebote aus und die Stimmung ist schlecht.",
        "Mehr Männer als Erzieher würden den Kindern guttun.",
        "Die Leitung ist seit einem halben Jahr nicht besetzt, niemand fühlt sich verantwortlich.",
        "Es arbeiten viele Aushilfen ohne Ausbildung, die Qualität leidet.",
        "Das Personal hat kaum Zeit für Elterngespräche, alles läuft zwischen Tür und Angel.",
        "Die Stadt sollte mehr Ausbildungsplätze für Erzieher schaffen und die PiA-Ausbildung fördern.",
        "Wir haben die Erzieherin unserer Gruppe dreimal in einem Jahr gewechselt.",
        "Die Fachkräfte brauchen mehr Vorbereitungszeit und weniger Bürokratie.",
        "Notbetreuung wegen Personalmangel ist bei uns inzwischen die Regel und nicht die Ausnahme.",
        "Ich wünsche mir ein festes Team, das die Kinder wirklich kennt.",
        "Die Erzieherinnen sind super lieb, aber es sind einfach zu wenige.",
        "Springerkräfte für Krankheitsfälle, damit nicht jedes Mal die Gruppe zu bleibt.",
    ],
    "angebote_vaeter": [
        "Es gibt kaum Angebote für Väter, alles findet vormittags statt wenn wir arbeiten.",
        "Ein Vater-Kind-Wochenende oder Papa-Kind-Turnen am Samstag wäre klasse.",
        "Als Papa fühle ich mich im Familienzentrum oft wie der einzige Mann.",
        "Väterabende zum Austausch, gerne auch locker beim Grillen.",
        "Die Einladungen richten sich immer an die Mütter, bitte auch Väter direkt ansprechen.",
        "Ein Papa-Frühstück am Samstag im Familienzentrum würde ich sofort besuchen.",
        "Kurse für Väter in Elternzeit, damit man andere Väter kennenlernt.",
        "Väter werden bei Elterngesprächen oft gar nicht angesprochen, obwohl wir auch da sind.",
        "Ein Angebot Papa und ich, zum Beispiel Werken oder Kochen mit den Kindern.",
        "Mehr Angebote am Wochenende, damit auch berufstätige Väter teilnehmen können.",
        "Eine Vätergruppe für Trennungsväter, die ihre Kinder nur alle zwei Wochen sehen.",
        "Mein Mann würde gerne mehr machen, aber alle Kurse sind zu Zeiten an denen er arbeitet.",
        "Vater-Kind-Zelten oder eine Kanutour im Sommer, das wäre was für uns.",
        "Die Krabbelgruppe heißt Mütterkreis, da fühlen sich Papas natürlich nicht eingeladen.",
        "Austausch unter Vätern zu Themen wie Vereinbarkeit und Elternzeit fehlt total.",
        "Ein Papa-Café am Abend oder Samstagvormittag, ohne Anmeldung.",
        "Angebote für Väter mit Migrationsgeschichte, gerne auch mehrsprachig.",
        "Bitte Vätern das Gefühl geben, dass sie im Familienzentrum genauso willkommen sind.",
    ],
    "digitale_kommunikation": [
        "Eine Kita-App für Nachrichten und Krankmeldungen wäre viel besser als die Zettel im Fach.",
        "Die Infos kommen oft zu spät oder gar nicht, weil alles nur am Aushang hängt.",
        "Bitte Elternbriefe per E-Mail, die Zettel gehen im Rucksack verloren.",
        "Online-Anmeldung für Kurse und die Ferienbetreuung, nicht nur persönlich zu Bürozeiten.",
        "Die Kommunikation mit der Kita läuft nur über WhatsApp-Gruppen der Eltern, das ist nicht gut.",
        "Eine Webseite mit allen Angeboten der Familienzentren, die auch auf dem Handy funktioniert.",
        "Krankmeldung telefonisch geht morgens nie durch, eine digitale Lösung wäre super.",
        "Ein digitaler Kalender mit allen Terminen und Schließtagen zum Abonnieren.",
        "Fotos und kurze Berichte aus dem Kita-Alltag über eine sichere App würden mich freuen.",
        "Die Homepage der Stadt ist unübersichtlich, man findet nichts über die Familienzentren.",
        "Newsletter vom Familienzentrum per Mail, einmal im Monat reicht.",
        "Elterngespräche auch mal per Video, das spart uns Wege und Urlaubstage.",
        "Die Anmeldung über das Online-Portal ist umständlich und funktioniert auf dem Smartphone nicht.",
        "Informationen digital und mehrsprachig, mit Übersetzungsfunktion in der App.",
        "Ich würde mir eine digitale Pinnwand wünschen statt der vielen Papierzettel.",
        "Schnellere Info per Push-Nachricht wenn die Kita früher schließt.",
        "Datenschutz ist wichtig, aber eine offizielle App ist besser als private Chatgruppen.",
        "Umfragen wie diese online ausfüllen zu können finde ich gut, bitte öfter.",
    ],
}

OTHER_LANGUAGE = [
    "Kreşte daha fazla yer olmalı, çocuğum için bir yıldır bekliyoruz.",
    "Çocuklar için Almanca kursu lazım, ben de Almanca öğrenmek istiyorum.",
    "Kita saatleri çok kısa, iş yüzünden çocuğu almak çok zor.",
    "Oyun parkı çok eski ve kirli, lütfen yenileyin.",
    "cocuklar icin daha cok etkinlik olsun, hafta sonu da acik olsun",
    "We need longer opening hours, I work until 5 pm and the daycare closes at 2.",
    "Please send information in English as well, I don't understand the letters.",
    "More playgrounds for small children and a safe way to school would be great.",
    "The fees for the kindergarten are too high for our family.",
    "نحتاج إلى دروس لغة ألمانية للأمهات مع رعاية للأطفال.",
    "أرجو أن تكون المعلومات باللغة العربية أيضا، لا أفهم الرسائل.",
    "لا يوجد مكان في الروضة لابني منذ سنة.",
    "Нам нужно больше мест в детском саду, мы ждём уже год.",
    "Хотелось бы курсы немецкого языка для родителей с присмотром за детьми.",
    "Детская площадка в нашем районе очень старая.",
    "Potrzebujemy więcej miejsc w przedszkolu, czekamy już od roku.",
]

# Answers that belong to no theme: thanks, "nothing", off-topic remarks. The platform should put them in Sonstiges.
NO_THEME = [
    "Danke für die Umfrage!", "Weiß nicht.", "Alles gut so, macht weiter so.", "keine Angabe", "-", "Nichts.",
    "Bin zufrieden.", "Die Umfrage war mir zu lang.", "Mein Nachbar parkt ständig vor unserer Einfahrt.",
    "Ich finde die Politik sollte mal mehr für Rentner tun.", "passt schon", "Hab ich schon letztes Mal geschrieben.",
    "Wir wohnen erst seit kurzem hier und kennen uns noch nicht aus.", "Der Bus nach Stuttgart ist ständig zu spät.",
]

OPENERS = [
    "", "", "", "", "", "", "Also ", "Ehrlich gesagt: ", "Für uns als Familie: ", "Ganz klar: ", "Hallo, ",
    "Mir ist wichtig: ", "Was ich mir wünsche: ", "Kurz und knapp: ", "Naja, ",
]
LOWER_AFTER_COMMA = {
    "Die", "Der", "Das", "Es", "Ein", "Eine", "Wir", "Ich", "Mehr", "Bitte", "Warum", "Wenn", "Mit", "In", "Im", "Auf",
    "Als", "Nach", "Man", "Für", "Morgens", "Freitags", "Längere", "Schön", "Bessere", "Flexible", "Abholen",
}
CONTEXT = [
    "Ich bin alleinerziehend mit zwei Kindern.", "Wir sind vor einem Jahr nach Ludwigsburg gezogen.",
    "Mein Mann und ich arbeiten beide Vollzeit.", "Ich arbeite in der Pflege im Schichtdienst.",
    "Wir wohnen in {ort}.", "Wir haben drei Kinder zwischen 2 und 9.", "Ich bin in Elternzeit.",
    "Wir haben keine Großeltern in der Nähe.",
]
CLOSERS = [
    "", "", "", "", "", "Danke!", "Danke für die Umfrage.", "Das wäre super.", "Vielen Dank.", "Bitte ändern!",
    ":)", "LG", "Das wünsche ich mir.", "Das wäre eine echte Entlastung.",
]


def fill(sentence: str, rng: random.Random) -> str:
    kind = rng.choice(KIND)
    return sentence.format(ort=rng.choice(ORTE), kind=kind, kind_cap=kind[0].upper() + kind[1:],
                           kinder=rng.choice(KINDER))


def add_noise(text: str, rng: random.Random) -> str:
    """A few typing habits seen in real answers: no capitals, ae/ue for umlauts, a dropped or swapped letter."""
    r = rng.random()
    if r < 0.08:
        text = text.lower()
    elif r < 0.14:
        text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        words = text.split(" ")
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 5:
            j = rng.randrange(1, len(w) - 2)
            if rng.random() < 0.5:
                w = w[:j] + w[j + 1:]
            else:
                w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            words[i] = w
        text = " ".join(words)
    if rng.random() < 0.1:
        text = text.rstrip(".") + "!!"
    return text


def answer(label: str, rng: random.Random) -> str:
    pool = THEMES[label]
    n = rng.choices([1, 2, 3], weights=[5, 4, 1])[0]
    parts = [fill(s, rng) for s in rng.sample(pool, n)]
    if rng.random() < 0.2:
        parts.insert(rng.randrange(len(parts) + 1), fill(rng.choice(CONTEXT), rng))
    if n == 1 and rng.random() < 0.15:
        # the short, shouted kind of answer: only the first clause
        parts = [parts[0].split(",")[0].rstrip(".") + "!"]
    opener = rng.choice(OPENERS)
    body = " ".join(parts)
    if opener.endswith(", ") and body.split(" ", 1)[0] in LOWER_AFTER_COMMA:
        body = body[0].lower() + body[1:]
    text = opener + body
    closer = rng.choice(CLOSERS)
    if closer:
        text += " " + closer
    if rng.random() < 0.3:
        text = add_noise(text, rng)
    return text.strip()


def main() -> None:
    rng = random.Random(20270301)
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    per_label = 48
    for label in THEMES:
        made = 0
        while made < per_label:
            text = answer(label, rng)
            if text.lower() in seen:
                continue
            seen.add(text.lower())
            rows.append({"text": text, "label": label})
            made += 1
    rows.extend({"text": t, "label": "other_language"} for t in OTHER_LANGUAGE)
    rows.extend({"text": t, "label": "sonstiges"} for t in NO_THEME)
    rng.shuffle(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows, 1):
            fh.write(json.dumps({"id": f"a{i:04d}", **row}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} answers -> {OUT}")


if __name__ == "__main__":
    main()
