"""Regenerate the README screenshots from the real frontend: `scripts/screenshots`.

Starts a throwaway Home Assistant with the virtual mask (DemoInstance), walks through pairing and
a session in headless Chromium (walkthrough.run) and saves the pictures in docs/screenshots/.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from playwright.sync_api import sync_playwright

from devtools.demo.instance import ROOT, DemoInstance
from devtools.demo.walkthrough import HomeAssistantPage, find_browser, launch, run

if TYPE_CHECKING:
    from pathlib import Path

SHOTS = ROOT / "docs" / "screenshots"


def main(folder: Path = SHOTS) -> int:
    """Take the screenshots; returns the exit code."""
    executable = find_browser()
    if executable is None:
        print("No Chromium found: run scripts/install_browser (Debian package chromium).")
        return 1
    with DemoInstance() as instance, sync_playwright() as playwright:
        print(f"Home Assistant with the virtual mask up in {instance.startup_s:.1f} s")
        try:
            figures = run(HomeAssistantPage(launch(playwright, executable), instance.url), folder)
        except AssertionError:
            print(instance.log_tail())
            raise
    for name, value in figures.items():
        print(f"{name}: {value:.1f}")
    for path in sorted(folder.glob("*.png")):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
