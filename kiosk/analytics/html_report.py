"""The report as one self-contained HTML page: inline CSS, the heat-map as a data URI, no script.

It opens offline in any browser and can be mailed as a single file. Every text that comes from a
bundle, a database or a path is escaped, so a title with `<` or `&` prints as written.
"""

from __future__ import annotations

import base64
import datetime as dt
from html import escape

from kiosk.analytics.figures import Figures, Opened

LEAST_SHOWN = 5  # how many of the least opened events the summary names

CSS = """
body { font: 16px/1.45 system-ui, "Segoe UI", "Noto Sans", sans-serif; color: #222;
       margin: 0; background: #f4f1ea; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 30px; margin: 8px 0 4px; } h2 { font-size: 22px; margin: 36px 0 10px;
     border-bottom: 2px solid #e2ddd0; padding-bottom: 4px; }
.sub { color: #555; margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { flex: 1 1 150px; background: #f7f4ec; border-radius: 8px; padding: 12px 14px; }
.card b { display: block; font-size: 28px; } .card span { color: #555; font-size: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 15px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
th { font-weight: 600; color: #444; background: #faf8f3; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { background: #c0392b; height: 12px; border-radius: 2px; min-width: 1px; }
.barcell { width: 18%; } td.name { width: 42%; }
tr.never td { color: #999; }
.hours { display: flex; align-items: flex-end; gap: 3px; height: 160px; margin-top: 8px; }
.hours div { flex: 1; display: flex; flex-direction: column; justify-content: flex-end;
             align-items: center; height: 100%; font-size: 11px; color: #555; }
.hours i { display: block; width: 100%; background: #2e6f9e; border-radius: 2px 2px 0 0; }
.callout { background: #fbf3df; border-left: 4px solid #e0a526; padding: 8px 12px; margin: 10px 0; }
.legend { display: flex; align-items: center; gap: 8px; font-size: 14px; color: #444;
          margin: 8px 0; }
.ramp { width: 200px; height: 14px; border-radius: 2px;
        background: linear-gradient(to right, #ffffb2, #fecc5c, #fd8d3c, #f03b20, #bd0026); }
img.heat { width: 100%; height: auto; border: 1px solid #ccc; }
.note { color: #555; font-size: 14px; }
"""


def duration(seconds: float | None) -> str:
    """'1 min 05 s', '42 s', '1 h 02 min'; a dash when unknown."""
    if seconds is None:
        return "–"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def _day(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).strftime("%-d %B %Y")


def _times(count: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _sessions(count: int) -> str:
    return "one session" if count == 1 else f"{count} sessions"


def _calendar_day(iso: str) -> str:
    """A day as the bundle wrote it (its own calendar), e.g. '27 February 1917'."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day.strftime('%B %Y')}"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _bar(value: float, largest: float) -> str:
    width = 100 * value / largest if largest else 0
    return f'<div class="bar" style="width:{width:.1f}%"></div>' if value else ""


def _card(value: str, label: str) -> str:
    return f'<div class="card"><b>{value}</b><span>{escape(label)}</span></div>'


def _names(items: list[Opened]) -> str:
    return ", ".join(escape(o.item.name) for o in items)


def _events(figures: Figures) -> str:
    events = figures.events
    opened = [e for e in events if e.opens]
    never = [e for e in events if not e.opens]
    largest = max((e.opens for e in events), default=0)
    lines = []
    if opened:
        lines.append(f"<p><b>Most opened:</b> {_names(opened[:3])}.</p>")
        least = list(reversed(opened))[:LEAST_SHOWN]
        lines.append(f"<p><b>Least opened (but opened):</b> {_names(least)}.</p>")
    if never:
        lines.append(
            f'<p class="callout"><b>Never opened by a visitor ({len(never)}):</b> '
            f"{_names(never)}.</p>"
        )
    rows = []
    for rank, event in enumerate(events, 1):
        rows.append(
            f'<tr class="{"never" if not event.opens else ""}"><td class="n">{rank}</td>'
            f'<td class="name">{escape(event.item.name)}</td>'
            f'<td class="n">{event.opens}</td><td class="barcell">{_bar(event.opens, largest)}'
            f'</td><td class="n">{duration(event.median_seconds)}</td>'
            f'<td class="n">{duration(event.total_seconds) if event.opens else "–"}</td>'
            f'<td class="n">{event.by_play or ""}</td></tr>'
        )
    table = (
        '<table><tr><th class="n">#</th><th>Event</th><th class="n">Opened</th><th></th>'
        '<th class="n">Median time open</th><th class="n">Total time open</th>'
        '<th class="n">Shown by “play”</th></tr>' + "".join(rows) + "</table>"
    )
    return "".join(lines) + table


def _quotes(figures: Figures) -> str:
    largest = max((q.opens for q in figures.quotes), default=0)
    rows = [
        f'<tr class="{"never" if not q.opens else ""}"><td class="name">{escape(q.item.name)}</td>'
        f'<td class="n">{q.opens}</td><td class="barcell">{_bar(q.opens, largest)}</td>'
        f'<td class="n">{duration(q.median_seconds)}</td></tr>'
        for q in figures.quotes
    ]
    return (
        '<table><tr><th>Quotation (shown large)</th><th class="n">Opened</th><th></th>'
        '<th class="n">Median time read</th></tr>' + "".join(rows) + "</table>"
    )


def _people(figures: Figures) -> str:
    opened = [p for p in figures.people if p.opens]
    never = len(figures.people) - len(opened)
    rows = "".join(
        f'<tr><td>{escape(p.item.name)}</td><td class="n">{p.opens}</td></tr>' for p in opened
    )
    text = (
        f'<table><tr><th>Person</th><th class="n">Entry opened</th></tr>{rows}</table>'
        if opened
        else "<p>No visitor opened a person's entry.</p>"
    )
    if never:
        text += f'<p class="note">{never} people’s entries were never opened.</p>'
    text += f"<p>The credits were opened {_times(figures.credits_opens)}.</p>"
    return text


def _hours(figures: Figures) -> str:
    largest = max(figures.hours) or 1
    columns = "".join(
        f'<div title="{hour:02d}:00–{hour:02d}:59: {count} sessions">'
        f'{count or ""}<i style="height:{100 * count / largest:.1f}%"></i>{hour:02d}</div>'
        for hour, count in enumerate(figures.hours)
    )
    return f'<div class="hours">{columns}</div>'


def _languages(figures: Figures, names: dict[str, str]) -> str:
    largest = max((n for _, n in figures.languages), default=0)
    rows = "".join(
        f"<tr><td>{escape(names.get(code, code))} ({escape(code)})</td>"
        f'<td class="n">{count}</td><td class="n">{_share(count, figures.sessions)}</td>'
        f'<td class="barcell">{_bar(count, largest)}</td></tr>'
        for code, count in figures.languages
    )
    return (
        '<table><tr><th>Language</th><th class="n">Sessions using it</th>'
        f'<th class="n">of all</th><th></th></tr>{rows}</table>'
        f'<p class="note">{figures.switched_language} sessions used more than one language, so '
        "the shares can add up to more than 100%.</p>"
    )


def _timeline(figures: Figures) -> str:
    largest = max((n for _, n in figures.day_choices), default=0)
    rows = "".join(
        f'<tr><td>{escape(_calendar_day(day))}</td><td class="n">{count}</td>'
        f'<td class="barcell">{_bar(count, largest)}</td></tr>'
        for day, count in figures.day_choices
    )
    text = (
        f"<p>{figures.timeline_sessions} sessions "
        f"({_share(figures.timeline_sessions, figures.sessions)}) used the timeline; the story "
        f"was played {_times(figures.play_starts)}.</p>"
    )
    if rows:
        text += (
            f'<table><tr><th>Day chosen</th><th class="n">Times</th><th></th></tr>{rows}</table>'
        )
    return text


def render(
    figures: Figures,
    title: str,
    heatmap_png: bytes | None,
    busiest_cell: int,
    cell_m: float,
    notes: list[str],
    language_names: dict[str, str],
    sources: list[str],
    generated: dt.datetime,
) -> str:
    """The whole page."""
    f = figures
    kiosks = ", ".join(f"{escape(name)} ({count})" for name, count in f.kiosks)
    versions = ", ".join(f"{escape(v)} ({n})" for v, n in f.versions)
    cards = "".join(
        [
            _card(str(f.sessions), "visitor sessions"),
            _card(duration(f.median_session_seconds), "median session, first to last touch"),
            _card(str(f.touches), "touches"),
            _card(f"{f.median_touches:g}", "median touches per session"),
            _card(str(f.attract_interruptions), "times a visitor stopped the attract loop"),
        ]
    )
    if heatmap_png is not None:
        encoded = base64.b64encode(heatmap_png).decode("ascii")
        heat = (
            '<div class="legend">fewer<div class="ramp"></div>more touches '
            f"(the darkest cell: {busiest_cell} touches)</div>"
            f'<img class="heat" alt="Where visitors touched the map" '
            f'src="data:image/png;base64,{encoded}">'
            f'<p class="note">{f.map_touches} touches on the map, counted in cells of '
            f"{cell_m:g} × {cell_m:g} m. Circles are the events’ markers (an event far off the map "
            "has its marker on the map’s edge; events at the same place have their markers side "
            "by side, so their touches sit beside the circle). Touches on panels and buttons, "
            "and the touch that only ends the attract loop, are not on the map.</p>"
        )
    else:
        heat = (
            '<p class="callout">The map is not drawn: give the exhibit’s bundle with '
            "<code>--content</code> to see where visitors touched it.</p>"
        )
    quality = [escape(n) for n in notes]
    if f.unfinished_sessions:
        quality.append(
            f"{f.unfinished_sessions} sessions never ended (the kiosk lost power or stopped "
            "abruptly); they count as sessions, but not in the median length."
        )
    if f.dropped:
        quality.append(
            f"{f.dropped} records were dropped because the kiosk could not write them in time."
        )
    quality_html = "".join(f"<li>{q}</li>" for q in quality) or (
        "<li>Complete: every session ended normally and no record was lost.</li>"
    )
    source_list = "".join(f"<li><code>{escape(s)}</code></li>" for s in sources)
    attract = (
        f"<p>A visitor stopped the attract loop {_times(f.attract_interruptions)}; by then the "
        f"loop had been running for {duration(f.median_attract_seconds)} (median). "
        f"“Still there?” was answered {_times(f.countdown_rescues)} before the kiosk reset.</p>"
    )
    every = (
        f"<p>The keypad was used in {_sessions(f.keypad_sessions)} ({f.keypad_presses} keys "
        f"pressed); a screen reader was running in {_sessions(f.screen_reader_sessions)}. "
        f"Narration was heard {_times(f.narrations)} in {_sessions(f.narration_sessions)}, "
        f"for {duration(f.median_narration_seconds)} (median); {f.spoken_by_system} of these "
        "were read by the system's voice because the event has no recording.</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Visitor report: {escape(title)}</title>
<style>{CSS}</style></head>
<body><main>
<h1>Visitor report: {escape(title)}</h1>
<p class="sub">{_day(f.first)} to {_day(f.last)} · kiosks: {kiosks} · content versions:
{versions}</p>
<div class="cards">{cards}</div>
<h2>Where visitors touched the map</h2>{heat}
<h2>Events</h2>{_events(f)}
<h2>Quotations</h2>{_quotes(f)}
<h2>People and credits</h2>{_people(f)}
<h2>Sessions by hour of the day</h2>
<p class="note">The hour the session began, in each kiosk's local time.</p>{_hours(f)}
<h2>Languages</h2>{_languages(f, language_names)}
<h2>Timeline</h2>{_timeline(f)}
<p class="note">Days are as the exhibit gives them (in its own calendar).</p>
<h2>Attract loop</h2>{attract}
<h2>Every visitor</h2>{every}
<h2>About these figures</h2>
<p class="note">A session runs from the first touch after the attract loop to the reset after
the visitor has gone; its length is first touch to last touch. No personal data is recorded.
Made {escape(generated.strftime("%Y-%m-%d %H:%M"))} from:</p><ul>{source_list}</ul>
<ul class="note">{quality_html}</ul>
</main></body></html>
"""
