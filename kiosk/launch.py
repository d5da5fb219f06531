"""One run of the kiosk and the window it shows: the command line merged over the installation
config (`Launch`), and the visitor's screen built for a bundle (`build_window`).

Both the kiosk (kiosk/app.py) and its smoke test (kiosk/smoke.py) start from here, so the two
depend on this module and never on each other the wrong way: app.py may start the smoke test,
smoke.py never imports app.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.runtime.config import InstallationConfig, LoadedConfig
from kiosk.runtime.logs import log

if TYPE_CHECKING:  # Qt is imported only once we know the runtime is safe.
    from kiosk.content.cache import BundleCache
    from kiosk.ui.journey.options import DisplayOptions
    from kiosk.ui.shell.host import BundleHost


@dataclass
class Launch:
    """One run of the kiosk: the command line merged over the installation config."""

    content: Path
    windowed: bool = False
    size: tuple[int, int] = (1600, 900)
    language: str | None = None
    loaded: LoadedConfig = field(default_factory=lambda: LoadedConfig(InstallationConfig(), None))
    smoke_test: bool = False

    @property
    def config(self) -> InstallationConfig:
        return self.loaded.config


def display_options(config: InstallationConfig) -> DisplayOptions:
    from kiosk.ui.journey.options import DisplayOptions

    return DisplayOptions(
        idle_seconds=config.idle_seconds,
        reduced_motion=config.reduced_motion,
        accessibility=config.accessibility,
    )


def build_window(
    content: Path,
    language: str | None,
    options: DisplayOptions | None = None,
    languages: tuple[str, ...] | None = None,
    cache: BundleCache | None = None,
) -> BundleHost:
    """The visitor's screen showing the bundle, or the calm unavailable screen if it cannot."""
    from kiosk.ui.shell.host import BundleHost

    host = BundleHost(options, language, unavailable_languages=languages, cache=cache)
    host.validate_misses_in_child = True  # the kiosk's own process never validates at start
    if host.load(content):
        assert host.exhibit is not None
        host.exhibit.start_attract()  # nobody has touched it yet
    else:
        # The visitor sees a calm screen; the reasons go where staff look (log, admin screen).
        log.error("the bundle %s cannot be shown:\n  %s", content, "\n  ".join(host.problems))
    return host
