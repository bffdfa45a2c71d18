"""Screenshot a `stance report` HTML file in headless Chromium, wide and narrow.

    python tools/screenshot_report.py report.html -o docs/           # two PNGs
    python tools/screenshot_report.py report.html -o docs/ --install # apt-get chromium first

Chromium comes from the Debian packages ``chromium`` and ``chromium-driver``; with
``--install`` the script installs them (needs root and the package registry). Without
Chromium it says so and exits with status 2, so callers can skip cleanly. The
screenshots are ``<name>-wide.png`` (1280 px) and ``<name>-narrow.png`` (420 px, a
phone), for a person to look at; the report must read well in both.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
SIZES = {"wide": (1280, 2400), "narrow": (420, 2400)}


def find_browser() -> str | None:
    """The first headless-capable Chromium on PATH, or None."""
    return next((b for b in map(shutil.which, BROWSERS) if b), None)


def install() -> None:
    """apt-get install the Debian Chromium packages (root and the registry needed)."""
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"],
                   check=True, stdout=subprocess.DEVNULL)


def screenshot(browser: str, html: Path, out: Path, size: tuple[int, int]) -> Path:
    """One full-width screenshot of *html* at *size*; returns the PNG's path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-extensions", "--force-device-scale-factor=1",
         f"--window-size={size[0]},{size[1]}", f"--screenshot={out}",
         html.resolve().as_uri()],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    if not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no screenshot to {out}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("html", type=Path, help="the report to screenshot")
    parser.add_argument("-o", "--output", type=Path, default=Path("."),
                        help="directory for the PNGs (default: here)")
    parser.add_argument("--install", action="store_true",
                        help="apt-get install chromium and chromium-driver if missing")
    args = parser.parse_args(argv)
    browser = find_browser()
    if browser is None and args.install:
        install()
        browser = find_browser()
    if browser is None:
        print("Chromium not found: install the Debian packages chromium and chromium-driver "
              "(or rerun with --install as root)", file=sys.stderr)
        return 2
    for name, size in SIZES.items():
        png = screenshot(browser, args.html, args.output / f"{args.html.stem}-{name}.png", size)
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
