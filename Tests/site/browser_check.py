#!/usr/bin/env python3
"""Checks a built site the way its readers meet it, in headless Chromium.

Usage: browser_check.py SITE_DIR [--screenshots DIR] [--pages PATH...]

Serves SITE_DIR on a local port, then for each page (default: the home page, a monograph,
an A-Z page, the ingredient index and the search page):
  - runs axe-core (PyPI axe-selenium-python) and fails on any serious or critical violation;
  - with --screenshots, saves desktop (1366x900) and phone (390x844) screenshots.
Exit status 0 when every page passes, 1 otherwise. Needs chromium, chromium-driver, selenium,
axe-selenium-python.
"""
import argparse
import functools
import http.server
import json
import pathlib
import sys
import threading

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service


def serve(root: pathlib.Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def browser() -> webdriver.Chrome:
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # Generous limits: axe on a long page on a busy 2-core machine has taken over selenium's
    # default 30 s; a limit is a safety net, not a speed test.
    driver.set_script_timeout(300)
    driver.set_page_load_timeout(300)
    return driver


def default_pages(root: pathlib.Path) -> list:
    pages = ["", "search/?q=examplamol", "ingredients/"]
    letters = sorted(p.parent.name for p in root.glob("browse/*/index.html"))
    if letters:
        pages.append(f"browse/{letters[0]}/")
    monographs = sorted(root.glob("*/*/index.html"))
    monographs = [p for p in monographs if p.parts[-3] not in ("browse", "ingredients", "api", "search")]
    if monographs:
        pages.append(str(monographs[0].parent.relative_to(root)) + "/")
    return pages


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--screenshots")
    parser.add_argument("--pages", nargs="*")
    args = parser.parse_args()
    root = pathlib.Path(args.site).resolve()
    server = serve(root)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = args.pages or default_pages(root)
    driver = browser()
    failures = 0
    try:
        for page in pages:
            if args.screenshots:
                folder = pathlib.Path(args.screenshots)
                folder.mkdir(parents=True, exist_ok=True)
                name = page.strip("/").replace("/", "_").replace("?", "_").replace("=", "_") or "home"
                driver.set_window_size(390, 844)
                driver.get(base + page)
                driver.save_screenshot(str(folder / f"{name}-phone.png"))
                driver.set_window_size(1366, 900)
                driver.get(base + page)
                driver.save_screenshot(str(folder / f"{name}-desktop.png"))
            driver.set_window_size(1366, 900)
            driver.get(base + page)
            axe = Axe(driver)
            axe.inject()
            results = axe.run()
            serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
            others = [v for v in results["violations"] if v not in serious]
            status = "ok" if not serious else "FAIL"
            print(f"{status} /{page}: {len(serious)} serious/critical, {len(others)} minor axe violations")
            for violation in serious + others:
                nodes = ", ".join(n["target"][0] for n in violation["nodes"][:3])
                print(f"    [{violation['impact']}] {violation['id']}: {violation['help']} ({nodes})")
            failures += bool(serious)
    finally:
        driver.quit()
        server.shutdown()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
