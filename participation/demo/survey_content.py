"""The demo's "Familienumfrage": its questions per topic and every text in the six parent languages (data only).

Each text is a dict by language code (de, en, tr, ar, ru, uk). Sections are named by the round's topic (the German
section title); questions by their stable `key`; options by their stable code. `participation.demo.surveys` creates
the survey from the German texts and then maps the other languages onto the field names of
`definition.translatable_texts` by section title, question key and option code.

"Erster Bürgermeister" is the first deputy of Ludwigsburg's Oberbürgermeister; the translations name the role the
way parents in each language would understand it.
"""

from __future__ import annotations

LANGUAGES = ("de", "en", "tr", "ar", "ru", "uk")

SEVERAL = {
    "de": "Sie können mehrere Antworten wählen.",
    "en": "You can choose more than one answer.",
    "tr": "Birden fazla cevap seçebilirsiniz.",
    "ar": "يمكنكم اختيار أكثر من إجابة.",
    "ru": "Можно выбрать несколько ответов.",
    "uk": "Можна вибрати кілька відповідей.",
}

NOT_SATISFIED = {
    "de": "gar nicht zufrieden",
    "en": "not at all satisfied",
    "tr": "hiç memnun değilim",
    "ar": "غير راضين إطلاقًا",
    "ru": "совсем не довольны",
    "uk": "зовсім не задоволені",
}

VERY_SATISFIED = {
    "de": "sehr zufrieden",
    "en": "very satisfied",
    "tr": "çok memnunum",
    "ar": "راضون جدًا",
    "ru": "очень довольны",
    "uk": "дуже задоволені",
}

SURVEY = {
    "title": {
        "de": "Familienumfrage zum Familiendialog",
        "en": "Family survey for the Family Dialogue",
        "tr": "Aile Diyaloğu için aile anketi",
        "ar": "استبيان الأسرة من أجل الحوار الأسري",
        "ru": "Опрос для семей к Семейному диалогу",
        "uk": "Опитування для сімей до Сімейного діалогу",
    },
    "intro": {
        "de": "Liebe Eltern, zweimal im Jahr spricht der Erste Bürgermeister beim Familiendialog mit Familien aus "
              "Ludwigsburg. Mit dieser Umfrage bereiten wir das Gespräch vor: Sagen Sie uns, was gut läuft und was "
              "Ihrer Familie fehlt. Das dauert etwa 10 Minuten. Die Umfrage ist anonym – wir fragen nicht nach "
              "Ihrem Namen oder Ihrer Adresse. Fast alle Fragen sind freiwillig.",
        "en": "Dear parents, twice a year the First Mayor meets families from Ludwigsburg at the Family Dialogue. "
              "This survey helps us prepare for the meeting: tell us what works well and what your family is "
              "missing. It takes about 10 minutes. The survey is anonymous – we do not ask for your name or your "
              "address. Almost all questions are optional.",
        "tr": "Sevgili anne babalar, Birinci Belediye Başkan Yardımcısı yılda iki kez Aile Diyaloğu'nda "
              "Ludwigsburglu ailelerle bir araya geliyor. Bu anketle bu görüşmeye hazırlanıyoruz: Neyin iyi "
              "gittiğini ve ailenizin nelere ihtiyacı olduğunu bize anlatın. Anket yaklaşık 10 dakika sürer. "
              "Anket anonimdir; adınızı veya adresinizi sormuyoruz. Soruların neredeyse hepsi isteğe bağlıdır.",
        "ar": "أعزاءنا الآباء والأمهات، يلتقي النائب الأول لرئيس البلدية مرتين في السنة بعائلات من مدينة "
              "لودفيغسبورغ في الحوار الأسري. من خلال هذا الاستبيان نستعد لهذا اللقاء: أخبرونا بما يسير على ما "
              "يرام وبما ينقص أسرتكم. يستغرق ذلك نحو 10 دقائق. الاستبيان مجهول الهوية، فنحن لا نسأل عن اسمكم أو "
              "عنوانكم. الإجابة عن معظم الأسئلة اختيارية.",
        "ru": "Уважаемые родители! Два раза в год первый бургомистр встречается с семьями Людвигсбурга на "
              "Семейном диалоге. С помощью этого опроса мы готовимся к встрече: расскажите нам, что получается "
              "хорошо и чего не хватает Вашей семье. Это займёт около 10 минут. Опрос анонимный — мы не "
              "спрашиваем Ваше имя и адрес. Почти все вопросы необязательны.",
        "uk": "Шановні батьки! Двічі на рік перший бургомістр зустрічається з родинами Людвігсбурга на "
              "Сімейному діалозі. За допомогою цього опитування ми готуємося до зустрічі: розкажіть нам, що "
              "вдається добре і чого бракує Вашій родині. Це займе близько 10 хвилин. Опитування анонімне — ми "
              "не питаємо Вашого імені чи адреси. Майже всі питання необов’язкові.",
    },
}

SECTIONS = [
    # --- 1 ---------------------------------------------------------------------------------------------------------
    {
        "title": {
            "de": "Vereinbarkeit von Familie und Beruf",
            "en": "Balancing family and work",
            "tr": "Aile ve iş hayatını birlikte yürütmek",
            "ar": "التوفيق بين الأسرة والعمل",
            "ru": "Совмещение семьи и работы",
            "uk": "Поєднання сім’ї та роботи",
        },
        "parents_title": {
            "de": "Familie und Arbeit",
            "en": "Family and work",
            "tr": "Aile ve iş",
            "ar": "الأسرة والعمل",
            "ru": "Семья и работа",
            "uk": "Сім’я та робота",
        },
        "parents_intro": {
            "de": "Hier geht es darum, wie Sie Familie und Arbeit unter einen Hut bringen.",
            "en": "This page is about how you manage family life and work together.",
            "tr": "Bu sayfada aile hayatınızı ve işinizi nasıl bir arada yürüttüğünüzü soruyoruz.",
            "ar": "في هذه الصفحة نسألكم كيف توفّقون بين حياة الأسرة والعمل.",
            "ru": "На этой странице речь о том, как Вы совмещаете семью и работу.",
            "uk": "На цій сторінці йдеться про те, як Ви поєднуєте сім’ю та роботу.",
        },
        "questions": [
            {
                "key": "kinder_anzahl", "kind": "number", "min_value": 1, "max_value": 12, "whole_number": True,
                "text": {
                    "de": "Wie viele Kinder leben in Ihrem Haushalt?",
                    "en": "How many children live in your household?",
                    "tr": "Evinizde kaç çocuk yaşıyor?",
                    "ar": "كم عدد الأطفال الذين يعيشون في أسرتكم؟",
                    "ru": "Сколько детей живёт вместе с Вами?",
                    "uk": "Скільки дітей живе разом із Вами?",
                },
                "help": {
                    "de": "Bitte zählen Sie alle Kinder unter 18 Jahren.",
                    "en": "Please count all children under 18.",
                    "tr": "Lütfen 18 yaşından küçük bütün çocukları sayın.",
                    "ar": "يرجى احتساب جميع الأطفال دون سن 18 عامًا.",
                    "ru": "Пожалуйста, посчитайте всех детей младше 18 лет.",
                    "uk": "Будь ласка, порахуйте всіх дітей, молодших за 18 років.",
                },
            },
            {
                "key": "alter_juengstes_kind", "kind": "single",
                "text": {
                    "de": "Wie alt ist Ihr jüngstes Kind?",
                    "en": "How old is your youngest child?",
                    "tr": "En küçük çocuğunuz kaç yaşında?",
                    "ar": "كم عمر أصغر أطفالكم؟",
                    "ru": "Сколько лет Вашему младшему ребёнку?",
                    "uk": "Скільки років Вашій наймолодшій дитині?",
                },
                "options": [
                    ("unter_1", {"de": "unter 1 Jahr", "en": "under 1 year", "tr": "1 yaşından küçük",
                                 "ar": "أقل من سنة", "ru": "меньше 1 года", "uk": "менше 1 року"}),
                    ("jahre_1_2", {"de": "1 bis 2 Jahre", "en": "1 to 2 years", "tr": "1–2 yaş",
                                   "ar": "من سنة إلى سنتين", "ru": "1–2 года", "uk": "1–2 роки"}),
                    ("jahre_3_5", {"de": "3 bis 5 Jahre", "en": "3 to 5 years", "tr": "3–5 yaş",
                                   "ar": "من 3 إلى 5 سنوات", "ru": "3–5 лет", "uk": "3–5 років"}),
                    ("jahre_6_10", {"de": "6 bis 10 Jahre", "en": "6 to 10 years", "tr": "6–10 yaş",
                                    "ar": "من 6 إلى 10 سنوات", "ru": "6–10 лет", "uk": "6–10 років"}),
                    ("jahre_11_plus", {"de": "11 Jahre oder älter", "en": "11 years or older",
                                       "tr": "11 yaş veya üstü", "ar": "11 سنة أو أكثر", "ru": "11 лет и старше",
                                       "uk": "11 років і старше"}),
                ],
            },
            {
                "key": "berufstaetig", "kind": "yesno", "required": True,
                "text": {
                    "de": "Sind Sie zurzeit berufstätig?",
                    "en": "Do you currently have a job?",
                    "tr": "Şu anda çalışıyor musunuz?",
                    "ar": "هل تعملون حاليًا؟",
                    "ru": "Вы сейчас работаете?",
                    "uk": "Ви зараз працюєте?",
                },
                "help": {
                    "de": "Auch Teilzeit, Minijob oder Ausbildung zählen.",
                    "en": "Part-time work, a mini-job or vocational training also count.",
                    "tr": "Yarı zamanlı iş, mini iş (Minijob) veya meslek eğitimi de sayılır.",
                    "ar": "يُحتسب أيضًا العمل بدوام جزئي أو الوظيفة الصغيرة (Minijob) أو التدريب المهني.",
                    "ru": "Работа на неполный день, миниджоб или профессиональное обучение тоже считаются.",
                    "uk": "Робота на неповний день, мініджоб або професійне навчання теж рахуються.",
                },
            },
            {
                "key": "arbeitsstunden", "kind": "number", "min_value": 0, "max_value": 60,
                "condition_key": "berufstaetig", "condition_value": "yes",
                "text": {
                    "de": "Wie viele Stunden arbeiten Sie ungefähr pro Woche?",
                    "en": "About how many hours a week do you work?",
                    "tr": "Haftada yaklaşık kaç saat çalışıyorsunuz?",
                    "ar": "كم ساعة تعملون تقريبًا في الأسبوع؟",
                    "ru": "Сколько примерно часов в неделю Вы работаете?",
                    "uk": "Скільки приблизно годин на тиждень Ви працюєте?",
                },
                "help": {
                    "de": "Eine Schätzung genügt.",
                    "en": "An estimate is fine.",
                    "tr": "Tahmini bir sayı yeterlidir.",
                    "ar": "يكفي رقم تقريبي.",
                    "ru": "Достаточно примерной цифры.",
                    "uk": "Достатньо приблизної цифри.",
                },
            },
            {
                "key": "vereinbarkeit_gelingt", "kind": "scale",
                "text": {
                    "de": "Wie gut gelingt es Ihnen, Familie und Beruf zu vereinbaren?",
                    "en": "How well are you able to balance family and work?",
                    "tr": "Aile ve iş hayatını ne kadar iyi birlikte yürütebiliyorsunuz?",
                    "ar": "إلى أي مدى تنجحون في التوفيق بين الأسرة والعمل؟",
                    "ru": "Насколько хорошо Вам удаётся совмещать семью и работу?",
                    "uk": "Наскільки добре Вам вдається поєднувати сім’ю та роботу?",
                },
                "low": {"de": "sehr schlecht", "en": "very badly", "tr": "çok kötü", "ar": "سيئ جدًا",
                        "ru": "очень плохо", "uk": "дуже погано"},
                "high": {"de": "sehr gut", "en": "very well", "tr": "çok iyi", "ar": "جيد جدًا",
                         "ru": "очень хорошо", "uk": "дуже добре"},
            },
            {
                "key": "vereinbarkeit_huerden", "kind": "multiple", "allow_other": True,
                "text": {
                    "de": "Was macht es Ihnen schwer, Familie und Beruf zu vereinbaren?",
                    "en": "What makes it hard for you to balance family and work?",
                    "tr": "Aile ve iş hayatını birlikte yürütmeyi size ne zorlaştırıyor?",
                    "ar": "ما الذي يصعّب عليكم التوفيق بين الأسرة والعمل؟",
                    "ru": "Что мешает Вам совмещать семью и работу?",
                    "uk": "Що заважає Вам поєднувати сім’ю та роботу?",
                },
                "help": SEVERAL,
                "options": [
                    ("oeffnungszeiten", {
                        "de": "Die Öffnungszeiten der Betreuung passen nicht zu meiner Arbeit",
                        "en": "Childcare opening hours do not fit my working hours",
                        "tr": "Çocuk bakım yerinin açık olduğu saatler iş saatlerime uymuyor",
                        "ar": "مواعيد عمل مكان رعاية الأطفال لا تناسب ساعات عملي",
                        "ru": "Часы работы детского учреждения не подходят к моему рабочему времени",
                        "uk": "Години роботи закладу догляду не підходять до мого робочого часу",
                    }),
                    ("schliesstage", {
                        "de": "Schließtage und Ferien",
                        "en": "Closing days and school holidays",
                        "tr": "Kapalı olunan günler ve tatiller",
                        "ar": "أيام الإغلاق والعطل",
                        "ru": "Дни, когда учреждение закрыто, и каникулы",
                        "uk": "Дні, коли заклад зачинено, і канікули",
                    }),
                    ("schichtarbeit", {
                        "de": "Schichtarbeit oder Arbeit am Wochenende",
                        "en": "Shift work or working at weekends",
                        "tr": "Vardiyalı çalışma veya hafta sonu çalışma",
                        "ar": "العمل بنظام المناوبات أو في عطلة نهاية الأسبوع",
                        "ru": "Сменная работа или работа в выходные",
                        "uk": "Змінна робота або робота у вихідні",
                    }),
                    ("arbeitsweg", {
                        "de": "Ein langer Weg zur Arbeit",
                        "en": "A long journey to work",
                        "tr": "İşe gidiş yolunun uzun olması",
                        "ar": "طول الطريق إلى العمل",
                        "ru": "Долгая дорога на работу",
                        "uk": "Довга дорога на роботу",
                    }),
                    ("keine_hilfe", {
                        "de": "Keine Familie oder Freunde in der Nähe, die helfen",
                        "en": "No family or friends nearby who can help",
                        "tr": "Yakınlarda yardım edebilecek aile veya arkadaş yok",
                        "ar": "لا يوجد أقارب أو أصدقاء قريبون يمكنهم المساعدة",
                        "ru": "Рядом нет родственников или друзей, которые могут помочь",
                        "uk": "Поруч немає рідних чи друзів, які можуть допомогти",
                    }),
                    ("kosten", {
                        "de": "Die Kosten für die Betreuung",
                        "en": "The cost of childcare",
                        "tr": "Çocuk bakımının masrafları",
                        "ar": "تكاليف رعاية الأطفال",
                        "ru": "Стоимость присмотра за детьми",
                        "uk": "Вартість догляду за дітьми",
                    }),
                    ("kein_platz", {
                        "de": "Ich habe keinen Betreuungsplatz",
                        "en": "I do not have a childcare place",
                        "tr": "Çocuğum için bakım yeri bulamadım",
                        "ar": "لم أحصل على مكان لرعاية طفلي",
                        "ru": "У меня нет места в детском учреждении",
                        "uk": "У мене немає місця в закладі догляду",
                    }),
                ],
            },
        ],
    },
    # --- 2 ---------------------------------------------------------------------------------------------------------
    {
        "title": {
            "de": "Betreuungsarrangements",
            "en": "Childcare arrangements",
            "tr": "Çocuk bakımı düzeni",
            "ar": "ترتيبات رعاية الأطفال",
            "ru": "Присмотр и уход за детьми",
            "uk": "Догляд за дітьми",
        },
        "parents_title": {
            "de": "Wer betreut Ihre Kinder?",
            "en": "Who looks after your children?",
            "tr": "Çocuklarınıza kim bakıyor?",
            "ar": "من يعتني بأطفالكم؟",
            "ru": "Кто присматривает за Вашими детьми?",
            "uk": "Хто доглядає за Вашими дітьми?",
        },
        "parents_intro": {
            "de": "Wir möchten wissen, wer sich um Ihre Kinder kümmert und wie zufrieden Sie damit sind.",
            "en": "We would like to know who takes care of your children and how satisfied you are with it.",
            "tr": "Çocuklarınızla kimin ilgilendiğini ve bundan ne kadar memnun olduğunuzu öğrenmek istiyoruz.",
            "ar": "نودّ أن نعرف من يعتني بأطفالكم ومدى رضاكم عن ذلك.",
            "ru": "Мы хотим узнать, кто заботится о Ваших детях и насколько Вы этим довольны.",
            "uk": "Ми хочемо дізнатися, хто піклується про Ваших дітей і наскільки Ви цим задоволені.",
        },
        "questions": [
            {
                "key": "betreuung_form", "kind": "single", "required": True,
                "text": {
                    "de": "Wie wird Ihr jüngstes Kind tagsüber hauptsächlich betreut?",
                    "en": "Who mainly looks after your youngest child during the day?",
                    "tr": "En küçük çocuğunuza gün içinde çoğunlukla kim bakıyor?",
                    "ar": "مَن يعتني بأصغر أطفالكم خلال النهار في الغالب؟",
                    "ru": "Кто в основном присматривает за Вашим младшим ребёнком днём?",
                    "uk": "Хто переважно доглядає за Вашою наймолодшою дитиною вдень?",
                },
                "options": [
                    ("krippe", {"de": "Krippe (unter 3 Jahren)", "en": "Nursery (under 3 years)",
                                "tr": "Kreş (3 yaş altı)", "ar": "حضانة (للأطفال دون 3 سنوات)",
                                "ru": "Ясли (до 3 лет)", "uk": "Ясла (до 3 років)"}),
                    ("kita", {"de": "Kindergarten / Kita", "en": "Kindergarten / day-care centre",
                              "tr": "Anaokulu / Kita", "ar": "روضة الأطفال (Kita)", "ru": "Детский сад (Kita)",
                              "uk": "Дитячий садок (Kita)"}),
                    ("tagespflege", {"de": "Tagesmutter oder Tagesvater", "en": "Childminder",
                                     "tr": "Gündüz bakıcısı (Tagesmutter / Tagesvater)",
                                     "ar": "مربّية أو مربٍّ نهاري (Tagesmutter / Tagesvater)",
                                     "ru": "Дневная няня (Tagesmutter / Tagesvater)",
                                     "uk": "Денна няня (Tagesmutter / Tagesvater)"}),
                    ("schule_ganztag", {"de": "Schule mit Ganztag oder Hort",
                                        "en": "School with all-day care or after-school club",
                                        "tr": "Tam gün okul veya okul sonrası bakım (Hort)",
                                        "ar": "مدرسة بدوام كامل أو رعاية بعد المدرسة (Hort)",
                                        "ru": "Школа полного дня или группа продлённого дня (Hort)",
                                        "uk": "Школа повного дня або група продовженого дня (Hort)"}),
                    ("zuhause", {"de": "Zu Hause von uns Eltern", "en": "At home, by us parents",
                                 "tr": "Evde, biz anne babalar bakıyoruz", "ar": "في البيت، نحن الوالدين",
                                 "ru": "Дома, мы, родители, сами", "uk": "Удома, ми, батьки, самі"}),
                    ("verwandte", {"de": "Von Großeltern oder anderen Verwandten",
                                   "en": "By grandparents or other relatives",
                                   "tr": "Büyükanne, büyükbaba veya diğer akrabalar",
                                   "ar": "الأجداد أو أقارب آخرون", "ru": "Бабушки, дедушки или другие родственники",
                                   "uk": "Бабусі, дідусі або інші родичі"}),
                ],
            },
            {
                "key": "zufriedenheit_oeffnungszeiten", "kind": "scale",
                "text": {
                    "de": "Wie zufrieden sind Sie mit den Öffnungszeiten Ihrer Kita, Schule oder Tagespflege?",
                    "en": "How satisfied are you with the opening hours of your day-care centre, school or "
                          "childminder?",
                    "tr": "Kreşinizin, okulunuzun veya gündüz bakıcınızın çalışma saatlerinden ne kadar "
                          "memnunsunuz?",
                    "ar": "ما مدى رضاكم عن مواعيد عمل الروضة أو المدرسة أو المربّية؟",
                    "ru": "Насколько Вы довольны часами работы детского сада, школы или няни?",
                    "uk": "Наскільки Ви задоволені годинами роботи дитсадка, школи чи няні?",
                },
                "help": {
                    "de": "Wenn Ihr Kind zu Hause betreut wird, lassen Sie die Frage einfach aus.",
                    "en": "If your child is looked after at home, just skip this question.",
                    "tr": "Çocuğunuza evde bakılıyorsa bu soruyu atlayabilirsiniz.",
                    "ar": "إذا كان طفلكم يُرعى في البيت، فيمكنكم تخطي هذا السؤال.",
                    "ru": "Если ребёнок находится дома, просто пропустите этот вопрос.",
                    "uk": "Якщо дитина перебуває вдома, просто пропустіть це питання.",
                },
                "low": NOT_SATISFIED,
                "high": VERY_SATISFIED,
            },
            {
                "key": "zufriedenheit_betreuung", "kind": "scale",
                "text": {
                    "de": "Wie zufrieden sind Sie insgesamt mit der Betreuung Ihres Kindes?",
                    "en": "Overall, how satisfied are you with your child's care?",
                    "tr": "Çocuğunuzun bakımından genel olarak ne kadar memnunsunuz?",
                    "ar": "ما مدى رضاكم بشكل عام عن رعاية طفلكم؟",
                    "ru": "Насколько Вы в целом довольны присмотром за Вашим ребёнком?",
                    "uk": "Наскільки Ви загалом задоволені доглядом за Вашою дитиною?",
                },
                "low": NOT_SATISFIED,
                "high": VERY_SATISFIED,
            },
            {
                "key": "betreuung_wunschzeit", "kind": "single",
                "text": {
                    "de": "Bis wann am Tag bräuchten Sie eine Betreuung für Ihr Kind?",
                    "en": "Until what time of day would you need childcare?",
                    "tr": "Çocuğunuz için günün hangi saatine kadar bakıma ihtiyacınız var?",
                    "ar": "حتى أي ساعة من اليوم تحتاجون إلى رعاية لطفلكم؟",
                    "ru": "До какого времени Вам нужен присмотр за ребёнком?",
                    "uk": "До котрої години Вам потрібен догляд за дитиною?",
                },
                "options": [
                    ("bis_12", {"de": "bis 12 Uhr", "en": "until 12 noon", "tr": "saat 12'ye kadar",
                                "ar": "حتى الساعة 12 ظهرًا", "ru": "до 12 часов", "uk": "до 12-ї години"}),
                    ("bis_14", {"de": "bis 14 Uhr", "en": "until 2 pm", "tr": "saat 14'e kadar",
                                "ar": "حتى الساعة 2 بعد الظهر", "ru": "до 14 часов", "uk": "до 14-ї години"}),
                    ("bis_16", {"de": "bis 16 Uhr", "en": "until 4 pm", "tr": "saat 16'ya kadar",
                                "ar": "حتى الساعة 4 عصرًا", "ru": "до 16 часов", "uk": "до 16-ї години"}),
                    ("bis_17_spaeter", {"de": "bis 17 Uhr oder später", "en": "until 5 pm or later",
                                        "tr": "saat 17'ye kadar veya daha geç", "ar": "حتى الساعة 5 مساءً أو بعدها",
                                        "ru": "до 17 часов или дольше", "uk": "до 17-ї години або довше"}),
                    ("keine", {"de": "Ich brauche keine Betreuung", "en": "I do not need childcare",
                               "tr": "Bakıma ihtiyacım yok", "ar": "لا أحتاج إلى رعاية",
                               "ru": "Мне не нужен присмотр", "uk": "Мені не потрібен догляд"}),
                ],
            },
        ],
    },
    # --- 3 ---------------------------------------------------------------------------------------------------------
    {
        "title": {
            "de": "Angebotsportfolio",
            "en": "Activities and services on offer",
            "tr": "Sunulan etkinlikler ve hizmetler",
            "ar": "الأنشطة والخدمات المقدَّمة",
            "ru": "Предложения и услуги",
            "uk": "Заходи та послуги",
        },
        "parents_title": {
            "de": "Angebote in Ihrem Familienzentrum",
            "en": "What your family centre offers",
            "tr": "Aile merkezinizdeki etkinlikler",
            "ar": "ما يقدّمه مركز الأسرة لكم",
            "ru": "Что предлагает Ваш семейный центр",
            "uk": "Що пропонує Ваш сімейний центр",
        },
        "parents_intro": {
            "de": "Sagen Sie uns, welche Angebote Sie nutzen und was Ihnen fehlt.",
            "en": "Tell us which offers you use and what you are missing.",
            "tr": "Hangi etkinliklere katıldığınızı ve neyin eksik olduğunu bize söyleyin.",
            "ar": "أخبرونا بالعروض التي تستفيدون منها وبما ينقصكم.",
            "ru": "Расскажите нам, чем Вы пользуетесь и чего Вам не хватает.",
            "uk": "Розкажіть нам, чим Ви користуєтеся і чого Вам бракує.",
        },
        "questions": [
            {
                "key": "zentrum_besuch", "kind": "single",
                "text": {
                    "de": "Wie oft nutzen Sie Angebote des Kinder- und Familienzentrums in Ihrem Stadtteil?",
                    "en": "How often do you use what the Child and Family Centre in your neighbourhood offers?",
                    "tr": "Semtinizdeki Çocuk ve Aile Merkezi'nin sunduklarından ne sıklıkla yararlanıyorsunuz?",
                    "ar": "كم مرة تستفيدون من عروض مركز الطفل والأسرة في حيّكم؟",
                    "ru": "Как часто Вы пользуетесь предложениями Центра для детей и семей в Вашем районе?",
                    "uk": "Як часто Ви користуєтеся пропозиціями Центру для дітей і сімей у Вашому районі?",
                },
                "options": [
                    ("woechentlich", {"de": "jede Woche", "en": "every week", "tr": "her hafta",
                                      "ar": "كل أسبوع", "ru": "каждую неделю", "uk": "щотижня"}),
                    ("monatlich", {"de": "ein- bis zweimal im Monat", "en": "once or twice a month",
                                   "tr": "ayda bir ya da iki kez", "ar": "مرة أو مرتين في الشهر",
                                   "ru": "один-два раза в месяц", "uk": "один-два рази на місяць"}),
                    ("selten", {"de": "selten", "en": "rarely", "tr": "nadiren", "ar": "نادرًا",
                                "ru": "редко", "uk": "рідко"}),
                    ("nie", {"de": "noch nie", "en": "never", "tr": "hiç", "ar": "أبدًا",
                             "ru": "ни разу", "uk": "жодного разу"}),
                    ("unbekannt", {"de": "Ich kenne das Zentrum noch nicht", "en": "I do not know the centre yet",
                                   "tr": "Merkezi henüz tanımıyorum", "ar": "لا أعرف المركز بعد",
                                   "ru": "Я пока не знаю этот центр", "uk": "Я ще не знаю цього центру"}),
                ],
            },
            {
                "key": "angebote_wunsch", "kind": "multiple", "allow_other": True,
                "text": {
                    "de": "Welche Angebote wünschen Sie sich im Kinder- und Familienzentrum?",
                    "en": "Which activities and services would you like at the Child and Family Centre?",
                    "tr": "Çocuk ve Aile Merkezi'nde hangi etkinlik ve hizmetleri görmek istersiniz?",
                    "ar": "ما الأنشطة والخدمات التي تتمنون وجودها في مركز الطفل والأسرة؟",
                    "ru": "Какие предложения Вы хотели бы видеть в Центре для детей и семей?",
                    "uk": "Які пропозиції Ви хотіли б бачити в Центрі для дітей і сімей?",
                },
                "help": SEVERAL,
                "options": [
                    ("elterncafe", {"de": "Elterncafé zum Kennenlernen", "en": "A parents' café to meet others",
                                    "tr": "Tanışmak için veli kafesi", "ar": "مقهى للآباء والأمهات للتعارف",
                                    "ru": "Родительское кафе для знакомства", "uk": "Батьківське кафе для знайомства"}),
                    ("deutschkurs_eltern", {"de": "Deutschkurs für Eltern mit Kinderbetreuung",
                                            "en": "German course for parents, with childcare",
                                            "tr": "Çocuk bakımı sağlanan, veliler için Almanca kursu",
                                            "ar": "دورة لغة ألمانية للآباء والأمهات مع رعاية للأطفال",
                                            "ru": "Курс немецкого языка для родителей с присмотром за детьми",
                                            "uk": "Курс німецької мови для батьків із доглядом за дітьми"}),
                    ("erziehungsberatung", {"de": "Beratung zu Erziehung und Familie",
                                            "en": "Advice on parenting and family life",
                                            "tr": "Çocuk eğitimi ve aile konularında danışmanlık",
                                            "ar": "استشارات حول التربية والأسرة",
                                            "ru": "Консультации по воспитанию и семейным вопросам",
                                            "uk": "Консультації з виховання та сімейних питань"}),
                    ("eltern_kind_gruppe", {"de": "Eltern-Kind-Gruppen für die Kleinsten",
                                            "en": "Parent and toddler groups",
                                            "tr": "Küçük çocuklar ve anne babaları için gruplar",
                                            "ar": "مجموعات للأهل مع أطفالهم الصغار",
                                            "ru": "Группы для родителей с малышами",
                                            "uk": "Групи для батьків із малюками"}),
                    ("vaeter", {"de": "Angebote für Väter", "en": "Activities for fathers",
                                "tr": "Babalara yönelik etkinlikler", "ar": "أنشطة للآباء",
                                "ru": "Занятия для пап", "uk": "Заходи для татусів"}),
                    ("bewegung", {"de": "Bewegung und Sport für Kinder", "en": "Exercise and sport for children",
                                  "tr": "Çocuklar için hareket ve spor", "ar": "الحركة والرياضة للأطفال",
                                  "ru": "Движение и спорт для детей", "uk": "Рух і спорт для дітей"}),
                    ("ferienprogramm", {"de": "Ferienprogramm", "en": "Holiday programme", "tr": "Tatil programı",
                                        "ar": "برنامج للعطل", "ru": "Программа на каникулы",
                                        "uk": "Програма на канікули"}),
                    ("ausfluege", {"de": "Ausflüge für Familien", "en": "Family outings",
                                   "tr": "Aileler için geziler", "ar": "رحلات للعائلات",
                                   "ru": "Поездки и прогулки для семей", "uk": "Поїздки та прогулянки для сімей"}),
                    ("gesundheit", {"de": "Gesundheit und Ernährung", "en": "Health and nutrition",
                                    "tr": "Sağlık ve beslenme", "ar": "الصحة والتغذية", "ru": "Здоровье и питание",
                                    "uk": "Здоров’я та харчування"}),
                ],
            },
            {
                "key": "angebote_zeit", "kind": "single",
                "text": {
                    "de": "Wann können Sie Angebote am besten besuchen?",
                    "en": "When is the best time for you to attend activities?",
                    "tr": "Etkinliklere en rahat ne zaman katılabilirsiniz?",
                    "ar": "ما هو أنسب وقت لكم لحضور الأنشطة؟",
                    "ru": "Когда Вам удобнее всего посещать занятия?",
                    "uk": "Коли Вам найзручніше відвідувати заходи?",
                },
                "options": [
                    ("vormittags", {"de": "vormittags", "en": "in the morning", "tr": "öğleden önce",
                                    "ar": "قبل الظهر", "ru": "до обеда", "uk": "до обіду"}),
                    ("nachmittags", {"de": "nachmittags", "en": "in the afternoon", "tr": "öğleden sonra",
                                     "ar": "بعد الظهر", "ru": "после обеда", "uk": "після обіду"}),
                    ("abends", {"de": "abends", "en": "in the evening", "tr": "akşamları", "ar": "في المساء",
                                "ru": "вечером", "uk": "увечері"}),
                    ("wochenende", {"de": "am Wochenende", "en": "at the weekend", "tr": "hafta sonu",
                                    "ar": "في عطلة نهاية الأسبوع", "ru": "в выходные", "uk": "у вихідні"}),
                ],
            },
            {
                "key": "wunsch_zentrum", "kind": "long_text",
                "text": {
                    "de": "Was wünschen Sie sich vom Kinder- und Familienzentrum in Ihrem Stadtteil?",
                    "en": "What would you like from the Child and Family Centre in your neighbourhood?",
                    "tr": "Semtinizdeki Çocuk ve Aile Merkezi'nden neler bekliyorsunuz?",
                    "ar": "ماذا تتمنون من مركز الطفل والأسرة في حيّكم؟",
                    "ru": "Чего Вы ждёте от Центра для детей и семей в Вашем районе?",
                    "uk": "Чого Ви очікуєте від Центру для дітей і сімей у Вашому районі?",
                },
                "help": {
                    "de": "Schreiben Sie gern in Ihren eigenen Worten – auch in Ihrer Sprache.",
                    "en": "Feel free to write in your own words – in your own language, too.",
                    "tr": "Kendi cümlelerinizle, isterseniz kendi dilinizde yazabilirsiniz.",
                    "ar": "اكتبوا بكلماتكم الخاصة، ويمكنكم الكتابة بلغتكم أيضًا.",
                    "ru": "Пишите своими словами — можно и на родном языке.",
                    "uk": "Пишіть своїми словами — можна й рідною мовою.",
                },
            },
        ],
    },
    # --- 4 ---------------------------------------------------------------------------------------------------------
    {
        "title": {
            "de": "Entwicklungen im Stadtteil",
            "en": "Developments in your neighbourhood",
            "tr": "Semtinizdeki gelişmeler",
            "ar": "التطورات في حيّكم",
            "ru": "Изменения в Вашем районе",
            "uk": "Зміни у Вашому районі",
        },
        "parents_title": {
            "de": "Leben in Ihrem Stadtteil",
            "en": "Life in your neighbourhood",
            "tr": "Mahallenizde yaşam",
            "ar": "الحياة في حيّكم",
            "ru": "Жизнь в Вашем районе",
            "uk": "Життя у Вашому районі",
        },
        "parents_intro": {
            "de": "Was ist in Ihrem Stadtteil gut für Familien, und was sollte besser werden?",
            "en": "What is good for families in your neighbourhood, and what should get better?",
            "tr": "Mahallenizde aileler için neler iyi, neler daha iyi olmalı?",
            "ar": "ما الجيد للعائلات في حيّكم، وما الذي ينبغي أن يتحسّن؟",
            "ru": "Что в Вашем районе хорошо для семей, а что должно стать лучше?",
            "uk": "Що у Вашому районі добре для сімей, а що має стати кращим?",
        },
        "questions": [
            {
                "key": "wohlfuehlen_stadtteil", "kind": "scale",
                "text": {
                    "de": "Wie wohl fühlt sich Ihre Familie in Ihrem Stadtteil?",
                    "en": "How comfortable does your family feel in your neighbourhood?",
                    "tr": "Aileniz semtinizde kendini ne kadar iyi hissediyor?",
                    "ar": "ما مدى ارتياح أسرتكم في حيّكم؟",
                    "ru": "Насколько хорошо Вашей семье живётся в Вашем районе?",
                    "uk": "Наскільки добре Вашій родині живеться у Вашому районі?",
                },
                "low": {"de": "gar nicht wohl", "en": "not at all comfortable", "tr": "hiç iyi değil",
                        "ar": "غير مرتاحين إطلاقًا", "ru": "совсем плохо", "uk": "зовсім погано"},
                "high": {"de": "sehr wohl", "en": "very comfortable", "tr": "çok iyi", "ar": "مرتاحون جدًا",
                         "ru": "очень хорошо", "uk": "дуже добре"},
            },
            {
                "key": "stadtteil_veraenderung", "kind": "single",
                "text": {
                    "de": "Wie hat sich Ihr Stadtteil für Familien in den letzten zwei Jahren verändert?",
                    "en": "How has your neighbourhood changed for families over the last two years?",
                    "tr": "Son iki yılda semtiniz aileler için nasıl değişti?",
                    "ar": "كيف تغيّر حيّكم بالنسبة للعائلات خلال السنتين الماضيتين؟",
                    "ru": "Как изменился Ваш район для семей за последние два года?",
                    "uk": "Як змінився Ваш район для сімей за останні два роки?",
                },
                "options": [
                    ("besser", {"de": "eher besser", "en": "somewhat better", "tr": "daha iyi oldu",
                                "ar": "أصبح أفضل", "ru": "скорее к лучшему", "uk": "скоріше на краще"}),
                    ("gleich", {"de": "etwa gleich", "en": "about the same", "tr": "aşağı yukarı aynı",
                                "ar": "بقي تقريبًا كما هو", "ru": "почти не изменился", "uk": "майже не змінився"}),
                    ("schlechter", {"de": "eher schlechter", "en": "somewhat worse", "tr": "daha kötü oldu",
                                    "ar": "أصبح أسوأ", "ru": "скорее к худшему", "uk": "скоріше на гірше"}),
                    ("weiss_nicht", {"de": "Weiß ich nicht / wir wohnen noch nicht lange hier",
                                     "en": "I don't know / we have not lived here long",
                                     "tr": "Bilmiyorum / burada çok uzun zamandır oturmuyoruz",
                                     "ar": "لا أعرف / لم نسكن هنا منذ مدة طويلة",
                                     "ru": "Не знаю / мы живём здесь недавно",
                                     "uk": "Не знаю / ми живемо тут недавно"}),
                ],
            },
            {
                "key": "stadtteil_fehlt", "kind": "long_text",
                "text": {
                    "de": "Was fehlt Familien in Ihrem Stadtteil?",
                    "en": "What is missing for families in your neighbourhood?",
                    "tr": "Semtinizde aileler için neler eksik?",
                    "ar": "ما الذي ينقص العائلات في حيّكم؟",
                    "ru": "Чего не хватает семьям в Вашем районе?",
                    "uk": "Чого бракує сім’ям у Вашому районі?",
                },
                "help": {
                    "de": "Zum Beispiel Spielplätze, sichere Wege, Treffpunkte oder Ärztinnen und Ärzte.",
                    "en": "For example playgrounds, safe paths, meeting places or doctors.",
                    "tr": "Örneğin oyun parkları, güvenli yollar, buluşma yerleri veya doktorlar.",
                    "ar": "مثلًا: ملاعب للأطفال، طرق آمنة، أماكن للقاء أو أطباء.",
                    "ru": "Например, детских площадок, безопасных дорог, мест для встреч или врачей.",
                    "uk": "Наприклад, дитячих майданчиків, безпечних доріг, місць для зустрічей чи лікарів.",
                },
            },
        ],
    },
    # --- 5 ---------------------------------------------------------------------------------------------------------
    {
        "title": {
            "de": "Fördermöglichkeiten",
            "en": "Support and funding options",
            "tr": "Destek imkânları",
            "ar": "إمكانيات الدعم",
            "ru": "Возможности поддержки",
            "uk": "Можливості підтримки",
        },
        "parents_title": {
            "de": "Hilfe und Unterstützung für Familien",
            "en": "Help and support for families",
            "tr": "Ailelere yardım ve destek",
            "ar": "المساعدة والدعم للعائلات",
            "ru": "Помощь и поддержка для семей",
            "uk": "Допомога та підтримка для сімей",
        },
        "parents_intro": {
            "de": "Welche Hilfen kennen Sie, und welche wünschen Sie sich?",
            "en": "Which kinds of help do you know of, and which would you like to have?",
            "tr": "Hangi yardımları biliyorsunuz ve hangilerini istersiniz?",
            "ar": "ما أنواع المساعدة التي تعرفونها، وما الذي تتمنّونه؟",
            "ru": "Какую помощь Вы знаете и какой бы Вам хотелось?",
            "uk": "Яку допомогу Ви знаєте і якої хотіли б?",
        },
        "questions": [
            {
                "key": "foerderung_bedarf", "kind": "multiple", "allow_other": True,
                "text": {
                    "de": "Welche Unterstützung würde Ihrer Familie helfen?",
                    "en": "What kind of support would help your family?",
                    "tr": "Ailenize hangi destekler yardımcı olur?",
                    "ar": "ما نوع الدعم الذي قد يساعد أسرتكم؟",
                    "ru": "Какая поддержка помогла бы Вашей семье?",
                    "uk": "Яка підтримка допомогла б Вашій родині?",
                },
                "help": SEVERAL,
                "options": [
                    ("sprachfoerderung_kind", {
                        "de": "Sprachförderung in Deutsch für mein Kind",
                        "en": "German language support for my child",
                        "tr": "Çocuğum için Almanca dil desteği",
                        "ar": "دعم تعلّم اللغة الألمانية لطفلي",
                        "ru": "Помощь в освоении немецкого языка для моего ребёнка",
                        "uk": "Допомога у вивченні німецької мови для моєї дитини",
                    }),
                    ("hausaufgaben", {
                        "de": "Hilfe bei den Hausaufgaben",
                        "en": "Help with homework",
                        "tr": "Ödevlere yardım",
                        "ar": "المساعدة في الواجبات المدرسية",
                        "ru": "Помощь с домашними заданиями",
                        "uk": "Допомога з домашніми завданнями",
                    }),
                    ("antraege", {
                        "de": "Hilfe bei Anträgen und Geldfragen (z. B. Bildungs- und Teilhabepaket)",
                        "en": "Help with applications and money matters (e.g. Bildungs- und Teilhabepaket)",
                        "tr": "Başvurular ve para konularında yardım (ör. Bildungs- und Teilhabepaket)",
                        "ar": "المساعدة في الطلبات والأمور المالية (مثل Bildungs- und Teilhabepaket)",
                        "ru": "Помощь с заявлениями и денежными вопросами (например, Bildungs- und "
                              "Teilhabepaket)",
                        "uk": "Допомога із заявами та грошовими питаннями (наприклад, Bildungs- und "
                              "Teilhabepaket)",
                    }),
                    ("erziehung", {
                        "de": "Beratung bei Fragen zur Erziehung",
                        "en": "Advice on parenting questions",
                        "tr": "Çocuk eğitimiyle ilgili sorularda danışmanlık",
                        "ar": "استشارة في مسائل التربية",
                        "ru": "Консультации по вопросам воспитания",
                        "uk": "Консультації з питань виховання",
                    }),
                    ("fruehe_hilfen", {
                        "de": "Begleitung in den ersten Lebensjahren (Frühe Hilfen)",
                        "en": "Support in a child's first years (Frühe Hilfen)",
                        "tr": "Çocuğun ilk yıllarında rehberlik (Frühe Hilfen)",
                        "ar": "المرافقة في السنوات الأولى من عمر الطفل (Frühe Hilfen)",
                        "ru": "Сопровождение в первые годы жизни ребёнка (Frühe Hilfen)",
                        "uk": "Супровід у перші роки життя дитини (Frühe Hilfen)",
                    }),
                    ("inklusion", {
                        "de": "Unterstützung für Kinder mit Behinderung oder Entwicklungsverzögerung",
                        "en": "Support for children with a disability or developmental delay",
                        "tr": "Engelli veya gelişimi geciken çocuklar için destek",
                        "ar": "دعم الأطفال ذوي الإعاقة أو تأخر النمو",
                        "ru": "Поддержка детей с инвалидностью или задержкой развития",
                        "uk": "Підтримка дітей з інвалідністю або затримкою розвитку",
                    }),
                    ("keine", {
                        "de": "Wir brauchen zurzeit keine Unterstützung",
                        "en": "We do not need any support at the moment",
                        "tr": "Şu anda desteğe ihtiyacımız yok",
                        "ar": "لا نحتاج إلى دعم في الوقت الحالي",
                        "ru": "Сейчас нам не нужна поддержка",
                        "uk": "Зараз нам не потрібна підтримка",
                    }),
                ],
            },
            {
                "key": "foerderung_informiert", "kind": "yesno",
                "text": {
                    "de": "Wissen Sie, wo Sie Hilfe bei Anträgen bekommen?",
                    "en": "Do you know where to get help with applications?",
                    "tr": "Başvurularda nereden yardım alabileceğinizi biliyor musunuz?",
                    "ar": "هل تعرفون أين يمكنكم الحصول على مساعدة في تقديم الطلبات؟",
                    "ru": "Знаете ли Вы, где можно получить помощь с заявлениями?",
                    "uk": "Чи знаєте Ви, де можна отримати допомогу із заявами?",
                },
                "help": {
                    "de": "Zum Beispiel für Kinderzuschlag, Wohngeld oder das Bildungs- und Teilhabepaket.",
                    "en": "For example for the child supplement (Kinderzuschlag), housing benefit (Wohngeld) or "
                          "the Bildungs- und Teilhabepaket.",
                    "tr": "Örneğin çocuk ek yardımı (Kinderzuschlag), kira yardımı (Wohngeld) veya Bildungs- und "
                          "Teilhabepaket için.",
                    "ar": "مثلًا لعلاوة الأطفال الإضافية (Kinderzuschlag) أو إعانة السكن (Wohngeld) أو "
                          "Bildungs- und Teilhabepaket.",
                    "ru": "Например, на детскую надбавку (Kinderzuschlag), пособие на жильё (Wohngeld) или "
                          "Bildungs- und Teilhabepaket.",
                    "uk": "Наприклад, на дитячу надбавку (Kinderzuschlag), допомогу на житло (Wohngeld) або "
                          "Bildungs- und Teilhabepaket.",
                },
            },
            {
                "key": "sprachen_zuhause", "kind": "short_text",
                "text": {
                    "de": "Welche Sprachen sprechen Sie in Ihrer Familie?",
                    "en": "Which languages do you speak in your family?",
                    "tr": "Ailenizde hangi dilleri konuşuyorsunuz?",
                    "ar": "ما اللغات التي تتحدثونها في أسرتكم؟",
                    "ru": "На каких языках говорят в Вашей семье?",
                    "uk": "Якими мовами розмовляють у Вашій родині?",
                },
                "help": {
                    "de": "Das hilft uns, Angebote und Informationen in den passenden Sprachen zu planen.",
                    "en": "This helps us plan activities and information in the right languages.",
                    "tr": "Bu bilgi, etkinlikleri ve bilgilendirmeleri doğru dillerde planlamamıza yardımcı olur.",
                    "ar": "يساعدنا ذلك على تخطيط الأنشطة والمعلومات باللغات المناسبة.",
                    "ru": "Это поможет нам планировать занятия и информацию на нужных языках.",
                    "uk": "Це допоможе нам планувати заходи та інформацію потрібними мовами.",
                },
            },
            {
                "key": "botschaft_buergermeister", "kind": "long_text",
                "text": {
                    "de": "Was sollte der Erste Bürgermeister beim Familiendialog unbedingt hören?",
                    "en": "What should the First Mayor definitely hear at the Family Dialogue?",
                    "tr": "Birinci Belediye Başkan Yardımcısı Aile Diyaloğu'nda mutlaka neyi duymalı?",
                    "ar": "ما الذي يجب أن يسمعه النائب الأول لرئيس البلدية في الحوار الأسري؟",
                    "ru": "Что обязательно должен услышать первый бургомистр на Семейном диалоге?",
                    "uk": "Що обов’язково має почути перший бургомістр на Сімейному діалозі?",
                },
                "help": {
                    "de": "Ihre Antwort wird ohne Ihren Namen weitergegeben.",
                    "en": "Your answer is passed on without your name.",
                    "tr": "Cevabınız adınız olmadan iletilir.",
                    "ar": "تُنقل إجابتكم دون ذكر أسمائكم.",
                    "ru": "Ваш ответ передаётся без Вашего имени.",
                    "uk": "Вашу відповідь передають без Вашого імені.",
                },
            },
        ],
    },
]
