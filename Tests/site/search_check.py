#!/usr/bin/env python3
"""Types queries into a built site's search page in headless Chromium and checks the first result.

Usage: search_check.py SITE_DIR CASES_TSV
CASES_TSV lines: query <TAB> expected first result title (exact text of the link). The site is
served on a local port; each query is typed into the search box key by key, as a person would.
Exit status 0 when every first result is the expected one.
"""
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import WebDriverWait

import browser_check


def main() -> int:
    site, cases_file = sys.argv[1], sys.argv[2]
    cases = [line.rstrip("\n").split("\t") for line in open(cases_file, encoding="utf-8")
             if line.strip() and not line.startswith("#")]
    server = browser_check.serve(__import__("pathlib").Path(site).resolve())
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    driver = browser_check.browser()
    failures = 0
    try:
        for query, expected in cases:
            driver.get(base + "search/")
            box = WebDriverWait(driver, 60).until(conditions.element_to_be_clickable((By.ID, "q")))
            started = time.monotonic()
            box.send_keys(query)
            try:
                WebDriverWait(driver, 60).until(
                    lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li a")
                    and d.find_element(By.ID, "search-status").text)
                first = driver.find_element(By.CSS_SELECTOR, "#search-results li a")
                got, href = first.text, first.get_attribute("href")
            except Exception:
                got, href = "(no results: " + driver.find_element(By.ID, "search-status").text + ")", ""
            took = time.monotonic() - started
            ok = got == expected
            failures += not ok
            print(f"{'ok' if ok else 'FAIL'} {query!r}: first result {got!r} {href} ({took:.2f} s)"
                  + ("" if ok else f", expected {expected!r}"))
    finally:
        driver.quit()
        server.shutdown()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
