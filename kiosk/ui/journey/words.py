"""The kiosk's own words (buttons, labels), per language; the exhibit's words come from bundles.

English is the fallback for any language without an entry here, and for any missing key.
"""

from __future__ import annotations

_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "a11y_still_there": "Still there? Touch the screen or press a key to carry on.",
        "a11y_on": "{name}: on",
        "a11y_off": "{name}: off",
        "keys_keyboard": (
            "On a keyboard: {language_key} language, {contrast_key} contrast, "
            "{day_key} day, {play_key} play the story."
        ),
        "close": "Close",
        "whole_city": "Whole city",
        "old_style": "Old Style",
        "new_style": "New Style",
        "calendar_note": "Russia then used the Julian calendar, 13 days behind ours.",
        "about": "about {time}",
        "quotations": "In their words",
        "sources": "Sources",
        "shown_in": "No English text is available; the quotation is given in {shown}.",
        "km_away": "{distance} km",
        "legend": "Categories",
        "unavailable_title": "This exhibit is being updated",
        "unavailable_body": "Please come back a little later.",
        "earlier": "Earlier",
        "later": "Later",
        "position": "{index} of {count}",
        "read_large": "Read it large",
        "go_to_event": "Go to the event",
        "people": "People",
        "about_person": "About {name}",
        "back": "Back",
        "born": "born {year}",
        "died": "died {year}",
        "appears_in": "In the story",
        "credits": "Sources and credits",
        "map_data": "The map",
        "play": "▶  Play",
        "stop": "■  Stop",
        "large_text": "Large text",
        "high_contrast": "High contrast",
        "old_plan": "Old plan",
        "touch_to_explore": "Touch to explore",
        "still_there": "Still there?",
        "touch_to_stay": "Touch the screen to carry on.",
        "quote_written": "Said or written: {date}",
        "quote_describes": "Day described: {date}",
        "or": " or ",
        "times_disputed": "Sources disagree: {times}",
        "a11y_map": "Events on the map, in story order",
        "a11y_timeline": "Days",
        "a11y_day": "{date}, events: {count}",
        "a11y_day_both": "{date} ({other}, {calendar})",
        "a11y_home": "Show the whole city",
        "a11y_toggle_large": "Make the text larger",
        "a11y_toggle_contrast": "Switch to high contrast colours",
        "a11y_language": "Change the language",
        "a11y_earlier": "Earlier event",
        "a11y_later": "Later event",
        "a11y_close": "Close this event",
        "a11y_quote": "Quotation from {author}",
        "a11y_event": "{title}. {date}. {place}.",
        "a11y_day_chosen": "{date}. Events that day: {count}.",
        "a11y_day_cleared": "All days shown.",
        "a11y_language_now": "Language: {name}",
        "a11y_seconds_left": "{seconds} seconds left.",
        "a11y_reset": "The exhibit starts again.",
        "a11y_panel": "Event",
        "keys_title": "Keys",
        "keys_help": (
            "Left and right arrows: previous and next event. "
            "Select: open it. "
            "Up and down: scroll the text. "
            "Back: close. "
            "Plus and minus: text size. "
            "Volume keys: loudness. "
            "Help: these instructions."
        ),
        "listen": "Listen",
        "stop_listening": "Stop",
        "volume": "Volume {percent} percent",
    },
    "ru": {
        "a11y_still_there": "Вы ещё здесь? Коснитесь экрана или нажмите клавишу, чтобы продолжить.",
        "a11y_on": "{name}: включено",
        "a11y_off": "{name}: выключено",
        "keys_keyboard": (
            "На клавиатуре: {language_key} язык, {contrast_key} контраст, "
            "{day_key} день, {play_key} показать историю."
        ),
        "close": "Закрыть",
        "whole_city": "Весь город",
        "old_style": "по старому стилю",
        "new_style": "по новому стилю",
        "calendar_note": (
            "Россия тогда жила по юлианскому календарю, "
            "который отставал от григорианского на 13 дней."
        ),
        "about": "около {time}",
        "quotations": "Свидетельства",
        "sources": "Источники",
        "shown_in": "Текста на русском языке нет; цитата приводится на языке: {shown}.",
        "km_away": "{distance} км",
        "legend": "Обозначения",
        "unavailable_title": "Экспозиция обновляется",
        "unavailable_body": "Пожалуйста, загляните немного позже.",
        "earlier": "Раньше",
        "later": "Позже",
        "position": "{index} из {count}",
        "read_large": "Читать крупно",
        "go_to_event": "К событию",
        "people": "Действующие лица",
        "about_person": "Подробнее: {name}",
        "back": "Назад",
        "born": "род. в {year} г.",
        "died": "ум. в {year} г.",
        "appears_in": "В событиях",
        "credits": "Источники и авторы",
        "map_data": "Карта",
        "play": "▶  Смотреть",
        "stop": "■  Стоп",
        "large_text": "Крупный шрифт",
        "high_contrast": "Контраст",
        "old_plan": "Старый план",
        "touch_to_explore": "Коснитесь экрана, чтобы начать",
        "still_there": "Вы ещё здесь?",
        "touch_to_stay": "Коснитесь экрана, чтобы продолжить.",
        "quote_written": "Сказано или написано: {date}",
        "quote_describes": "Описываемый день: {date}",
        "or": " или ",
        "times_disputed": "Источники расходятся: {times}",
        "a11y_map": "События на карте по порядку",
        "a11y_timeline": "Дни",
        "a11y_day": "{date}, событий: {count}",
        "a11y_day_both": "{date} ({other}, {calendar})",
        "a11y_home": "Показать весь город",
        "a11y_toggle_large": "Увеличить шрифт",
        "a11y_toggle_contrast": "Включить контрастные цвета",
        "a11y_language": "Сменить язык",
        "a11y_earlier": "Предыдущее событие",
        "a11y_later": "Следующее событие",
        "a11y_close": "Закрыть событие",
        "a11y_quote": "Цитата, автор: {author}",
        "a11y_event": "{title}. {date}. {place}.",
        "a11y_day_chosen": "{date}. Событий в этот день: {count}.",
        "a11y_day_cleared": "Показаны все дни.",
        "a11y_language_now": "Язык: {name}",
        "a11y_seconds_left": "Осталось секунд: {seconds}.",
        "a11y_reset": "Экспозиция начинается заново.",
        "a11y_panel": "Событие",
        "keys_title": "Клавиши",
        "keys_help": (
            "Стрелки влево и вправо: предыдущее и следующее событие. "
            "Выбор: открыть. "
            "Вверх и вниз: прокрутить текст. "
            "Назад: закрыть. "
            "Плюс и минус: размер шрифта. "
            "Клавиши громкости: громкость. "
            "Справка: эти указания."
        ),
        "listen": "Слушать",
        "stop_listening": "Стоп",
        "volume": "Громкость {percent} процентов",
    },
    "de": {
        "a11y_still_there": "Noch da? Berühren Sie den Bildschirm oder drücken Sie eine Taste.",
        "a11y_on": "{name}: an",
        "a11y_off": "{name}: aus",
        "keys_keyboard": (
            "Tastatur: {language_key} Sprache, {contrast_key} Kontrast, "
            "{day_key} Tag, {play_key} Geschichte abspielen."
        ),
        "close": "Schließen",
        "whole_city": "Ganze Stadt",
        "old_style": "alter Stil",
        "new_style": "neuer Stil",
        "calendar_note": "Russland folgte damals dem julianischen Kalender, 13 Tage zurück.",
        "about": "gegen {time}",
        "quotations": "In ihren Worten",
        "sources": "Quellen",
        "shown_in": "Kein deutscher Text vorhanden; das Zitat steht hier auf {shown}.",
        "km_away": "{distance} km",
        "legend": "Kategorien",
        "unavailable_title": "Diese Ausstellung wird gerade aktualisiert",
        "unavailable_body": "Bitte schauen Sie etwas später wieder vorbei.",
        "earlier": "Früher",
        "later": "Später",
        "position": "{index} von {count}",
        "read_large": "Groß lesen",
        "go_to_event": "Zum Ereignis",
        "play": "▶  Abspielen",
        "stop": "■  Stopp",
        "large_text": "Große Schrift",
        "high_contrast": "Hoher Kontrast",
        "old_plan": "Alter Stadtplan",
        "touch_to_explore": "Zum Entdecken berühren",
        "still_there": "Noch da?",
        "touch_to_stay": "Berühren Sie den Bildschirm, um weiterzumachen.",
        "quote_written": "Gesagt oder geschrieben: {date}",
        "quote_describes": "Beschriebener Tag: {date}",
        "or": " oder ",
        "times_disputed": "Die Quellen widersprechen sich: {times}",
        "a11y_map": "Ereignisse auf der Karte, in der Reihenfolge der Geschichte",
        "a11y_timeline": "Tage",
        "a11y_day": "{date}, Ereignisse: {count}",
        "a11y_day_both": "{date} ({other}, {calendar})",
        "a11y_home": "Die ganze Stadt zeigen",
        "a11y_toggle_large": "Die Schrift vergrößern",
        "a11y_toggle_contrast": "Farben mit hohem Kontrast",
        "a11y_language": "Die Sprache wechseln",
        "a11y_earlier": "Früheres Ereignis",
        "a11y_later": "Späteres Ereignis",
        "a11y_close": "Dieses Ereignis schließen",
        "a11y_quote": "Zitat von {author}",
        "a11y_event": "{title}. {date}. {place}.",
        "a11y_day_chosen": "{date}. Ereignisse an diesem Tag: {count}.",
        "a11y_day_cleared": "Alle Tage werden gezeigt.",
        "a11y_language_now": "Sprache: {name}",
        "a11y_seconds_left": "Noch {seconds} Sekunden.",
        "a11y_reset": "Die Ausstellung beginnt von vorn.",
        "a11y_panel": "Ereignis",
        "keys_title": "Tasten",
        "keys_help": (
            "Pfeile links und rechts: voriges und nächstes Ereignis. "
            "Auswahl: öffnen. "
            "Auf und ab: Text blättern. "
            "Zurück: schließen. "
            "Plus und Minus: Schriftgröße. "
            "Lautstärketasten: Lautstärke. "
            "Hilfe: diese Erklärung."
        ),
        "listen": "Anhören",
        "stop_listening": "Stopp",
        "volume": "Lautstärke {percent} Prozent",
    },
}

# How each language names itself, for buttons; a bundle's language_names override these.
LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Русский",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "uk": "Українська",
    "fi": "Suomi",
    "pl": "Polski",
    "zh": "中文",
}


def tr(language: str, key: str, **values: object) -> str:
    """The kiosk string `key` in `language` (English if missing), with {values} filled in."""
    text = _STRINGS.get(language, {}).get(key) or _STRINGS["en"][key]
    return text.format(**values) if values else text


def language_name(code: str, overrides: dict[str, str]) -> str:
    return overrides.get(code) or LANGUAGE_NAMES.get(code) or code
