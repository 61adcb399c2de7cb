#!/usr/bin/env python3
"""Nothing acknowledged is lost: `formulary serve` killed with SIGKILL in a burst of suggestions
and approvals, then started again.

Usage: durability_check.py FORMULARY SITE_DIR [--seconds S] [--threads N]

SITE_DIR is a copy of the example site (it is changed). The check:
  1. adds two reviewers and four contributors with API tokens, raises the site's rate limit,
     starts `FORMULARY serve SITE_DIR --no-watch`;
  2. conflicting approvals: twenty times, two suggestions for one page are approved by two
     reviewers at the same moment (started together behind a barrier). Different sections:
     both are approved and the page has both; the same section: one is approved, the other is
     refused with 409, and the page has the one approved. Never a silent overwrite;
  3. a burst: N threads suggest section edits (each text carries a unique marker) and approve
     pending ones, and a reviewer signs off sections, for S seconds; midway the server is killed
     with SIGKILL. Every 201 and every 200 received is remembered;
  4. the server is started again (it brings the content folder and the store into line at
     start), and: every acknowledged suggestion is there with its text; every acknowledged
     approval is approved with its revision; every acknowledged sign-off is stored, with its
     audit entry; `PRAGMA integrity_check` says ok; every page's Markdown file is byte for
     byte its latest revision.
Prints `durability_check: N passed, N failed`; exit status 1 when any failed.
"""
import argparse
import json
import os
import pathlib
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

PAGES = ["composition/examplamol", "composition/examplamol-sampleprofen"]
SECTIONS = {"usage": "### Usage", "sideEffects": "### Side Effects", "howItWorks": "### How it Works"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, formulary, site, port, log):
        self.formulary, self.site, self.port, self.log = formulary, site, port, log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.formulary, "serve", self.site, "--no-watch", "--port", str(self.port), "--log-level", "warning"],
            stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {self.log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not answer /healthz")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def call(base, method, path, token, body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class Run:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, condition, message):
        print(("ok   " if condition else "FAIL ") + message)
        if condition:
            self.passed += 1
        else:
            self.failed += 1
        return condition


def section_text(name, marker):
    return f"{SECTIONS[name]}\n{marker}\n\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("formulary")
    parser.add_argument("site")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    site = pathlib.Path(args.site)
    config = site / "formulary.yml"
    config.write_text(config.read_text().replace("rateLimit: 30", "rateLimit: 1000000"))
    people = {"rev1": "reviewer", "rev2": "reviewer", "con1": "contributor", "con2": "contributor",
              "con3": "contributor", "con4": "contributor"}
    tokens = {}
    for name, role in people.items():
        password = site / f".{name}.password"
        password.write_text(f"{name}-password-123\n")
        subprocess.run([args.formulary, "user", "add", name, "--role", role, "--qualification", "pharmacist",
                        "--site", str(site), "--password-file", str(password)], check=True, stdout=subprocess.DEVNULL)
        tokens[name] = subprocess.run([args.formulary, "user", "token", name, "--site", str(site)], check=True,
                                      capture_output=True, text=True).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Server(args.formulary, str(site), port, str(site.parent / "durability-server.log"))
    run = Run()
    server.start()
    try:
        # 2. Conflicting approvals at the same moment.
        lost = 0
        same_section_ok = 0
        for round_number in range(20):
            page = PAGES[round_number % 2]
            same = round_number % 2 == 1
            first_section, second_section = ("usage", "usage") if same else ("usage", "sideEffects")
            markers = [f"round-{round_number}-a", f"round-{round_number}-b"]
            numbers = []
            for token, section, marker in (
                (tokens["con1"], first_section, markers[0]), (tokens["con2"], second_section, markers[1])):
                status, body = call(base, "POST", "/api/v1/suggestions", token, {
                    "monograph": page, "section": section, "text": section_text(section, marker), "message": marker})
                numbers.append(body["id"] if status == 201 else None)
            if None in numbers:
                run.check(False, f"round {round_number}: both suggestions recorded")
                continue
            barrier = threading.Barrier(2)
            outcomes = [None, None]

            def approve(index, reviewer):
                barrier.wait()
                outcomes[index] = call(base, "POST", f"/api/v1/suggestions/{numbers[index]}/approve", tokens[reviewer], {})[0]

            threads = [threading.Thread(target=approve, args=(0, "rev1")), threading.Thread(target=approve, args=(1, "rev2"))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            status, listing = call(base, "GET", f"/api/v1/revisions?monograph={page}", tokens["rev1"])
            latest = listing["revisions"][-1]["number"]
            _, current = call(base, "GET", f"/api/v1/revisions?monograph={page}&number={latest}", tokens["rev1"])
            text = current["markdown"]
            if same:
                approved = [markers[i] for i in (0, 1) if outcomes[i] == 200]
                refused = [i for i in (0, 1) if outcomes[i] == 409]
                if len(approved) == 1 and len(refused) == 1 and approved[0] in text and \
                        markers[refused[0]] not in text:
                    same_section_ok += 1
                else:
                    lost += 1
                    print(f"     round {round_number} (same section): outcomes {outcomes}")
            else:
                if outcomes == [200, 200] and markers[0] in text and markers[1] in text:
                    same_section_ok += 1
                else:
                    lost += 1
                    print(f"     round {round_number} (two sections): outcomes {outcomes}")
        run.check(lost == 0, f"20 rounds of two reviewers approving one page at once: {same_section_ok} as expected, {lost} lost or wrong")

        # 3. The burst, and SIGKILL in the middle of it.
        acknowledged_suggestions = {}  # id -> (page, marker)
        acknowledged_approvals = {}  # suggestion id -> (page, revision number)
        lock = threading.Lock()
        stop = threading.Event()
        counter = [0]

        def contributor(name):
            while not stop.is_set():
                with lock:
                    counter[0] += 1
                    marker = f"burst-{counter[0]}"
                page = random.choice(PAGES)
                section = random.choice(list(SECTIONS))
                try:
                    status, body = call(base, "POST", "/api/v1/suggestions", tokens[name], {
                        "monograph": page, "section": section, "text": section_text(section, marker),
                        "message": marker}, timeout=5)
                except OSError:
                    continue
                if status == 201:
                    with lock:
                        acknowledged_suggestions[body["id"]] = (page, marker)

        def reviewer(name):
            while not stop.is_set():
                with lock:
                    candidates = [number for number in acknowledged_suggestions if number not in acknowledged_approvals]
                if not candidates:
                    time.sleep(0.005)
                    continue
                number = random.choice(candidates[-20:])
                try:
                    status, body = call(base, "POST", f"/api/v1/suggestions/{number}/approve", tokens[name], {}, timeout=5)
                except OSError:
                    continue
                if status == 200:
                    with lock:
                        acknowledged_approvals[number] = (body["monographID"], body["number"])

        acknowledged_sign_offs = {}  # sign-off id -> (page, section, message)

        def signer(name):
            while not stop.is_set():
                with lock:
                    counter[0] += 1
                    marker = f"sign-off-{counter[0]}"
                page = random.choice(PAGES)
                section = random.choice(list(SECTIONS))
                try:
                    status, body = call(base, "POST", f"/api/v1/monographs/{page}/sign-off", tokens[name], {
                        "sections": [section], "message": marker}, timeout=5)
                except OSError:
                    continue
                if status == 201:
                    with lock:
                        for signed in body["signedOff"]:
                            acknowledged_sign_offs[signed["id"]] = (page, section, marker)

        workers = [threading.Thread(target=contributor, args=(f"con{1 + i % 4}",)) for i in range(args.threads)]
        workers += [threading.Thread(target=reviewer, args=(f"rev{1 + i % 2}",)) for i in range(2)]
        workers += [threading.Thread(target=signer, args=("rev1",))]
        for worker in workers:
            worker.start()
        time.sleep(args.seconds / 2)
        server.kill()
        killed_at = (len(acknowledged_suggestions), len(acknowledged_approvals), len(acknowledged_sign_offs))
        time.sleep(0.3)
        stop.set()
        for worker in workers:
            worker.join()
        print(f"     killed with SIGKILL after {killed_at[0]} acknowledged suggestions, {killed_at[1]} approvals "
              f"and {killed_at[2]} sign-offs")
        run.check(killed_at[0] > 20 and killed_at[1] > 5 and killed_at[2] > 5,
                  "the burst was under way when the server was killed")

        # 4. After a restart.
        server.start()
        missing = [number for number, (page, marker) in acknowledged_suggestions.items()
                   if call(base, "GET", f"/api/v1/suggestions/{number}", tokens["rev1"])[1].get("suggestion", {})
                   .get("message") != marker]
        run.check(missing == [], f"all {len(acknowledged_suggestions)} acknowledged suggestions are there ({missing[:5]} missing)")
        wrong = []
        for number, (page, revision) in acknowledged_approvals.items():
            status, body = call(base, "GET", f"/api/v1/suggestions/{number}", tokens["rev1"])
            exists, _ = call(base, "GET", f"/api/v1/revisions?monograph={page}&number={revision}", tokens["rev1"])
            if status != 200 or body["suggestion"]["status"] != "approved" or exists != 200:
                wrong.append(number)
        run.check(wrong == [], f"all {len(acknowledged_approvals)} acknowledged approvals are there with their revisions ({wrong[:5]} wrong)")
        differing = []
        for page in PAGES + ["generic/examplamol-500mg", "medicines/examplix-500"]:
            _, listing = call(base, "GET", f"/api/v1/revisions?monograph={page}", tokens["rev1"])
            latest = listing["revisions"][-1]["number"]
            _, revision = call(base, "GET", f"/api/v1/revisions?monograph={page}&number={latest}", tokens["rev1"])
            on_disk = (site / "content" / (page + ".md")).read_text()
            if on_disk != revision["markdown"]:
                differing.append(page)
        run.check(differing == [], f"every page's Markdown file is its latest revision ({differing} differ)")
        server.stop()
        database = sqlite3.connect(site / ".formulary" / "formulary.sqlite")
        integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
        stored = {row[0]: (row[1], row[2], row[3]) for row in database.execute(
            "SELECT id, monograph_id, section, message FROM sign_off")}
        audited = {row[0] for row in database.execute("SELECT detail FROM audit WHERE action = 'sign-off'")}
        database.close()
        lost_sign_offs = [number for number, signed in acknowledged_sign_offs.items() if stored.get(number) != signed]
        run.check(lost_sign_offs == [],
                  f"all {len(acknowledged_sign_offs)} acknowledged sign-offs are stored ({lost_sign_offs[:5]} lost)")
        unaudited = [signed for signed in acknowledged_sign_offs.values()
                     if not any(detail.endswith(f"{signed[1]} ({signed[2]})") for detail in audited)]
        run.check(unaudited == [], f"each acknowledged sign-off has its audit entry ({unaudited[:3]} without)")
        run.check(integrity == "ok", f"PRAGMA integrity_check: {integrity}")
    finally:
        server.stop()
    print(f"durability_check: {run.passed} passed, {run.failed} failed")
    sys.exit(1 if run.failed else 0)


if __name__ == "__main__":
    main()
