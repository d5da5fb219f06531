"""Layering rules: the content layer never imports Qt, and every module says what it is for."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KIOSK = ROOT / "kiosk"
CONTENT = KIOSK / "content"
QT_PACKAGES = ("PySide6", "PySide2", "shiboken6", "shiboken2", "PyQt4", "PyQt5", "PyQt6")
# Modules that import Qt themselves: the content layer may not reach Qt through them either.
QT_USERS = ("kiosk.ui", "kiosk.app", "kiosk.launch", "kiosk.smoke")
# The Qt layer's pure rules and arithmetic: no Qt, so they are unit-tested without a window.
QT_FREE_UI = (
    "kiosk.ui.journey.options",
    "kiosk.ui.journey.words",
    "kiosk.ui.map.clustering",
    "kiosk.ui.map.hit_index",
    "kiosk.ui.map.label_placement",
    "kiosk.ui.map.marker_layout",
    "kiosk.ui.map.motion",
    "kiosk.ui.map.touch",
    "kiosk.ui.map.touch_rules",
)


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _imported_names(tree: ast.AST, module: str) -> list[str]:
    """Every module name `tree` imports, relative imports resolved against `module`."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x / from ..ui import y
                package = module.rsplit(".", node.level)[0]
                base = f"{package}.{node.module}" if node.module else package
            else:
                base = node.module or ""
            names.append(base)
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return names


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_content_modules_are_found() -> None:
    names = {path.name for path in _modules(CONTENT)}
    assert {"__init__.py", "loader.py", "model.py", "yaml_source.py"} <= names


@pytest.mark.parametrize("path", _modules(CONTENT), ids=lambda p: p.name)
def test_content_module_does_not_import_qt(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imported = _imported_names(tree, _module_name(path))
    assert imported, "an empty module? the scan found no imports at all"
    qt = [name for name in imported if name.split(".")[0] in QT_PACKAGES]
    assert qt == [], f"{path.name} imports Qt"
    via_ui = [n for n in imported if any(n == u or n.startswith(f"{u}.") for u in QT_USERS)]
    assert via_ui == [], f"{path.name} imports the Qt layer"


def test_scan_sees_every_form_of_import() -> None:
    # The scan above must catch plain, from-, dotted and relative imports.
    source = "import PySide6.QtCore\nfrom shiboken6 import isValid\nfrom ..ui import theme\n"
    names = _imported_names(ast.parse(source), "kiosk.content.x")
    assert "PySide6.QtCore" in names
    assert "shiboken6" in names
    assert "kiosk.ui.theme" in names


@pytest.mark.parametrize("module", QT_FREE_UI)
def test_qt_free_ui_module_imports_no_qt(module: str) -> None:
    path = ROOT / (module.replace(".", "/") + ".py")
    imported = _imported_names(ast.parse(path.read_text(encoding="utf-8")), module)
    qt = [name for name in imported if name.split(".")[0] in QT_PACKAGES]
    assert qt == [], f"{module} imports Qt"
    ui = {n for n in imported if n.startswith("kiosk.ui.")} - set(QT_FREE_UI)
    # `from kiosk.ui.map.touch_rules import REST_S` also names kiosk.ui.map.touch_rules.REST_S.
    assert {n for n in ui if n.rsplit(".", 1)[0] not in QT_FREE_UI} == set(), module


def test_qt_free_ui_modules_load_no_qt() -> None:
    code = (
        f"import sys; import {', '.join(QT_FREE_UI)}; "
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt'))); "
        "assert not qt, qt"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_validate_path_imports_no_qt() -> None:
    # `kiosk validate` must work on a machine without a display or Qt libraries.
    code = (
        "import kiosk.content, kiosk.cli, kiosk.compat, kiosk.paths, sys; "
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt'))); "
        "assert not qt, qt"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", _modules(KIOSK), ids=lambda p: str(p.relative_to(KIOSK)))
def test_every_module_has_a_docstring(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstring = ast.get_docstring(tree)
    assert docstring, f"{path.relative_to(ROOT)} has no module docstring"
    assert len(docstring.split()) >= 3, "a docstring of a word or two says nothing"


def _screen_calls(tree: ast.AST) -> list[int]:
    """Lines calling `something.screen()` (no arguments): a widget's or a window's QScreen."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "screen"
        and not node.args
        and not node.keywords
    ]


def test_scan_sees_a_screen_call() -> None:
    source = "a = 1\ndpi = self.map_view.screen().physicalDotsPerInch()\nscreen(x)"
    assert _screen_calls(ast.parse(source)) == [2]


@pytest.mark.parametrize(
    "path",
    _modules(KIOSK) + _modules(ROOT / "tests") + _modules(ROOT / "scripts"),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_code_asks_a_widget_for_its_qscreen(path: Path) -> None:
    """PySide6 makes the QScreen that `widget.screen()` returns the widget's child; a garbage
    collection can then delete the application's screen (see kiosk/ui/qt/screen_density.py and
    tests/ui/qt/test_screen_density.py). Use `screen_density.px_per_mm` or the static
    `QGuiApplication.primaryScreen()`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert _screen_calls(tree) == []


def _kiosk_imports(name: str) -> set[str]:
    path = KIOSK / f"{name}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {n for n in _imported_names(tree, f"kiosk.{name}") if n.startswith("kiosk.")}


def test_the_smoke_test_and_the_app_import_each_other_one_way() -> None:
    # app.py starts the smoke test; both build the window through kiosk/launch.py.
    assert "kiosk.smoke" in _kiosk_imports("app")
    assert not {
        n for n in _kiosk_imports("smoke") if n == "kiosk.app" or n.startswith("kiosk.app.")
    }
    assert "kiosk.launch" in _kiosk_imports("smoke")


# --- the layers of kiosk/ui stay one-way ------------------------------------------------------

UI = KIOSK / "ui"
# Each UI package, and the packages of kiosk.ui it must never import (with their modules).
UI_NEVER = {
    "qt": ("map", "panels", "journey", "access", "staff", "shell"),  # helpers know no exhibit
    "map": ("panels", "access", "staff", "shell"),
    "panels": ("access", "staff", "shell"),
    "journey": ("panels", "access", "staff", "shell"),
    # It serves a whole window, typed as its own ExhibitScreen, and knows staff widgets by mark.
    "access": ("staff", "shell"),
}
# Layers below the UI: they never import it (the heat-map of analytics draws the exhibit's map).
NO_UI = ("content", "updates", "runtime", "mapbuild")


def _kiosk_imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [n for n in _imported_names(tree, _module_name(path)) if n.startswith("kiosk.")]


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


@pytest.mark.parametrize(
    "path",
    [p for package in UI_NEVER for p in _modules(UI / package)],
    ids=lambda p: str(p.relative_to(UI)),
)
def test_ui_layers_import_one_way(path: Path) -> None:
    package = path.relative_to(UI).parts[0]
    forbidden = [f"kiosk.ui.{other}" for other in UI_NEVER[package]]
    wrong = [n for n in _kiosk_imports_of(path) if any(_under(n, f) for f in forbidden)]
    assert wrong == [], f"kiosk/ui/{package} must not import {sorted(set(wrong))}"


@pytest.mark.parametrize(
    "path",
    [p for layer in NO_UI for p in _modules(KIOSK / layer)]
    + [p for p in _modules(KIOSK / "analytics") if p.name != "heatmap.py"],
    ids=lambda p: str(p.relative_to(KIOSK)),
)
def test_layers_below_the_ui_never_import_it(path: Path) -> None:
    wrong = [n for n in _kiosk_imports_of(path) if _under(n, "kiosk.ui") or _under(n, "kiosk.app")]
    assert wrong == [], f"{path.relative_to(ROOT)} imports the UI: {sorted(set(wrong))}"


# kiosk/ui/journey holds the session's foundations, which the map draws with (the state, the
# themes, the words, CLDR formatting and dates), and the controls built over the map (the
# chrome, the timeline, the attract loop, the idle reset). The foundations never import the map
# or the controls, and the map imports only the foundations: map and journey form no cycle.
JOURNEY_FOUNDATIONS = ("theme", "state", "words", "cldr", "dates", "options")


def _journey_module(name: str) -> str | None:
    """The module of kiosk.ui.journey `name` names (None for the package or outside it)."""
    if not _under(name, "kiosk.ui.journey") or name == "kiosk.ui.journey":
        return None
    return name.split(".")[3]


@pytest.mark.parametrize("name", JOURNEY_FOUNDATIONS)
def test_the_journeys_foundations_import_neither_the_map_nor_the_controls(name: str) -> None:
    path = UI / "journey" / f"{name}.py"
    imported = _kiosk_imports_of(path)
    assert not [n for n in imported if _under(n, "kiosk.ui.map")]
    journey = {m for m in map(_journey_module, imported) if m is not None}
    controls = journey - set(JOURNEY_FOUNDATIONS)
    assert controls == set(), f"kiosk/ui/journey/{name}.py imports {sorted(controls)}"


@pytest.mark.parametrize("path", _modules(UI / "map"), ids=lambda p: p.name)
def test_the_map_imports_only_the_journeys_foundations(path: Path) -> None:
    used = {m for m in map(_journey_module, _kiosk_imports_of(path)) if m is not None}
    assert used <= set(JOURNEY_FOUNDATIONS), f"{path.name} imports journey's {sorted(used)}"


def test_the_layer_scan_sees_a_wrong_import() -> None:
    source = "from kiosk.ui.shell.host import BundleHost\nfrom ..journey import theme\n"
    names = _imported_names(ast.parse(source), "kiosk.ui.map.view")
    assert any(_under(n, "kiosk.ui.shell") for n in names)
    assert "kiosk.ui.journey.theme" in names
