"""Name material for the benchmark: Cyrillic name pools, romanisation schemes and name noise.

Every actor has a canonical name in its national Cyrillic spelling (Kyrgyz, Kazakh, Tajik, Uzbek,
Turkmen, Mongolian or Russian letters, so Ө Ү Ң Ә Ғ Қ Ұ Һ І Ӣ Ӯ Ҳ Ҷ Ў all occur). Sources write it:

- in Cyrillic, national or "russified" (Нұрлан -> Нурлан, Ҷамшед -> Джамшед), as ФИО (surname
  first) with or without the patronymic;
- romanised with one of several schemes (``SCHEMES``): ``simple`` (English press: Dzhumataeva),
  ``bgn`` (BGN/PCGN: ye after vowels, ö ü ä q ū ī ḩ: Dzhumatayeva), ``dj`` (informal local:
  Djumataeva, Aibek), ``french`` (Djoumataeva, tch, ou, ss), ``iso9`` (ISO 9-ish: Džumataeva),
  ``passport`` (ICAO 9303: ia/iu, often all upper case), ``kazakh_latin`` (2021 alphabet: ş ç ğ ñ
  ı) and ``uzbek_latin`` (official: x, o', g', sh);
- with typos, swapped order ("Saipov Alisher", "Saipov, Alisher") and dropped patronymics.

Everything here is pure Python and cached: a benchmark of 100,000 reports renders in seconds.
"""

# ruff: noqa: SIM905 (word lists are written as one string and split: shorter, easier to review)

from __future__ import annotations

import random

# --- name pools (national Cyrillic spelling) -------------------------------------------------

GIVEN: dict[str, dict[str, tuple[str, ...]]] = {
    "kg": {
        "m": (
            "Азамат Айбек Алмаз Асылбек Бакыт Бактыбек Бектур Болот Дамир Данияр Жоомарт Жыргалбек Замир Канат "
            "Кубанычбек Мирлан Нурлан Нурбек Өмүрбек Садыр Самат Сыймык Талант Темирлан Түгөлбай Улан Үсөн "
            "Чыңгыз Эрлан Эрнис Эркин Эрмек Жеңишбек Мелис Кайрат Марат Бекболот Алтынбек Тилек Медер Адилет "
            "Акылбек Аскар Бекжан Доолот Жумабек Калыс Кылычбек Курманбек Мурат Нарынбек Орозбек Рысбек "
            "Сагынбек Токтогул Турдубек Уланбек Ысмайыл Эсенгул Бакытбек Көкөн Мөлдөбек Төлөгөн Үмөт"
        ).split(),
        "f": (
            "Айгүл Айжан Айпери Асель Бермет Венера Гүлнара Гүлзат Жаңыл Жылдыз Динара Зарема Каныкей Мээрим "
            "Нургүл Назгүл Перизат Салтанат Толкун Үмүт Чолпон Элмира Эльнура Айзада Айнура Бактыгүл Бурул "
            "Гүлмира Жибек Жазгүл Кундуз Нурзат Рахат Сезим Таттыбүбү Уулкан Чынара Мөлдүр Айчүрөк Бегимай "
            "Гүлжан Нуриза Аида Бурулай Элнура Жамиля Күмүшай Сайкал Токтокан"
        ).split(),
    },
    "kz": {
        "m": (
            "Ерлан Нұрлан Қайрат Ғалым Дәурен Серік Бақыт Ержан Асқар Әлібек Бауыржан Дархан Жандос Қанат "
            "Мұрат Нұржан Олжас Санжар Талғат Тимур Ұлан Шыңғыс Айдос Арман Ақылбек Бекзат Болат Ғабит Данияр "
            "Елдос Жасұлан Қуаныш Мейрам Нұрсұлтан Рүстем Сәкен Төлеген Ұлықбек Әділ Абай Бағдат Ерболат Жомарт "
            "Мақсат Самат Темірлан Хасен Ілияс Һидаят Абзал Ерік Ғани Мұхтар Серікбол Нұрбол Қасым Әлихан"
        ).split(),
        "f": (
            "Әлия Айгүл Ақмарал Гүлнар Дана Жанар Жансая Зарина Қарлығаш Ләззат Мәдина Нұргүл Салтанат Сәуле "
            "Толқын Ұлпан Әйгерім Айжан Балжан Ботагөз Гүлмира Дариға Інкәр Жұлдыз Қымбат Мөлдір Назерке "
            "Перизат Сандуғаш Шынар Айнұр Аружан Ақерке Гауһар Динара Жібек Күләш Меруерт Нәзира Райхан "
            "Ақбота Әсел Гүлшат Құралай Ұлжан"
        ).split(),
    },
    "tj": {
        "m": (
            "Ҷамшед Фарруҳ Тоҳир Шоҳрух Ҷонибек Маҳмадалӣ Абдуллоҳ Бахтиёр Далер Зафар Илҳом Комрон Мансур "
            "Наврӯз Парвиз Рустам Саидҷон Сӯҳроб Умед Фирдавс Хуршед Шаҳбоз Ҳасан Ҳусейн Алишер Баҳром Дилшод "
            "Исмоил Мирзо Нуриддин Озод Раҳмон Сафар Сорбон Тимур Фаридун Шералӣ Ёдгор Ҷаҳонгир Аслиддин "
            "Бобоҷон Навид Зоир Маҳмуд Сайфулло Эраҷ Қиёмиддин Ғайрат Ӯктам Ҳикмат Қурбон"
        ).split(),
        "f": (
            "Зарина Мунира Нигина Парвина Рухшона Садоқат Таҳмина Фарангис Шаҳноза Гулрухсор Дилором Лола "
            "Малика Мадина Нилуфар Сабоҳат Ҳумайро Ҷамила Шабнам Зебо Манижа Мавҷуда Гулноза Фотима Хосият "
            "Меҳрангез Сурайё Ҳилола Бунафша Дилафрӯз Ситора Гулчеҳра Наргис Ойгул Ҷаннат"
        ).split(),
    },
    "uz": {
        "m": (
            "Алишер Шуҳрат Ўктам Тўлқин Фарҳод Бахтиёр Жасур Ботир Дилшод Зафар Илҳом Камол Мурод Нодир Отабек "
            "Равшан Санжар Тимур Улуғбек Хуршид Шерзод Эркин Ғайрат Қаҳрамон Абдулла Бобур Жамшид Лочин "
            "Мансур Нурбек Обид Рустам Сардор Тоҳир Уммат Фаррух Ҳамид Шавкат Ёқуб Акмал Бекзод Даврон Ислом "
            "Комил Мирзо Озод Раҳим Собир Ўрол Аъзам"
        ).split(),
        "f": (
            "Дилноза Гулноза Малика Нигора Шаҳноза Зулфия Мавлуда Муҳаббат Нодира Феруза Гулчеҳра Дилором "
            "Иқбол Камола Лобар Мадина Наргиза Одина Раъно Сайёра Умида Ҳилола Шаҳло Юлдуз Гавҳар Зарнигор "
            "Муниса Ойгул Севара Дилфуза"
        ).split(),
    },
    "tm": {
        "m": (
            "Аннамурат Гурбан Довлет Мерет Нурмухаммет Оразгелди Сапармырат Ходжамырат Чары Язмырат Берди "
            "Гелди Какабай Мурат Өвез Реҗеп Батыр Бегенч Аманмырат Ыхлас Сердар Мәммет"
        ).split(),
        "f": "Огулсапар Айна Бахар Гүлшат Җерен Майса Огулджан Сона Тязегүл Энеш Мәхри Говхер Ширин".split(),
    },
    "mn": {
        "m": "Батболд Ганбаатар Мөнхбат Төмөрбаатар Сүхбаатар Түмэн Бат-Эрдэнэ Өлзийбаяр Ганзориг Энхбаяр".split(),
        "f": "Энхтуяа Оюунчимэг Болормаа Цэцэг Сарантуяа Нармандах Мөнхцэцэг Үүрийнтуяа Хулан Отгонбаяр".split(),
    },
    "ru": {
        "m": (
            "Александр Алексей Андрей Артём Борис Вадим Виктор Владимир Геннадий Георгий Григорий Денис Дмитрий "
            "Евгений Егор Иван Игорь Кирилл Константин Леонид Максим Михаил Николай Олег Павел Пётр Роман "
            "Сергей Станислав Степан Тимофей Фёдор Юрий Ярослав Антон Валерий Вячеслав Глеб Аркадий Семён"
        ).split(),
        "f": (
            "Александра Алёна Анастасия Анна Валентина Вера Галина Дарья Евгения Екатерина Елена Елизавета Ирина "
            "Ксения Лариса Любовь Людмила Марина Мария Надежда Наталья Нина Оксана Ольга Полина Светлана Софья "
            "Татьяна Юлия Яна Жанна Зоя"
        ).split(),
    },
}

# Surname roots that are not given names (combined with infixes below) for the Turkic and Tajik groups.
SURNAME_ROOTS: dict[str, tuple[str, ...]] = {
    "kg": tuple(
        "Абды Тур Сат Кул Жол Осмон Тол Мамат Сыды Исма Эшим Токто Сары Кара Ала Айт Бай Жума Кыдыр "
        "Муса Нур Орун Сады Таш Усен Чоро Шер Эсен Жоро Абыл Бейше Дөөлөт Күчүк Өмүр Үсөн Кең Тоң Бөкөн".split()
    ),
    "kz": tuple(
        "Абды Тұр Сәт Құл Жол Оспан Төле Мамы Сыды Ыс Есім Тоқ Сары Қара Ала Айт Бай Жұма Қыдыр Мұса Нұр Орын "
        "Сад Таш Үсен Шор Шер Есен Жора Әбіл Бейсе Дәулет Күшік Өмір Ұзақ Кең Тәңір Бөкен Сағын".split()
    ),
    "tj": tuple(
        "Раҳим Ҳасан Қурбон Мирзо Шариф Ғафур Саид Ҷӯра Назар Карим Давлат Сафар Азиз Шоҳ Бобо Ҳамид Раҷаб "
        "Ибод Олим Султон Файзи Ашур Имом Ҳоҷи Ӯрун Зуҳур Неъмат Қодир Юсуф Тағо".split()
    ),
    "uz": tuple(
        "Раҳим Ҳасан Юсуп Эргаш Саип Тўра Ғулом Карим Мирза Усмон Ашур Иброҳим Қодир Набий Абдулла Турсун "
        "Холмат Ўрин Норбой Шукур Ҳамро Рўзи Зокир Мамат Исмат Аҳмад Болта Ортиқ Тошпўлат Сулаймон".split()
    ),
    "tm": tuple("Аннаев Бердимырат Гельдиев Ораз Овез Мырат Сапар Атаев Назар Хоҗа Чары Гурбан".split()),
}
SURNAME_INFIXES = ("", "", "", "бек", "бай", "кул", "али", "мат", "жан", "назар", "мурат", "берди", "гелди")
TJ_INFIXES = ("", "", "", "бек", "али", "ҷон", "зода", "назар", "мурод", "улло")

RUSSIAN_SURNAMES = tuple(
    (
        "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков "
        "Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров "
        "Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров "
        "Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев "
        "Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров "
        "Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков "
        "Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров "
        "Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв "
        "Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков "
        "Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев "
        "Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов "
        "Михеев Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов "
        "Воронов Аксёнов Мальцев Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов "
        "Плотников Дёмин Хохлов Жданов Ковальский Шевченко Бондаренко Коваленко Лукашевич Бабаріко Ткаченко "
        "Мельник Кравченко Олейник Савченко Руденко Лысенко Марченко Данильчук Зеленский Островский"
    ).split()
)

OUTLET_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Радио", ("Radio",)),
    ("Газета", ("Gazeta", "newspaper")),
    ("Телеканал", ("TV", "Telekanal")),
    ("Агентство", ("Agency", "news agency")),
    ("Издание", ("Izdanie", "media")),
)
OUTLET_CORES = tuple(
    (
        "Азаттык|Азаттық|Озодӣ|Ақиқат|Ала-Тоо|Асман|Ынтымак|Дидар|Заман|Нур|Ховар|Шамшыр|Ордо|Жаңы Доор|Көз Караш|"
        "Үн|Ұлан|Дала|Жетісу|Сөз|Тамчы|Мезон|Нигоҳ|Садо|Ҷавонон|Фараж|Пайк|Оят|Дунё|Ватан|Сиёсат|Ҳақиқат|"
        "Курьер|Вестник|Обозреватель|Эхо|Голос|Край|Репортёр|Меридиан|Горизонт|Трибуна|Новая Волна|Фарғона|"
        "Самарқанд Садоси|Хабар|Бетачар|Клооп|Апрель|Ачык Саясат|Үміт|Елорда|Тіл|Дүние|Қоғам|Ҷумҳурият|Овоз|"
        "Рўзнома|Ҳаёт|Замондош|Ойина|Ракурс|Экспресс|Панорама|Свобода Слова|Центр|Кундалик|Түн|Таң|Ғасыр|"
        "Ҳамшаҳрӣ|Мунаввар|Нуроний|Ынтымак-Ош|Ош Шамы|Иссык-Куль Пресс|Аргумент|Факт|Степь|Алтай|Байкал"
    ).split("|")
)

# --- romanisation ------------------------------------------------------------------------------

VOWELS = frozenset("аеёиоуыэюяөүәұіӣӯў")
BASE = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ө": "o",
    "ү": "u",
    "ң": "ng",
    "ә": "a",
    "ғ": "gh",
    "қ": "k",
    "ұ": "u",
    "һ": "h",
    "і": "i",
    "ӣ": "i",
    "ӯ": "u",
    "ҳ": "kh",
    "ҷ": "j",
    "ў": "u",
    "җ": "j",
}
SCHEMES: dict[str, dict[str, str]] = {
    "simple": BASE,
    "bgn": {
        **BASE,
        "ё": "ë",
        "ө": "ö",
        "ү": "ü",
        "ә": "ä",
        "қ": "q",
        "ұ": "ū",
        "ӣ": "ī",
        "ӯ": "ū",
        "ҳ": "ḩ",
        "ў": "ŭ",
    },
    "dj": {**BASE, "й": "i", "ө": "o", "ү": "u", "ң": "n", "ғ": "g", "ҳ": "h", "ҷ": "dj", "җ": "dj"},
    "french": {
        **BASE,
        "ж": "j",
        "у": "ou",
        "ш": "ch",
        "ч": "tch",
        "ю": "iou",
        "я": "ia",
        "й": "ï",
        "щ": "chtch",
        "ұ": "ou",
        "ӯ": "ou",
        "ў": "ou",
        "ҷ": "dj",
        "ё": "io",
        "җ": "dj",
    },
    "iso9": {
        **BASE,
        "ё": "ë",
        "ж": "ž",
        "й": "j",
        "х": "h",
        "ц": "c",
        "ч": "č",
        "ш": "š",
        "щ": "ŝ",
        "э": "è",
        "ю": "û",
        "я": "â",
        "ө": "ô",
        "ү": "ù",
        "ң": "ṇ",
        "ә": "à",
        "ғ": "ġ",
        "қ": "ķ",
        "ұ": "ū",
        "һ": "ḥ",
        "і": "ì",
        "ӣ": "ī",
        "ӯ": "ū",
        "ҳ": "ḩ",
        "ҷ": "ç",
        "ў": "ŭ",
        "җ": "ž",
    },
    "passport": {
        **BASE,
        "й": "i",
        "ю": "iu",
        "я": "ia",
        "ё": "e",
        "ъ": "ie",
        "ң": "n",
        "ғ": "g",
        "ҷ": "dzh",
        "җ": "dzh",
    },
    "kazakh_latin": {
        **BASE,
        "ә": "ä",
        "ғ": "ğ",
        "ж": "j",
        "й": "i",
        "қ": "q",
        "ң": "ñ",
        "ө": "ö",
        "ұ": "ū",
        "ү": "ü",
        "х": "h",
        "ч": "ç",
        "ш": "ş",
        "щ": "şş",
        "і": "ı",
        "ю": "iu",
        "я": "ia",
        "ё": "io",
    },
    "uzbek_latin": {
        **BASE,
        "х": "x",
        "ҳ": "h",
        "ў": "o'",
        "ғ": "g'",
        "қ": "q",
        "ж": "j",
        "ц": "s",
        "ы": "i",
        "ъ": "'",
    },
}
DJ_SCHEMES = frozenset({"dj", "french"})
YE_SCHEMES = frozenset({"bgn", "uzbek_latin"})
NATIONAL_SCHEMES = {"kazakh_latin": "kz", "uzbek_latin": "uz"}
RUSSIFY = str.maketrans(
    "өүңәғқұһіӣӯҳўҗӨҮҢӘҒҚҰҺІӢӮҲЎҖ",
    "оунагкухииухужОУНАГКУХИИУХУЖ",
)
_TRANSLIT_CACHE: dict[tuple[str, str], str] = {}


def russify(text: str) -> str:
    """The Russian-alphabet spelling of a national Cyrillic name (Нұрлан -> Нурлан, Ҷамшед -> Джамшед)."""
    return text.translate(RUSSIFY).replace("ҷ", "дж").replace("Ҷ", "Дж")


def translit(text: str, scheme: str) -> str:
    """``text`` romanised with ``scheme`` (see ``SCHEMES``); characters that are not Cyrillic pass through."""
    key = (text, scheme)
    cached = _TRANSLIT_CACHE.get(key)
    if cached is not None:
        return cached
    table = SCHEMES[scheme]
    lower = text.lower()
    out: list[str] = []
    index, length = 0, len(text)
    while index < length:
        char = lower[index]
        previous = lower[index - 1] if index else " "
        following = lower[index + 1] if index + 1 < length else " "
        if scheme in DJ_SCHEMES and char == "д" and following == "ж":
            piece, step = "dj", 2
        else:
            piece, step = table.get(char, char), 1
            word_start_or_vowel = not previous.isalpha() or previous in VOWELS or previous in "ъь"
            if char == "е" and scheme in YE_SCHEMES and word_start_or_vowel:
                piece = "ye"
            elif char == "ё" and scheme == "bgn" and word_start_or_vowel:
                piece = "yë"
            elif char == "с" and scheme == "french" and previous in VOWELS and following in VOWELS:
                piece = "ss"
        if piece and text[index] != char:
            piece = piece[0].upper() + piece[1:]
        out.append(piece)
        index += step
    result = "".join(out)
    _TRANSLIT_CACHE[key] = result
    return result


# --- typos -----------------------------------------------------------------------------------

SIMILAR = {
    "a": "e",
    "e": "a",
    "i": "y",
    "y": "i",
    "o": "u",
    "u": "o",
    "k": "q",
    "q": "k",
    "s": "z",
    "z": "s",
    "n": "m",
    "m": "n",
    "d": "t",
    "t": "d",
    "b": "p",
    "p": "b",
    "g": "k",
    "h": "kh",
    "l": "ll",
    "r": "rr",
}


def typo(name: str, rng: random.Random) -> str:
    """One keyboard or hearing slip in one longer token: a letter dropped, doubled, swapped or misheard."""
    tokens = name.split(" ")
    candidates = [index for index, token in enumerate(tokens) if len(token) >= 4 and token[1:].isalpha()]
    if not candidates:
        return name
    index = rng.choice(candidates)
    token = tokens[index]
    position = rng.randrange(1, len(token) - 1)
    roll = rng.random()
    if roll < 0.3:
        token = token[:position] + token[position + 1 :]
    elif roll < 0.55:
        token = token[:position] + token[position + 1] + token[position] + token[position + 2 :]
    elif roll < 0.85:
        letter = token[position]
        replacement = SIMILAR.get(letter.lower(), "e" if letter.lower() != "e" else "a")
        token = token[:position] + (replacement.upper() if letter.isupper() else replacement) + token[position + 1 :]
    else:
        token = token[:position] + token[position] + token[position:]
    tokens[index] = token
    return " ".join(tokens)


# --- building names --------------------------------------------------------------------------


def ends_in_vowel(word: str) -> bool:
    return bool(word) and word[-1].lower() in VOWELS


def surname_forms(root: str, group: str, rng: random.Random) -> tuple[str, str]:
    """(male form, female form) of a surname built on ``root`` in the naming customs of ``group``."""
    if group == "tj" and rng.random() < 0.25:
        return root + "зода", root + "зода"
    if group == "kg" and rng.random() < 0.15:
        return root + " уулу", root + " кызы"
    if group == "kz" and rng.random() < 0.12:
        return root + "ұлы", root + "қызы"
    if root.endswith("ий"):
        return root[:-2] + "иев", root[:-2] + "иева"
    if root.endswith("й"):
        return root[:-1] + "ев", root[:-1] + "ева"
    if ends_in_vowel(root):
        return root + "ев", root + "ева"
    return root + "ов", root + "ова"


def russian_female(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-4] + "ская"
    return surname  # -ко, -ич, -ук, -ник: the same for women


def patronymic(father: str, gender: str) -> str:
    """Russian-style patronymic from the father's given name (Бакытбек -> Бакытбекович / Бакытбековна)."""
    stem = father
    if stem.endswith(("ий", "ей", "ай")):
        stem = stem[:-1]
        return stem + ("евич" if gender == "m" else "евна")
    if stem.endswith("й"):
        stem = stem[:-1]
        return stem + ("евич" if gender == "m" else "евна")
    if ends_in_vowel(stem):
        return stem.rstrip("аяеоыиуӣ") + ("ович" if gender == "m" else "овна")
    return stem + ("ович" if gender == "m" else "овна")
