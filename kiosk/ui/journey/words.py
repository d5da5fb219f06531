"""The kiosk's own words (buttons, labels), per language; the exhibit's words come from bundles.

English is the fallback for any language without an entry here, and for any missing key.
"""

from __future__ import annotations

_STRINGS: dict[str, dict[str, str]] = {
    "en": {
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
    },
    "ru": {
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
    },
    "de": {
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
