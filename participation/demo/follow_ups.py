"""Demo: each centre's small offering plan, and the centres' answers to some published action items."""

from __future__ import annotations

from participation.directory.services import list_centres
from participation.offerings.schemas import FollowUpStatus
from participation.offerings.services.follow_ups import (
    Actor,
    _follow_ups,
    accept_action,
    decline_action,
    implement_action,
)
from participation.offerings.services.plans import OfferingInput, create_offering
from participation.offerings.tables import Offering


def _words(de: str, en: str, tr: str, ar: str, ru: str, uk: str) -> tuple[str, dict[str, str]]:
    return de, {"en": en, "tr": tr, "ar": ar, "ru": ru, "uk": uk}


#: What became of each demo action item (by title): status, internal note or reason, the public words. It follows
#: the decisions in the demo minutes (`demo.minutes.NOTES`): only an item whose decision was to examine something is
#: declined; items not listed stay proposals (waiting for the centre's answer).
STORY = {
    "Längere Öffnungszeiten prüfen": (FollowUpStatus.ACCEPTED, "Bedarfsabfrage läuft.", _words(
        "Wir fragen den Bedarf bis 17 Uhr in zwei Kitas ab und berichten im Frühjahr.",
        "We are asking about the need for care until 5 pm in two day-care centres and will report in spring.",
        "İki kreşte saat 17'ye kadar bakım ihtiyacını soruyoruz ve ilkbaharda bilgi vereceğiz.",
        "نسأل عن الحاجة إلى الرعاية حتى الساعة الخامسة مساءً في روضتين وسنبلغكم في الربيع.",
        "Мы выясняем потребность в уходе до 17 часов в двух детских садах и сообщим весной.",
        "Ми з'ясовуємо потребу в догляді до 17:00 у двох дитсадках і повідомимо навесні.")),
    "Ferienbetreuung abfragen": (FollowUpStatus.IMPLEMENTED, "Abfrage im Januar abgeschlossen.", _words(
        "Wir haben den Bedarf für die Oster- und Sommerferien gesammelt und an die Stadt gegeben.",
        "We collected the need for care in the Easter and summer holidays and passed it on to the city.",
        "Paskalya ve yaz tatili için bakım ihtiyacını topladık ve belediyeye ilettik.",
        "جمعنا الحاجة إلى الرعاية في عطلتي الفصح والصيف وأرسلناها إلى المدينة.",
        "Мы собрали потребность в присмотре на пасхальные и летние каникулы и передали её городу.",
        "Ми зібрали потребу в догляді на великодні та літні канікули й передали її місту.")),
    "Wartezeiten veröffentlichen": (FollowUpStatus.ACCEPTED, "Erste Veröffentlichung im März.", _words(
        "Die Wartezeiten für Krippenplätze je Stadtteil stehen ab März auf der Website der Stadt.",
        "Waiting times for nursery places by district will be on the city's website from March.",
        "Mahalle bazında kreş bekleme süreleri Mart'tan itibaren belediyenin internet sitesinde olacak.",
        "ستُنشر أوقات الانتظار لأماكن الحضانة حسب الحي على موقع المدينة اعتبارًا من مارس.",
        "Сроки ожидания мест в яслях по районам появятся на сайте города с марта.",
        "Терміни очікування місць у яслах за районами з'являться на сайті міста з березня.")),
    "Vätergruppe starten": (FollowUpStatus.IMPLEMENTED, "Erstes Treffen mit acht Vätern.", _words(
        "Die Vätergruppe trifft sich jeden zweiten Mittwoch um 18 Uhr.",
        "The fathers' group meets every other Wednesday at 6 pm.",
        "Babalar grubu iki haftada bir çarşamba saat 18'de buluşuyor.",
        "تجتمع مجموعة الآباء كل أربعاء ثانٍ في الساعة السادسة مساءً.",
        "Группа для отцов встречается каждую вторую среду в 18 часов.",
        "Група для батьків-чоловіків збирається щосереди через тиждень о 18:00.")),
    "Spielplatzbegehung": (FollowUpStatus.IMPLEMENTED, "Begehung am 28. Oktober.", _words(
        "Die Spielplätze wurden mit Eltern begangen; zwei Geräte werden bis Mai ersetzt.",
        "The playgrounds were inspected together with parents; two pieces of equipment will be replaced by May.",
        "Oyun alanları velilerle birlikte gezildi; iki oyun aleti Mayıs'a kadar değiştirilecek.",
        "تمت معاينة الملاعب مع الآباء والأمهات؛ وسيتم استبدال لعبتين حتى مايو.",
        "Детские площадки осмотрели вместе с родителями; два снаряда заменят до мая.",
        "Дитячі майданчики оглянули разом з батьками; два атракціони замінять до травня.")),
    "Antragssprechstunde mit Dolmetschenden": (FollowUpStatus.ACCEPTED, "Dolmetschende angefragt.", _words(
        "Ab Februar gibt es jeden Dienstag eine Sprechstunde zu Anträgen, auf Türkisch und Arabisch.",
        "From February there is a consultation hour on applications every Tuesday, in Turkish and Arabic.",
        "Şubat'tan itibaren her salı Türkçe ve Arapça başvuru danışma saati var.",
        "ابتداءً من فبراير توجد كل يوم ثلاثاء ساعة استشارة حول الطلبات باللغتين التركية والعربية.",
        "С февраля каждый вторник проходит консультация по заявлениям на турецком и арабском языках.",
        "З лютого щовівторка проходить консультація щодо заяв турецькою та арабською мовами.")),
    "Sprachcafé für Eltern": (FollowUpStatus.DECLINED, "Geprüft: Der Raum ist bis Sommer belegt.", _words(
        "Wir haben das Sprachcafé geprüft: Bis zum Sommer fehlt uns ein Raum. Bis dahin verweisen wir auf das "
        "Sprachcafé im Zentrum Grünbühl.",
        "We looked into the language café: we have no room until summer. Until then, please use the language café "
        "at the Grünbühl centre.",
        "Dil kafesini inceledik: Yaza kadar odamız yok. O zamana kadar Grünbühl merkezindeki dil kafesini "
        "öneriyoruz.",
        "درسنا فكرة مقهى اللغة: لا تتوفر لدينا غرفة حتى الصيف. حتى ذلك الحين ننصح بمقهى اللغة في مركز "
        "Grünbühl.",
        "Мы изучили идею языкового кафе: до лета у нас нет помещения. До тех пор приглашаем в языковое кафе "
        "центра Grünbühl.",
        "Ми розглянули ідею мовного кафе: до літа в нас немає приміщення. До того часу запрошуємо до мовного "
        "кафе центру Grünbühl.")),
}

#: The items' titles for parents, in their languages (en, tr, ar, ru, uk).
TITLES = {
    "Längere Öffnungszeiten prüfen": ("Check longer opening hours", "Daha uzun açılış saatlerini incelemek",
                                      "دراسة تمديد ساعات العمل", "Проверить более долгие часы работы",
                                      "Перевірити довші години роботи"),
    "Ferienbetreuung abfragen": ("Ask about holiday care", "Tatil bakımı ihtiyacını sormak",
                                 "الاستفسار عن الرعاية في العطلات", "Узнать потребность в присмотре на каникулах",
                                 "З'ясувати потребу в догляді на канікулах"),
    "Wartezeiten veröffentlichen": ("Publish waiting times", "Bekleme sürelerini yayımlamak",
                                    "نشر أوقات الانتظار", "Публиковать сроки ожидания",
                                    "Публікувати терміни очікування"),
    "Vätergruppe starten": ("Start a fathers' group", "Babalar grubu kurmak", "إطلاق مجموعة للآباء",
                            "Открыть группу для отцов", "Створити групу для батьків-чоловіків"),
    "Spielplatzbegehung": ("Playground inspection", "Oyun alanlarını gezmek", "معاينة الملاعب",
                           "Осмотр детских площадок", "Огляд дитячих майданчиків"),
    "Antragssprechstunde mit Dolmetschenden": (
        "Help with applications, with interpreters", "Tercümanlı başvuru danışma saati",
        "ساعة استشارة حول الطلبات مع مترجمين", "Консультация по заявлениям с переводчиками",
        "Консультація щодо заяв із перекладачами"),
    "Sprachcafé für Eltern": ("Language café for parents", "Veliler için dil kafesi", "مقهى اللغة للآباء والأمهات",
                              "Языковое кафе для родителей", "Мовне кафе для батьків"),
}


def _titles(title: str) -> dict[str, str] | None:
    found = TITLES.get(title)
    return dict(zip(("en", "tr", "ar", "ru", "uk"), found, strict=True)) if found else None


async def add_demo_follow_ups() -> int:
    """Demo: give each centre a small plan and let the centres answer the published action items as `STORY` tells;
    returns how many follow-ups were recorded. Safe to call once after the demo's minutes are published (needs a
    centre user or an office user as author)."""
    from participation.accounts.tables import User

    count = 0
    for centre in await list_centres():
        if not await Offering.exists().where(Offering.centre == centre.id):
            await create_offering(centre.id, OfferingInput(
                title="Elterncafé", kind="encounter", topic="Austausch im Stadtteil", target_group="Eltern mit Kindern "
                "bis 6 Jahre", languages="Deutsch, Türkisch, Arabisch", schedule="dienstags 9–11 Uhr", capacity=20,
                status="running"))
            await create_offering(centre.id, OfferingInput(
                title="Sprechstunde Erziehungsberatung", kind="counselling", target_group="Familien",
                languages="Deutsch", schedule="jeden ersten Donnerstag im Monat", capacity=6, status="planned"))
    users = await User.select(User.id, User.display_name, User.centre, User.role)
    for view in await _follow_ups():
        story = STORY.get(view.title)
        if view.status is not FollowUpStatus.PROPOSED or story is None:
            continue
        author = next((u for u in users if (u["centre"] == view.centre_id if view.centre_id else u["role"] ==
                                            "office")), None)
        if author is not None:
            actor = Actor(author["id"], author["display_name"], view.centre_id, view.centre_id is None)
        elif view.centre_id is not None:
            # Centres without a demo account: the history names the centre's team, with no account behind it.
            actor = Actor(None, f"Team {view.responsible}", view.centre_id, False)
        else:
            continue
        status, note, (statement, translations) = story
        if status is FollowUpStatus.DECLINED:
            await decline_action(view.action_id, actor, reason=note, statement=statement, translations=translations,
                                 titles=_titles(view.title))
        else:
            new = None if view.centre_id is None else OfferingInput(title=view.title[:200], kind="education",
                                                                    status="planned")
            await accept_action(view.action_id, actor, new_offering=new, statement=statement,
                                translations=translations, titles=_titles(view.title))
            if status is FollowUpStatus.IMPLEMENTED:
                await implement_action(view.action_id, actor, note=note)
        count += 1
    return count
