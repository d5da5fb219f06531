"""The monitoring kit in docs/monitoring/: the alert rules, the Prometheus configuration and the
Grafana dashboard use exactly the metrics the kiosk exports (a renamed metric would otherwise leave
an alert that never fires), and promtool accepts and unit-tests the rules where it is installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from kiosk.runtime.metrics import Sample, exposition

KIT = Path(__file__).resolve().parent.parent / "docs" / "monitoring"
METRIC = re.compile(r"\bkiosk_[a-z_]+\b")


def exported() -> set[str]:
    """Every series name the kiosk can export (a sample with every figure known)."""
    sample = Sample(
        up=True,
        kiosk_name="Hall 2",
        started_at=1.0,
        uptime_seconds=1.0,
        bundle_id="b",
        bundle_version="1",
        last_update_at=1.0,
        last_update_outcome="failed",
        update_failures_in_a_row=1,
        update_failing_since=1.0,
        resident_bytes=1.0,
        crashes_recovered=0,
        sessions_today=0,
        taps_today=0,
    )
    families = text_string_to_metric_families(exposition(sample))
    return {item.name for family in families for item in family.samples}


def alert_rules() -> list[dict[str, object]]:
    document = yaml.safe_load((KIT / "kiosk-alerts.yaml").read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((KIT / "kiosk-dashboard.json").read_text(encoding="utf-8"))
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


def test_the_alerts_cover_down_updates_and_memory_with_real_metrics() -> None:
    rules = alert_rules()
    names = {str(rule["alert"]) for rule in rules}
    assert {"KioskDown", "KioskUpdatesFailing", "KioskMemoryGrowing"} <= names
    known = exported()
    for rule in rules:
        used = set(METRIC.findall(str(rule["expr"])))
        assert used, rule["alert"]
        assert used <= known, (
            f"{rule['alert']} uses metrics the kiosk does not export: {used - known}"
        )


def test_the_dashboard_has_a_row_per_kiosk_and_a_panel_for_every_metric() -> None:
    dashboard = json.loads((KIT / "kiosk-dashboard.json").read_text(encoding="utf-8"))
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["instance"]["includeAll"] and variables["instance"]["multi"]
    rows = [panel for panel in dashboard["panels"] if panel["type"] == "row"]
    assert [row.get("repeat") for row in rows] == ["instance"]
    used = {name for expr in dashboard_expressions() for name in METRIC.findall(expr)}
    known = exported()
    assert used <= known, used - known
    # Every exported family is on the dashboard (the _total and _info series by their name).
    assert known - used == set(), known - used
    for expr in dashboard_expressions():
        assert '{instance=~"$instance"}' in expr, expr


PROMTOOL = shutil.which("promtool")


@pytest.mark.skipif(
    PROMTOOL is None, reason="promtool is not installed (apt-get install prometheus)"
)
@pytest.mark.parametrize(
    "command",
    [
        ["check", "rules", "kiosk-alerts.yaml"],
        ["test", "rules", "kiosk-alerts.test.yaml"],
        ["check", "config", "prometheus.yml"],
    ],
)
def test_promtool_accepts_and_tests_the_rules(command: list[str]) -> None:
    assert PROMTOOL is not None
    done = subprocess.run(
        [PROMTOOL, *command], cwd=KIT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
