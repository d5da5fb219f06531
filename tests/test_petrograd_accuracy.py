"""The Petrograd exhibit read as a historian reads it: against its research, and against the
errors of the article it started from.

- The fact sheet (docs/research/FACTSHEET.md, a copy of the project's corrected fact sheet): its
  events, dates, categories and places (within 300 m), its quotations word for word (with the
  Russian originals found since, docs/research/quotations.md) and its people's years.
- The sixteen errors of the source article (fact sheet §4), each as a claim the exhibit must not
  make; the days of the subtitle; the dates and times a visitor reads in the panel; each
  quotation's author and source; the corrections of the historians' review (issue 18).
- The map: every marker on land, every label where it belongs, categories that colour-blind
  visitors can tell apart.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from pathlib import Path

import pytest

from kiosk.content import Bundle, load_bundle
from kiosk.content.projection import distance_m

ROOT = Path(__file__).resolve().parent.parent
FACTSHEET = ROOT / "docs" / "research" / "FACTSHEET.md"
QUOTATIONS = ROOT / "docs" / "research" / "quotations.md"
PETROGRAD = ROOT / "content" / "petrograd-1917"

MONTHS = {"Feb": 2, "Mar": 3}
CATEGORIES = {
    "STRIKE": {"strike"},
    "MUTINY": {"mutiny"},
    "ARMED": {"armed"},
    "GOV": {"government"},
    "SOVIET": {"soviet"},
    "SOVIET / GOV": {"soviet", "government"},
}
# The barracks of neighbouring regiments stand a few hundred metres apart: a place must be within
# 300 m of the spot the research gives.
PLACE_TOLERANCE_M = 300
# Where the bundle deliberately departs from the fact sheet's coordinates, and why.
PLACE_EXCEPTIONS = {
    # E01: the sources name no single mill; the fact sheet's "district centroid" and the geodata
    # CSV's mill-district point differ by 370 m, both at the level of the district (credits say so).
    "women-day-strike-vyborg": 400,
}
# The places of the events the review added, against the real sites (coordinates of the
# landmark, from OpenStreetMap / Wikipedia): within PLACE_TOLERANCE_M.
ADDED_PLACES = {
    "field-of-mars": (59.9436, 30.3322),  # the Field of Mars, centre
    "liteyny-kirochnaya": (59.9436, 30.3487),  # Liteyny Prospekt at Kirochnaya Street
    "kronstadt-anchor-square": (59.9917, 29.7783),  # the Naval Cathedral on Anchor Square
    "helsingfors-harbour": (60.1665, 24.9540),  # Helsinki South Harbour and Market Square
    "moscow-city-duma": (55.7567, 37.6186),  # the City Duma building, Revolution Square
    "general-staff": (59.9389, 30.3183),  # the General Staff building, Palace Square
    "kresty-prison": (59.9537, 30.3644),  # Kresty, Arsenalnaya Embankment 5-7
}
# Wordings the fact sheet marks as unverified [unv]: never to be shown as exact quotations.
UNVERIFIED = [
    "without ferocity",
    "promise not to shoot",
    "A remarkable incident",
    "I command you to suppress",
    "over two thousand men",
    "66,700",
    "8,000 prisoners",
]


def _factsheet() -> str:
    return FACTSHEET.read_text(encoding="utf-8")


@functools.cache
def _bundle() -> Bundle:
    return load_bundle(PETROGRAD)


@functools.cache
def _events() -> dict[str, dict[str, object]]:
    """The fact sheet's chronology: id -> dates, category, first coordinates."""
    text = _factsheet()
    chronology = text.split("## 1. Chronology", 1)[1].split("## 2. Quotations", 1)[0]
    blocks = re.split(r"\n(?=\*\*E\d\d )", chronology)
    events: dict[str, dict[str, object]] = {}
    for block in blocks:
        head = re.match(r"\*\*E\d\d `([a-z0-9-]+)`\*\* — .*? · (.+?) · ([A-Z /]+)\n", block)
        if head is None:
            continue
        event_id, when, category = head.groups()
        old_style = when.split("[", 1)[0].strip().rstrip(",")
        days = re.findall(r"(\d{1,2}) (Feb|Mar)", old_style)
        dates = [dt.date(1917, MONTHS[month], int(day)) for day, month in days]
        new_style = re.search(r"\[(\d{1,2})(?:–(\d{1,2}))? (Mar)\]", when)
        place = re.search(r"- Place: .*?(\d{2}\.\d+), (\d{2}\.\d+)", block)
        assert place is not None, event_id
        events[event_id] = {
            "start": dates[0],
            "end": dates[-1],
            "new_style_start": int(new_style.group(1)) if new_style else None,
            "category": category.strip(),
            "lat": float(place.group(1)),
            "lon": float(place.group(2)),
            "off_map": "OFF-MAP" in block.split("- Facts:", 1)[0],
        }
    return events


def test_the_fact_sheet_has_22_events() -> None:
    assert len(_events()) == 22


# Events the historians' review (issue 18) asked for beyond the fact sheet's 22.
ADDED_EVENTS = {
    "casualties-toll",
    "kronstadt-mutiny",
    "helsingfors-mutiny",
    "kutepov-detachment",
    "moscow-garrison-joins",
    "workers-group-soviet",
}


def test_every_event_of_the_fact_sheet_is_in_the_bundle_and_no_other() -> None:
    assert {e.id for e in _bundle().events} == set(_events()) | ADDED_EVENTS


@pytest.mark.parametrize("event_id", sorted(_events()) if FACTSHEET.exists() else [])
def test_event_dates_match_the_fact_sheet(event_id: str) -> None:
    sheet = _events()[event_id]
    event = _bundle().event(event_id)
    assert event.date == sheet["start"]
    assert (event.date_end or event.date) == sheet["end"]
    # The fact sheet's New Style date is 13 days on: the calendar conversion agrees.
    start = sheet["start"]
    assert isinstance(start, dt.date)
    assert (start + dt.timedelta(days=13)).day == sheet["new_style_start"]


@pytest.mark.parametrize("event_id", sorted(_events()) if FACTSHEET.exists() else [])
def test_event_category_and_place_match_the_fact_sheet(event_id: str) -> None:
    sheet = _events()[event_id]
    bundle = _bundle()
    event = bundle.event(event_id)
    place = bundle.places[event.place]
    if event_id == "tsar-telegram-khabalov":
        # Sent from Mogilev, but what it set off happened in Petrograd, where it was received
        # (the fact sheet's second place): the General Staff building on Palace Square.
        assert not place.off_map
        assert distance_m(place.lat, place.lon, 59.938, 30.317) <= PLACE_TOLERANCE_M
        return
    if sheet["category"] == "OFF":
        assert place.off_map, "the fact sheet puts this event outside the city"
    else:
        assert event.category in CATEGORIES[str(sheet["category"])]
    assert place.off_map == sheet["off_map"]
    lat, lon = sheet["lat"], sheet["lon"]
    assert isinstance(lat, float) and isinstance(lon, float)
    tolerance = PLACE_EXCEPTIONS.get(event_id, PLACE_TOLERANCE_M)
    assert distance_m(place.lat, place.lon, lat, lon) <= tolerance


# --- the map: markers on land, labels where they belong ---------------------------------------


def _inside(x: float, y: float, ring: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _in_water(bundle: Bundle, lat: float, lon: float) -> bool:
    x, y = bundle.projection.project(lat, lon)
    water = next(layer for layer in bundle.layers if layer.layer_id == "water")
    for polygon in water.polygons:
        if _inside(x, y, polygon[0]) and not any(_inside(x, y, hole) for hole in polygon[1:]):
            return True
    return False


def test_every_marker_in_the_city_is_on_land() -> None:
    bundle = _bundle()
    in_river = [
        place_id
        for place_id, place in bundle.places.items()
        if not place.off_map and _in_water(bundle, place.lat, place.lon)
    ]
    assert in_river == []
    bounds = bundle.manifest.map.bounds
    outside = [
        place_id
        for place_id, place in bundle.places.items()
        if not place.off_map and not bounds.contains(place.lat, place.lon)
    ]
    assert outside == []


def test_water_test_itself_finds_the_river() -> None:
    # The middle of the Neva by the Peter and Paul Fortress, and the Field of Mars beside it.
    assert _in_water(_bundle(), 59.9480, 30.3250)
    assert not _in_water(_bundle(), 59.9436, 30.3320)


def test_water_names_lie_on_water_and_land_names_on_land() -> None:
    bundle = _bundle()
    wrong = []
    for label_id, label in bundle.labels.items():
        if label.kind == "bridge":
            continue  # a bridge is over water and its name may be written either side
        wet = [_in_water(bundle, lat, lon) for lat, lon in label.points]
        if label.kind in ("river", "canal"):
            if sum(wet) < 0.8 * len(wet):
                wrong.append(label_id)
        elif any(wet):
            wrong.append(label_id)
    assert wrong == []


def test_labels_name_the_places_the_issue_asks_for() -> None:
    names = {label.name["en"] for label in _bundle().labels.values()}
    for name in [
        "Neva",
        "Bolshaya Neva",
        "Malaya Neva",
        "Bolshaya Nevka",
        "Fontanka",
        "Moika",
        "Catherine Canal",
        "Obvodny Canal",
        "Vyborg Side",
        "Petrograd Side",
        "Vasilievsky Island",
        "Admiralty",
        "Liteyny district",
        "Rozhdestvensky district",
        "Narva district",
        "Nevsky Prospekt",
        "Znamenskaya Sq.",
        "Liteyny Bridge",
        "Finland Station",
        "Nikolaevsky Station",
    ]:
        assert name in names
    russian = {label.name["ru"] for label in _bundle().labels.values()}
    # The names of 1917, not today's.
    assert {"Знаменская пл.", "Николаевский вокзал", "Екатерининский канал"} <= russian
    assert not {"площадь Восстания", "канал Грибоедова", "Московский вокзал"} & russian


# --- quotations -------------------------------------------------------------------------------


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for a, b in (
        ("“", '"'),
        ("”", '"'),
        ("’", "'"),
        ("‘", "'"),
        ("…", "..."),
        ("«", ""),
        ("»", ""),
        ("„", ""),
        ('"', ""),
        ("–", "—"),
        ("ё", "е"),
    ):
        text = text.replace(a, b)
    return " ".join(text.split()).strip(" .")


def _exhibit_translation(note: str) -> bool:
    return "for this exhibit" in note or "для выставки" in note


def test_at_least_15_quotations_each_with_author_source_and_language() -> None:
    quotes = _bundle().quotes
    assert len(quotes) >= 15
    for quote in quotes.values():
        assert quote.author and quote.source and quote.original_language


def test_every_quotation_is_word_for_word_as_in_the_fact_sheet() -> None:
    # The fact sheet, and the originals found since (docs/research/quotations.md).
    sheet = _normal(_factsheet() + "\n" + QUOTATIONS.read_text(encoding="utf-8"))
    for quote_id, quote in _bundle().quotes.items():
        for language, text in quote.text.items():
            note = quote.translation.get(language, "")
            if _exhibit_translation(note) and language != "en":
                continue  # our own translation, marked as such under the quotation
            for part in _normal(text).split("..."):
                part = part.strip(" .")
                if part:
                    assert part in sheet, f"{quote_id} ({language}): {part[:60]!r}"


def test_translations_are_marked_and_originals_are_not() -> None:
    for quote_id, quote in _bundle().quotes.items():
        for language in quote.text:
            if language != quote.original_language:
                assert quote.translation.get(language), f"{quote_id}: {language} unmarked"


def test_no_unverified_wording_is_shown_as_a_quotation() -> None:
    bundle = _bundle()
    texts = [t for q in bundle.quotes.values() for t in q.text.values()]
    for event in bundle.events:
        texts += list(event.body.values()) + list(event.summary.values())
    for phrase in UNVERIFIED:
        assert not any(phrase.lower() in text.lower() for text in texts), phrase


# Life years the historians' review (issue 18) asked for, which the fact sheet lacks.
REVIEW_YEARS = {
    "Kayurov": (1876, 1936),
    "Ivanov": (1851, 1919),
    "Sukhanov": (1882, 1940),
    "Kerensky": (1881, 1970),
}

# --- people -----------------------------------------------------------------------------------


@functools.cache
def _sheet_people() -> list[tuple[str, str, list[int]]]:
    """(name, entry, years in the name's brackets) of fact sheet §3."""
    text = _factsheet().split("## 3. People", 1)[1].split("## 4.", 1)[0]
    people = []
    for line in text.splitlines():
        match = re.match(r"- \*\*(.+?)\*\*(?: \(([^)]*)\))? — (.*)", line)
        if match:
            name, brackets, entry = match.groups()
            people.append((name, entry, [int(y) for y in re.findall(r"1[89]\d\d", brackets or "")]))
    return people


def test_the_people_of_the_fact_sheet_are_all_in_the_bundle_with_their_years() -> None:
    bundle = _bundle()
    assert len(_sheet_people()) == 13
    for name, entry, years in _sheet_people():
        surname = name.split()[-1]
        matches = [p for p in bundle.people.values() if surname in p.name["en"]]
        assert len(matches) == 1, name
        person = matches[0]
        given = [y for y in (person.born, person.died) if y is not None]
        assert set(years) <= set(given), name
        # A year not in the brackets must at least be stated in the fact sheet's entry, or be
        # one of the years the review asked for (standard reference works).
        for year in set(given) - set(years):
            assert str(year) in entry or year in REVIEW_YEARS.get(surname, ()), f"{name}: {year}"
        assert person.entry["en"] and person.entry["ru"]


def test_every_person_is_reachable_from_an_event_or_a_quotation() -> None:
    bundle = _bundle()
    named = {p for e in bundle.events for p in e.people}
    named |= {q.person for q in bundle.quotes.values() if q.person}
    assert named == set(bundle.people)


# --- categories -------------------------------------------------------------------------------


def _lin(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(_lin(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))  # type: ignore[return-value]


# Machado et al. (2009) simulation matrices, severity 1.0, for linear RGB.
CVD = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (min(max(c, 0.0), 1.0) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def _simulate(
    rgb: tuple[float, float, float], matrix: tuple[tuple[float, ...], ...]
) -> tuple[float, float, float]:
    return tuple(sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix)  # type: ignore[return-value]


def test_categories_differ_in_shape_and_in_colour_for_colour_blind_visitors() -> None:
    categories = _bundle().manifest.categories
    shapes = [c.shape for c in categories.values()]
    assert len(set(shapes)) == len(shapes)
    colours = {cid: _rgb(c.colour) for cid, c in categories.items()}
    for vision, matrix in [("normal", None), *CVD.items()]:
        labs = {
            cid: _lab(rgb if matrix is None else _simulate(rgb, matrix))
            for cid, rgb in colours.items()
        }
        ids = list(labs)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                assert math.dist(labs[a], labs[b]) >= 15, f"{a} vs {b} ({vision})"


def test_no_category_is_red_against_another_green() -> None:
    def hue(colour: str) -> float:
        _, a, b = _lab(_rgb(colour))
        return math.degrees(math.atan2(b, a)) % 360

    hues = [hue(c.colour) for c in _bundle().manifest.categories.values()]
    reds = [h for h in hues if h < 35 or h > 345]
    greens = [h for h in hues if 120 <= h <= 200]
    assert not (reds and greens)


# --- what a historian checks ------------------------------------------------------------------
# The sixteen errors of the source article (fact sheet §4), each as a claim the exhibit must not
# make; the days and dates a visitor reads; the places; each quotation's author and source.


def _visitor_texts() -> list[str]:
    """Everything a visitor reads that the bundle writes: titles, stories, quotations, people."""
    bundle = _bundle()
    manifest = bundle.manifest
    texts = [*manifest.title.values(), *manifest.subtitle.values()]
    for event in bundle.events:
        for field in (event.title, event.summary, event.body):
            texts += field.values()
    for quote in bundle.quotes.values():
        texts += [*quote.text.values(), *quote.source.values(), *quote.author.values()]
    for person in bundle.people.values():
        texts += [*person.entry.values(), *person.role.values()]
    for term in bundle.glossary.values():
        texts += term.definition.values()
    return texts


def _sentences_with(phrase: str) -> list[str]:
    """Every sentence of the visitor's texts that contains `phrase` (any case)."""
    found = []
    for text in _visitor_texts():
        for sentence in re.split(r"(?<=[.!?…])\s+", text):
            if phrase.lower() in sentence.lower():
                found.append(sentence)
    return found


def _story(event_id: str, language: str = "en") -> str:
    event = _bundle().event(event_id)
    return f"{event.summary[language]} {event.body[language]}"


def test_error_1_no_cossack_refusal_on_23_february() -> None:
    # The famous Cossack scenes are 24 February (Sampsonievsky) and 25 February (Znamenskaya).
    bundle = _bundle()
    for event in bundle.events:
        if event.date == dt.date(1917, 2, 23):
            for sentence in re.split(r"(?<=[.!?])\s+", _story(event.id)):
                if "refused to shoot" in sentence:
                    assert "popular story" in sentence, sentence
    assert "No source supports it" in _story("nevsky-cossacks-kerb")
    assert bundle.event("sampsonievsky-erikson-cossacks").date == dt.date(1917, 2, 24)
    assert bundle.event("znamenskaya-krylov-killed").date == dt.date(1917, 2, 25)


def test_error_2_the_erikson_strikers_were_2500_not_2000_engineering_workers() -> None:
    story = _story("sampsonievsky-erikson-cossacks")
    assert "2,500 workers of the Erikson telephone works" in story
    for sentence in _sentences_with("2,000"):
        assert "Retellings" in sentence or "2,000–" in sentence or "1,000–2,000" in sentence
    assert not _sentences_with("engineering workers")


def test_error_3_no_merged_or_unverified_trotsky_wording() -> None:
    quotes = _bundle().quotes
    assert "smiled" not in quotes["trotsky-cossack-horse"].text["en"]
    assert "horse" not in quotes["trotsky-cossack-wink"].text["en"]
    for phrase in ("without ferocity", "promise not to shoot", "A remarkable incident"):
        assert not _sentences_with(phrase), phrase


def test_error_4_no_70000_troops_with_400000_strikers() -> None:
    for phrase in ("70,000", "400,000", "70 тысяч", "400 тысяч"):
        assert not _sentences_with(phrase), phrase


def test_error_5_the_pavlovsky_company_rose_before_the_volynsky() -> None:
    bundle = _bundle()
    assert bundle.event("pavlovsky-4th-company").date < bundle.event("volynsky-mutiny").date
    assert "the Pavlovsky 4th company rose the evening before" in _story("volynsky-mutiny")
    assert "первыми восстали павловцы" in _story("pavlovsky-4th-company", "ru")


def test_error_6_no_preobrazhensky_officers_shot_as_the_key_moment() -> None:
    assert not _sentences_with("shot their officers")
    assert "Melgunov calls this a legend" in _story("preobrazhensky-litovsky-join")


def test_error_7_troops_from_the_front_did_not_go_over_on_arrival() -> None:
    assert not _sentences_with("on arrival")
    assert "pulled back to Vyritsa to avoid a fight" in _story("ivanov-expedition")


def test_error_8_ministers_were_arrested_over_three_days() -> None:
    assert "Ministers were arrested between 27 February and 1 March" in _story(
        "admiralty-last-stand"
    )


def test_error_9_soldiers_sat_in_the_soviet_from_27_february() -> None:
    bundle = _bundle()
    assert bundle.event("tauride-committee-soviet").date == dt.date(1917, 2, 27)
    assert "Soldiers’ deputies sat in it from the first meeting" in _story(
        "tauride-committee-soviet"
    )
    assert bundle.event("admiralty-last-stand").date == dt.date(1917, 2, 28)
    assert bundle.event("order-no-1").date == dt.date(1917, 3, 1)


def test_error_10_mikhail_never_reigned() -> None:
    assert "never accepted the throne" in _story("mikhail-declines")
    for sentence in _sentences_with("reigned for a day"):
        assert sentence.startswith("Some retellings"), sentence
    assert "отказывается принять престол" in _bundle().event("mikhail-declines").title["ru"]


def test_error_11_krylovs_death_hour_is_given_as_a_disagreement() -> None:
    event = _bundle().event("znamenskaya-krylov-killed")
    assert event.time_disputed == ["12:00", "15:00"]
    assert event.time is None and event.time_end is None


def test_error_12_the_1443_count_is_of_killed_and_wounded() -> None:
    # Every paragraph giving the figure says it counts the wounded too.
    paragraphs = [
        paragraph
        for text in _visitor_texts()
        for paragraph in text.split("\n\n")
        if "1,443" in paragraph or "1443" in paragraph
    ]
    assert len(paragraphs) >= 2  # in English and in Russian
    for paragraph in paragraphs:
        assert "killed and the wounded together" in paragraph or "и убитые, и раненые" in (
            paragraph
        ), paragraph
    assert "1,443 dead, which is wrong" in _story("casualties-toll")


def test_error_13_no_unsourced_two_million_dead() -> None:
    for phrase in ("two million", "2,000,000", "два миллиона"):
        assert not _sentences_with(phrase), phrase


def test_error_14_lenin_in_zurich_and_no_revolutionary_defeatism_quoted() -> None:
    bundle = _bundle()
    texts = " ".join(_visitor_texts())
    assert not re.search(r"\bBerne?\b|\bБерн[а-я]*\b", texts)
    assert bundle.quotes["lenin-first-revolution"].place == "zurich"
    assert not any("defeatism" in text for q in bundle.quotes.values() for text in q.text.values())


def test_error_15_khabalov_commanded_the_military_district() -> None:
    assert not _sentences_with("military governor of Petrograd")
    role = _bundle().people["khabalov"].role
    assert role["en"] == "Commander of the Petrograd Military District"


def test_error_16_no_misdated_picture_and_kirpichnikovs_death_disputed() -> None:
    bundle = _bundle()
    captions = [c for e in bundle.events for m in e.media for c in m.caption.values()]
    assert not any("April 1917" in caption for caption in captions)
    assert "disputed" in bundle.people["kirpichnikov"].entry["en"]


def test_the_subtitle_counts_the_days_right() -> None:
    manifest = _bundle().manifest
    days = (manifest.dates.end - manifest.dates.start).days + 1
    assert days == 9  # 23 February - 3 March 1917: February had 28 days
    assert manifest.subtitle["en"].startswith("Nine days")
    assert manifest.subtitle["ru"].startswith("Девять дней")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "eleven days" not in readme.lower() and "nine days" in readme


@pytest.mark.parametrize("event_id", sorted(_events()) if FACTSHEET.exists() else [])
def test_the_dates_a_visitor_reads_match_the_fact_sheet(event_id: str) -> None:
    # The very lines the event panel shows, Old Style then New Style.
    from kiosk.ui.journey.dates import event_dates

    sheet = _events()[event_id]
    event = _bundle().event(event_id)
    old, new = event_dates(event, "julian", "en")
    start = sheet["start"]
    assert isinstance(start, dt.date)
    assert old.startswith(f"{start.day} {start.strftime('%B')}") and old.endswith("(Old Style)")
    assert new.startswith(f"{sheet['new_style_start']} ") and new.endswith("(New Style)")


def test_displayed_times_are_the_sources_times() -> None:
    from kiosk.ui.journey.dates import event_time

    bundle = _bundle()
    assert event_time(bundle.event("znamenskaya-krylov-killed"), "en") == (
        "Sources disagree: about 12:00 or 15:00"
    )
    assert event_time(bundle.event("volynsky-mutiny"), "en") == "about 05:00–07:00"
    assert event_time(bundle.event("abdication-pskov"), "en") == "about 23:40"
    # The Duma was prorogued late that night; 21:52 is when Rodzianko's long telegram was sent.
    assert bundle.event("rodzianko-duma-prorogued").time is None


@pytest.mark.parametrize("place_id", sorted(ADDED_PLACES))
def test_the_added_places_are_the_real_sites(place_id: str) -> None:
    place = _bundle().places[place_id]
    lat, lon = ADDED_PLACES[place_id]
    assert distance_m(place.lat, place.lon, lat, lon) <= PLACE_TOLERANCE_M


# Each quotation: who said it (person and author), and what its source line must name in each
# language.
QUOTE_SOURCES = {
    "trotsky-cossack-wink": ("trotsky", "History of the Russian Revolution", "История русской"),
    "trotsky-cossack-horse": ("trotsky", "History of the Russian Revolution", "История русской"),
    "trotsky-pharaohs-volley": ("trotsky", "History of the Russian Revolution", "История русской"),
    "trotsky-army-break": ("trotsky", "History of the Russian Revolution", "История русской"),
    "kayurov-brothers-cossacks": (
        "kayurov",
        "Quoted by Leon Trotsky",
        "Приводится у Льва Троцкого",
    ),
    "khabalov-200000-strikers": ("khabalov", "Telegram to Gen. Alekseev", "Телеграмма генералу"),
    "tsar-telegram-order": (
        "nicholas-ii",
        "Telegram to Gen. S. S. Khabalov",
        "Телеграмма генералу",
    ),
    "khabalov-had-to-shoot": (
        "khabalov",
        "wording of Sergei Melgunov",
        "изложении С. П. Мельгунова",
    ),
    "nicholas-street-rows": ("nicholas-ii", "Letter to Empress Alexandra", "Письмо императрице"),
    "okhrana-znamenskaya-dead": (None, "Report of the Petrograd Okhrana", "охранного отделения"),
    "rodzianko-anarchy": ("rodzianko", "Telegram to Nicholas II", "Телеграмма Николаю II"),
    "sukhanov-soldiers-perplexity": ("sukhanov", "The Russian Revolution 1917", "Записки о"),
    "kerensky-duma-no-blood": ("kerensky", "Figes, A People’s Tragedy", "Файджес"),
    "order-no-1-weapons": (None, "Order No. 1, point 5", "Приказ № 1, пункт 5"),
    "abdication-manifesto": ("nicholas-ii", "Manifesto of abdication", "Манифест об отречении"),
    "nicholas-diary-treason": ("nicholas-ii", "Diary, entry for 2 March 1917", "Дневник"),
    "mikhail-heavy-burden": ("grand-duke-mikhail", "Act declining supreme power", "Акт об отказе"),
    "lenin-defeat-own-government": ("lenin", "Sotsial-Demokrat no. 43", "«Социал-демократ» № 43"),
    "lenin-first-revolution": ("lenin", "Collected Works, vol. 23, p. 297", "т. 31, с. 11"),
}


def test_every_quotation_has_its_author_and_source() -> None:
    quotes = _bundle().quotes
    assert set(quotes) == set(QUOTE_SOURCES)
    people = _bundle().people
    for quote_id, (person, source_en, source_ru) in QUOTE_SOURCES.items():
        quote = quotes[quote_id]
        assert quote.person == person, quote_id
        if person is not None:
            assert (
                quote.author["en"] in people[person].name["en"]
                or people[person].name["en"].split()[-1] in quote.author["en"]
            ), quote_id
        assert source_en in quote.source["en"], quote_id
        assert source_ru in quote.source["ru"], quote_id


def test_quotations_found_in_russian_are_originals_and_the_rest_say_they_are_not() -> None:
    quotes = _bundle().quotes
    # Found in Russian for issue 18 (docs/research/quotations.md): no translation note.
    for quote_id in ("lenin-first-revolution", "rodzianko-anarchy", "trotsky-cossack-wink"):
        assert quotes[quote_id].original_language == "ru"
        assert "ru" not in quotes[quote_id].translation, quote_id
    assert quotes["lenin-first-revolution"].text["ru"] == (
        "Первая революция, порожденная всемирной империалистской войной, разразилась."
    )
    assert quotes["rodzianko-anarchy"].text["ru"] == "Положение серьезное. В столице анархия."
    # Not found: the Russian is ours, translated back from Eastman's English, and says so.
    for quote_id in (
        "trotsky-cossack-horse",
        "trotsky-pharaohs-volley",
        "trotsky-army-break",
        "kayurov-brothers-cossacks",
    ):
        note = quotes[quote_id].translation["ru"]
        assert "Обратный перевод" in note and "не найден" in note, quote_id
    # The English of the Tsar's telegram carries no signature the Russian lacks.
    order = quotes["tsar-telegram-order"]
    assert not order.text["en"].rstrip().endswith("Nicholas.")
    assert "Николай" not in order.text["ru"]


def test_words_written_later_give_the_day_they_describe_not_a_false_date() -> None:
    quotes = _bundle().quotes
    for quote_id in (
        "trotsky-cossack-wink",
        "trotsky-cossack-horse",
        "trotsky-pharaohs-volley",
        "sukhanov-soldiers-perplexity",
    ):
        quote = quotes[quote_id]
        assert quote.date is None and quote.describes is not None, quote_id
    shoot = quotes["khabalov-had-to-shoot"]
    assert (shoot.date, shoot.describes) == (dt.date(1917, 3, 22), dt.date(1917, 2, 25))


def test_facts_the_review_corrected() -> None:
    bundle = _bundle()
    assert "signed in advance, with the date left blank" in _story("rodzianko-duma-prorogued")
    assert "The answer came" not in _story("rodzianko-duma-prorogued")
    assert "26 February, most soldiers still obeyed" in _story("gostiny-dvor-dragoons")
    assert "Petrograd garrison" in _story("order-no-1")
    assert "every unit" not in bundle.event("order-no-1").summary["en"].lower()
    assert "23 August 1915" in bundle.people["nicholas-ii"].entry["en"]
    assert "former minister" in bundle.people["protopopov"].entry["en"]
    assert bundle.places["vyborg-mills"].name["en"] == "Vyborg Side textile mills"
    for person_id, years in {
        "kerensky": (1881, 1970),
        "sukhanov": (1882, 1940),
        "ivanov": (1851, 1919),
        "kayurov": (1876, 1936),
    }.items():
        person = bundle.people[person_id]
        assert (person.born, person.died) == years, person_id
    toll = _story("casualties-toll")
    assert "1,443" in toll and "about 1,300" in toll
    assert "Admiral Robert Viren" in _story("kronstadt-mutiny")
    assert bundle.event("kronstadt-mutiny").date == dt.date(1917, 3, 1)
