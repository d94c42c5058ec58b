"""Open every page of the workshop kit's HTML in headless Chromium with the network cut; report what it loads.

Usage (a maintainer's check, not part of the test suite: it needs a browser):
    apt-get install chromium                       # Debian's browser
    python3 -m venv /tmp/pw && /tmp/pw/bin/pip install playwright
    make workshop                                  # writes build/workshop/html
    /tmp/pw/bin/python tools/check_kit_html.py build/workshop/html build/html-shots

Every request that is not ``file://`` or ``data:`` is aborted and counted (a page that needs the web
would show it here), failed requests are counted, and every ``<img>`` must have loaded (naturalWidth
> 0) and carry alt text. One line a page, a total, a screenshot of each page in the second folder;
exit status 1 when anything was blocked, failed or broken.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

IMAGES = "Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.alt])"


def check(html_dir: Path, shots: Path) -> int:
    """Check every page of ``html_dir``; return the number of problems found."""
    blocked: list[str] = []
    failed: list[str] = []
    bad_images = 0
    shots.mkdir(parents=True, exist_ok=True)

    def route(request_route) -> None:
        if request_route.request.url.startswith(("file://", "data:")):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", route)
        page = context.new_page()
        page.on("requestfailed", lambda request: failed.append(request.url[:80]))
        for html in sorted(html_dir.glob("*.html")):
            before = len(blocked), len(failed)
            page.goto(html.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            images = page.evaluate(IMAGES)
            broken = sum(not loaded for loaded, _ in images)
            undescribed = sum(not alt or "No description" in alt for _, alt in images)
            bad_images += broken + undescribed
            page.screenshot(path=str(shots / f"{html.stem}.png"))
            print(f"{html.name:26s} images {len(images)} (loaded: {len(images) - broken}, with alt text: "
                  f"{len(images) - undescribed}); blocked requests {len(blocked) - before[0]}; "
                  f"failed requests {len(failed) - before[1]}")
        browser.close()
    print(f"TOTAL: {len(blocked)} requests blocked {blocked[:5]}, {len(failed)} failed {failed[:5]}, "
          f"{bad_images} broken or undescribed images")
    return len(blocked) + len(failed) + bad_images


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: check_kit_html.py HTML_DIR SCREENSHOT_DIR")
    sys.exit(1 if check(Path(sys.argv[1]).resolve(), Path(sys.argv[2])) else 0)
