#!/usr/bin/env python3
"""The example site's Hindi pages as a reader meets them, in headless Chromium.

Usage: hindi_check.py SITE_DIR [--screenshots DIR]

Serves the built example site (examples/site, which has Hindi translations of its pages) and
checks, failing on the first thing that is not so:
  - a Hindi page: <html lang="hi">, its Devanagari title, the Hindi section headings and the
    note that it is a translation; hreflang alternates for both languages;
  - the language switch: from the Hindi page to the same medicine in English and back;
  - the Hindi A-Z page lists the page under its Devanagari letter;
  - search from the Hindi search page, typed in Devanagari and in Latin letters, gives the
    Hindi page; a Devanagari query on the English search page gives the English page;
  - axe-core finds nothing serious or critical on the pages visited.
With --screenshots, saves each page at phone size (390x844) and desktop size (1366x900).
"""
import argparse
import pathlib
import sys
import time
import urllib.parse

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from browser_check import browser, serve  # noqa: E402

PAGE = "composition/examplamol/"
TITLE = "एग्ज़ाम्पलामॉल (Examplamol)"


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
    print(f"ok: {message}")


def wait_for(driver, condition, what: str, seconds: float = 20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; page: {driver.current_url}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--screenshots")
    args = parser.parse_args()
    root = pathlib.Path(args.site).resolve()
    server = serve(root)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    driver = browser()
    shots = pathlib.Path(args.screenshots) if args.screenshots else None
    visited = []

    def visit(path: str) -> None:
        driver.get(base + path)
        visited.append(path)
        if shots:
            shots.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            for label, size in (("phone", (390, 844)), ("desktop", (1366, 900))):
                driver.set_window_size(*size)
                time.sleep(0.2)
                driver.save_screenshot(str(shots / f"hi-{name}-{label}.png"))

    def axe_clean(path: str) -> None:
        axe = Axe(driver)
        axe.inject()
        results = axe.run()
        serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        for violation in serious:
            print(f"axe {path}: {violation['id']}: {violation['help']}")
        check(not serious, f"axe finds nothing serious on /{path}")

    try:
        visit("hi/" + PAGE)
        html = driver.find_element(By.TAG_NAME, "html")
        check(html.get_attribute("lang") == "hi", "the Hindi page says lang=hi")
        check(driver.find_element(By.TAG_NAME, "h1").text == TITLE, "its title is the Devanagari name with the Latin one")
        headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.section h2")]
        check("उपयोग" in headings and "खुराक" in headings, f"its sections have Hindi headings ({', '.join(headings)})")
        note = driver.find_element(By.CSS_SELECTOR, ".translation-note").text
        check("English" in note, f"it says it is translated from English ({note})")
        # Absolute addresses under the site's baseURL, whatever port this test serves on.
        alternates = {
            link.get_attribute("hreflang"): urllib.parse.urlparse(link.get_attribute("href")).path
            for link in driver.find_elements(By.CSS_SELECTOR, 'link[rel="alternate"][hreflang]')
        }
        check(
            alternates == {"en": "/" + PAGE, "hi": "/hi/" + PAGE, "x-default": "/" + PAGE},
            "hreflang alternates name both languages and the default",
        )
        axe_clean("hi/" + PAGE)

        driver.find_element(By.CSS_SELECTOR, '.language-switch a[hreflang="en"]').click()
        wait_for(driver, lambda: driver.current_url == base + PAGE, "the English page")
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "the switch leads to the English page")
        driver.find_element(By.CSS_SELECTOR, '.language-switch a[hreflang="hi"]').click()
        wait_for(driver, lambda: driver.current_url == base + "hi/" + PAGE, "the Hindi page again")
        check(True, "and back to the Hindi page")

        letter = urllib.parse.quote("ए")
        visit(f"hi/browse/{letter}/")
        titles = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".entry-list a")]
        check(TITLE in titles, f"the Hindi A-Z page for ए lists it ({len(titles)} pages)")
        axe_clean(f"hi/browse/{letter}/")

        for query in ("एग्ज़ाम्पलामॉल", "एग्जाम्पलामोल", "examplamol"):
            visit("hi/search/?q=" + urllib.parse.quote(query))
            first = wait_for(
                driver,
                lambda: (driver.find_elements(By.CSS_SELECTOR, "#search-results a") or [None])[0],
                f"results for {query}",
            )
            check(
                first.get_attribute("href") == base + "hi/" + PAGE,
                f"the Hindi search page finds the Hindi page for '{query}'",
            )
        status = driver.find_element(By.ID, "search-status").text
        check("दवाएँ मिलीं" in status or "दवा मिली" in status or "मिल" in status, f"its status is in Hindi ({status})")
        axe_clean("hi/search/")

        visit("search/?q=" + urllib.parse.quote("एग्ज़ाम्पलामॉल"))
        first = wait_for(
            driver, lambda: (driver.find_elements(By.CSS_SELECTOR, "#search-results a") or [None])[0], "results"
        )
        check(first.get_attribute("href") == base + PAGE, "a Devanagari query on the English search page gives the English page")
    except AssertionError as error:
        print(f"FAILED: {error}")
        return 1
    finally:
        driver.quit()
        server.shutdown()
    print(f"hindi_check: {len(visited)} pages visited, every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
