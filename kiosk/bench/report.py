"""RESULTS.md: a run's results for people, from the same data as results.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

_SUMMARY_FIGURES = {
    "startup": [("kiosk_ms", "kiosk start-up (smoke test)", "ms"),
                ("bare_window_ms", "floor: bare PySide6 window", "ms"),
                ("kiosk_without_bundle_cache_ms", "kiosk start-up, bundle cache off", "ms"),
                ("bare_window_beside_those_ms", "floor beside those", "ms")],
    "tap": [("tap_to_panel_ms", "tap to panel painted", "ms"),
            ("cpu_ms", "  GUI-thread CPU of the same", "ms")],
    "frames": [("frame_ms", "frame (input to painted)", "ms"),
               ("cpu_ms", "  GUI-thread CPU of the same", "ms"),
               ("paint_ms", "  of which paint and flush", "ms")],
    "package": [("frozen_ms", "package start-up (smoke test)", "ms"),
                ("source_ms", "source start-up, same run", "ms")],
}  # fmt: skip


def _number(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value} {unit}".strip()


def _summary_rows(name: str, result: dict[str, Any]) -> list[str]:
    rows = []
    kind = name.split("-")[0]
    if kind == "validation":
        for bundle, figures in result.items():
            if bundle == "linearity" or not isinstance(figures, dict):
                continue
            s = figures["ms"]
            rows.append(
                f"| validation: {bundle} ({figures['events']} events) | {s['n']} | {s['min']} | "
                f"{s['median']} | {s['p99']} | ms ({figures['ms_per_event']} ms per event) |"
            )
        return rows
    label_suffix = ""
    if kind == "frames":
        label_suffix = f" — {name.removeprefix('frames-')}"
    for key, label, unit in _SUMMARY_FIGURES.get(kind, []):
        s = result.get(key)
        if isinstance(s, dict) and "median" in s:
            rows.append(
                f"| {label}{label_suffix} | {s['n']} | {s['min']} | {s['median']} | "
                f"{s['p99']} | {unit} |"
            )
    return rows


def markdown(results: dict[str, Any]) -> str:  # noqa: C901 - one section per benchmark, each present or not
    info = results["machine"]
    git = info.get("git", {})
    dirty = " (with uncommitted changes)" if git.get("dirty") else ""
    lines = [
        "# Benchmark results",
        "",
        f"`make bench{' QUICK=1' if results['mode'] == 'quick' else ''}` on {info['date']}, "
        f"revision `{(git.get('commit') or 'unknown')[:12]}`{dirty}, {results['mode']} mode, "
        f"{results['seconds']} s in all. Method: docs/performance.md. "
        "Regenerate with `make bench`.",
        "",
    ]
    if results["mode"] == "quick":
        lines += ["**Quick mode: tiny counts prove the suite runs; its figures mean nothing.**"]
        lines += [""]
    lines += [
        "## Machine",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; RAM {info['ram_gb']} GB",
        f"- OS: {info['os']}",
        f"- Python {info['python']}, PySide6 {info['pyside6']} (Qt {info['qt']}), "
        f"Qt platform: {info['qt_platform']}",
        f"- load average at start {info.get('load_average_at_start')}, at end "
        f"{results.get('load_average_at_end')} (other work on the machine shows here)",
        "",
        "## Targets (DESIGN.md section 6)",
        "",
        "| what | target | measured | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for row in results["targets"]:
        verdict = {"pass": "pass", "miss": "**MISS**"}.get(row["verdict"], row["verdict"])
        note = f" ({row['note']})" if row.get("note") else ""
        lines.append(
            f"| {row['what']} | {row['target']} | {_number(row['value'], row['unit'])} | "
            f"{verdict}{note} |"
        )
    lines += [
        "",
        "## Figures",
        "",
        "| figure | n | min | median | p99 | unit |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    for name, bench in results["benchmarks"].items():
        if bench["status"] == "ok":
            lines += _summary_rows(name, bench["result"])
        elif bench["status"] == "skipped":
            notes.append(f"- {name}: skipped: {bench['reason']}")
        else:
            first = (bench.get("error") or "").strip().splitlines()[-1:] or [""]
            notes.append(f"- {name}: FAILED: {first[0]}")
    lines.append("")
    for name, bench in results["benchmarks"].items():
        if bench["status"] != "ok":
            continue
        result = bench["result"]
        if name == "startup":
            first = result["first_run"]
            notes.append(
                f"- start-up ratio kiosk / bare window (medians): {result['ratio']}x; bundle "
                f"cache in the measured runs: {result['bundle_cache']}; discarded first runs: "
                f"kiosk {first['kiosk_ms']} ms (cache {first['kiosk_bundle_cache']}), bare "
                f"window {first['bare_window_ms']} ms"
            )
        elif name.startswith("frames-"):
            notes.append(
                f"- {name}: {result['events']} events; {result['steps_without_frame']} gesture "
                f"steps moved the map and painted nothing, {result.get('steps_not_moving', 0)} "
                f"did not move it (not counted as frames); building and showing the window to "
                f"its first frame "
                f"{result['window_to_first_frame_ms']} ms; the map's work ahead done "
                f"{result.get('work_ahead_done_ms')} ms after it" + _slow_frames(result)
            )
        elif name == "tap":
            notes.append(
                f"- tap: {result['distinct_markers']} different markers; "
                f"{result['taps_without_panel']} taps showed no panel"
            )
        elif name == "validation" and result.get("linearity"):
            lin = result["linearity"]
            notes.append(
                f"- validation growth: the largest generated bundle takes {lin['time_ratio']}x "
                f"the time of the next one, {lin['size_ratio']}x its events; each added event "
                f"costs {lin['marginal_ms_per_event_upper']} ms there against "
                f"{lin['marginal_ms_per_event_lower']} ms between the two smaller ones "
                f"({lin['marginal_ratio']}x; 1.0 is linear)"
            )
        elif name == "soak":
            a, b = result["after_warm_up"], result["end"]
            stopped = " (stopped by its time budget)" if result["stopped_by_time_budget"] else ""
            notes.append(
                f"- soak: {result['interactions']} interactions{stopped} in {result['seconds']} s, "
                f"{result['cycles']} cycles, {result['attract_cycles']} attract cycles; after "
                f"warm-up ({a['interactions']}) / at the end: RSS {a['rss_mb']} / {b['rss_mb']} "
                f"MB, QObjects {a['qobjects']} / {b['qobjects']}, Python wrappers "
                f"{a['python_wrappers']} / {b['python_wrappers']}, scene items "
                f"{a['scene_items']} / {b['scene_items']}"
                + (
                    f"; changed classes: {result['qobject_growth_by_class']}"
                    if result["qobject_growth_by_class"]
                    else ""
                )
            )
        elif name == "soak-window":
            notes.append(
                f"- soak-window: {result['actions']} actions in {result['rounds']} rounds with "
                f"{result['rest_s']} s rests, {result['seconds']} s; highest RSS per round "
                f"{result['round_peaks_mb']} MB, at the end of each rest {result['round_ends_mb']}"
                f" MB"
            )
        elif name == "package":
            notes.append(
                f"- package: {result['size_mb']} MB; start-up ratio frozen / source "
                f"{result['ratio']}x"
            )
    lines += ["## Notes", "", *notes, ""]
    return "\n".join(lines)


def write_markdown(results: dict[str, Any], path: Path) -> None:
    path.write_text(markdown(results), encoding="utf-8")


DOC_START = "<!-- bench-results:start (written by make bench; edit outside this block) -->"
DOC_END = "<!-- bench-results:end -->"


def results_block(results: dict[str, Any]) -> str:
    """The targets and figures tables of a run, for docs/performance.md."""
    text = markdown(results)
    body = text.split("## Targets (DESIGN.md section 6)", 1)[1]
    info = results["machine"]
    commit = (info.get("git", {}).get("commit") or "unknown")[:12]
    head = (
        f"Last run: {info['date']}, revision `{commit}`, {results['mode']} mode, on "
        f"{info['cpu']} ({info['cores']} cores, {info['ram_gb']} GB), {info['os']}, "
        f"Python {info['python']}, PySide6 {info['pyside6']}, {info['qt_platform']}; load "
        f"average {info.get('load_average_at_start')} at the start. Full results: "
        "benchmarks/RESULTS.md and benchmarks/results.json.\n\n### Targets\n"
    )
    return head + body.replace("## Figures", "### Figures").replace("## Notes", "### Notes")


def update_document(results: dict[str, Any], path: Path) -> bool:
    """Replace the results block of `path` (between the markers) with this run's; False if the
    document has no such block."""
    if not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    if DOC_START not in text or DOC_END not in text:
        return False
    before, rest = text.split(DOC_START, 1)
    _, after = rest.split(DOC_END, 1)
    block = f"{DOC_START}\n{results_block(results).strip()}\n{DOC_END}"
    path.write_text(before + block + after, encoding="utf-8")
    return True


def _slow_frames(result: dict[str, Any]) -> str:
    """The frames over 16 ms, and the slowest by name (gesture, step, zoom, first at its level)."""
    slowest = result.get("slowest_frames")
    if not slowest:
        return ""
    named = ", ".join(
        f"{f['ms']} ms ({f['kind']} {f['gesture']} step {f['step']}, zoom {f['zoom']}, level "
        f"{f['level']}" + (", first at its level" if f["first_at_level"] else "") + ")"
        for f in slowest[:4]
    )
    return (
        f"; {result['frames_over_16_ms']} frames over 16 ms, "
        f"{result['frames_over_16_ms_first_at_level']} of them the first at a zoom level; "
        f"slowest: {named}"
    )
