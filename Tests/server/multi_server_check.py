"""Several `formulary serve` processes on one PostgreSQL database (issue #20).

    multi_server_check.py --formulary BIN --postgres URL [--content DIR] [--pages N]
                          [--servers 3] [--approvals 60] [--bench] [--keep DIR]

URL is a role that may create databases (scripts/start-test-postgres.sh prints one). A fresh
database is made for the run and dropped after it. Each server has a copy of the content
folder of its own (as servers on several machines would) and runs with --no-watch, so what
brings another server's approval to it is the store's change feed alone.

Checks, in order; each failure is printed, and the exit status is 1 when any failed:
1. Started at the same moment on the fresh database, every server comes up, and the store
   holds each page once (one revision each: the imports did not fight).
2. Approvals made on one server (in turn on each) are served by every other one, as the JSON
   record, the page and a search answer, within 2 s; the delay is measured from the approval's
   answer until all three have it on each other server.
3. One server killed with SIGKILL while approvals go on on the others: restarted, it serves
   them all.
4. PostgreSQL stopped for 10 s (pg_ctlcluster) while servers run: the site is still served,
   changes are answered 503 with Retry-After, /healthz says degraded; started again, every
   server comes back to ok, and approvals made after it propagate.
5. At the end: no acknowledged approval lost (each approved suggestion is approved in the
   store and its text is a revision), the store's own consistency (every current revision
   exists, revisions numbered 1..n, every change names a revision), and every server's content
   folder equal to the store's current revisions, file by file.

With --bench (Benchmarks/multi-server.sh), the propagation delay's p50 and p99 over
--approvals approvals under read load, and the approval rate with every server taking
approvals against one server alone, go to standard output as JSON too.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

FAILURES = []


def fail(message):
    FAILURES.append(message)
    print("FAILED: " + message, flush=True)


def note(message):
    print(message, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def psql(url, sql):
    """Runs SQL through psql; the output, unaligned and without headers."""
    return subprocess.run(
        ["psql", url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True, capture_output=True, text=True, timeout=60).stdout.strip()


def request(port, method, path, body=None, token=None, timeout=30):
    """(status, headers, body bytes); status 0 when the connection failed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=payload, headers=headers)
        reply = connection.getresponse()
        return reply.status, dict(reply.getheaders()), reply.read()
    except OSError as error:
        return 0, {}, str(error).encode()
    finally:
        connection.close()


class Server:
    def __init__(self, name, site, database, formulary, work):
        self.name, self.site, self.database, self.formulary = name, site, database, formulary
        self.port = free_port()
        self.log = os.path.join(work, name + ".log")
        self.process = None

    def start(self):
        log = open(self.log, "a")
        self.process = subprocess.Popen(
            [self.formulary, "serve", self.site, "--port", str(self.port), "--database", self.database,
             "--no-watch", "--log-level", "notice"],
            stdout=log, stderr=subprocess.STDOUT,
            env=dict(os.environ, SWIFT_BACKTRACE="enable=yes,interactive=no"))

    def wait_ready(self, seconds=240):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            status, _, _ = request(self.port, "GET", "/healthz", timeout=2)
            if status == 200:
                return True
            time.sleep(0.1)
        return False

    def health(self):
        status, _, data = request(self.port, "GET", "/healthz", timeout=5)
        return json.loads(data) if status == 200 else None

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, lines=15):
        with open(self.log, errors="replace") as log:
            return "".join(log.readlines()[-lines:])


class Run:
    def __init__(self, arguments):
        self.arguments = arguments
        self.work = arguments.keep or tempfile.mkdtemp(prefix="formulary-multi-")
        os.makedirs(self.work, exist_ok=True)
        self.database_name = f"formulary_multi_{os.getpid()}"
        parsed = urllib.parse.urlsplit(arguments.postgres)
        self.admin = arguments.postgres
        self.database = urllib.parse.urlunsplit(parsed._replace(path="/" + self.database_name))
        self.servers = []
        self.approved = []  # (suggestion id, monograph id, marker)
        self.serial = 0

    # -- setup

    def make_sites(self):
        psql(self.admin, f"CREATE DATABASE {self.database_name}")
        files = []
        for folder, _, names in os.walk(self.arguments.content):
            files += [os.path.relpath(os.path.join(folder, name), self.arguments.content)
                      for name in names if name.endswith(".md")]
        files.sort()
        if self.arguments.pages:
            files = files[: self.arguments.pages]
        for number in range(1, self.arguments.servers + 1):
            site = os.path.join(self.work, f"site{number}")
            for relative in files:
                target = os.path.join(site, "content", relative)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(os.path.join(self.arguments.content, relative), target)
            with open(os.path.join(site, "formulary.yml"), "w") as config:
                config.write("title: Several servers\ncontributions:\n  enabled: true\n  rateLimit: 100000000\n")
            self.servers.append(Server(f"server{number}", site, self.database, self.arguments.formulary, self.work))
        self.files = files
        # Pages with a usage section (its heading as written), for suggestions.
        shown = subprocess.run(
            [self.arguments.formulary, "show", os.path.join(self.servers[0].site, "content"), "--format", "json"],
            capture_output=True, text=True, check=True).stdout
        self.pages = []
        for line in shown.splitlines():
            record = json.loads(line)
            for section in record["sections"]:
                if section["kind"] == "usage" and section["heading"]:
                    self.pages.append((record["id"], section["heading"]))
                    break
        note(f"{len(files)} pages a server, {len(self.pages)} with a usage section; work folder {self.work}")

    def add_people(self):
        password = os.path.join(self.work, "password")
        with open(password, "w") as out:
            out.write("multi-server-password\n")
        site = self.servers[0].site
        for name, role in (("writer", "contributor"), ("checker", "reviewer")):
            subprocess.run(
                [self.arguments.formulary, "user", "add", name, "--role", role, "--site", site,
                 "--database", self.database, "--password-file", password], check=True, capture_output=True)
        token = lambda name: subprocess.run(
            [self.arguments.formulary, "user", "token", name, "--site", site, "--database", self.database],
            check=True, capture_output=True, text=True).stdout.strip()
        self.writer, self.checker = token("writer"), token("checker")

    # -- one approval

    def approve_on(self, server, page=None):
        """Suggests a new usage text with a unique word on `server` and approves it there.
        Returns (monograph id, marker word, when the approval was answered) or None."""
        self.serial += 1
        monograph, heading = page or self.pages[self.serial % len(self.pages)]
        marker = f"zorblax{os.getpid()}q{self.serial}"
        text = f"## {heading}\n\nChecked by several servers: {marker}.\n"
        status, _, data = request(
            server.port, "POST", "/api/v1/suggestions",
            {"monograph": monograph, "section": "usage", "text": text, "message": "multi-server"}, token=self.writer)
        if status != 201:
            return None, status, data
        suggestion = json.loads(data)["id"]
        status, headers, data = request(
            server.port, "POST", f"/api/v1/suggestions/{suggestion}/approve", {"override": "test"},
            token=self.checker)
        answered = time.monotonic()
        if status != 200:
            return None, status, data
        self.approved.append((suggestion, monograph, marker))
        return (monograph, marker, answered), status, data

    @staticmethod
    def serves(server, monograph, marker):
        status, _, data = request(server.port, "GET", "/api/v1/monographs/" + urllib.parse.quote(monograph, safe=""),
                                  timeout=5)
        return status == 200 and marker.encode() in data

    @staticmethod
    def serves_everywhere(server, monograph, marker):
        """The page and a search answer too, once the record is there."""
        status, _, page = request(server.port, "GET", "/" + monograph + "/", timeout=5)
        if status != 200 or marker.encode() not in page:
            return "page"
        status, _, answer = request(server.port, "GET", "/api/v1/search?q=" + marker, timeout=5)
        if status != 200 or monograph.encode() not in answer:
            return "search"
        return None

    def propagation(self, approvals, limit=None):
        """Approvals in turn on each running server; the delays until every other one serves
        each (its JSON record, its page and a search answer)."""
        limit = self.arguments.limit if limit is None else limit
        running = [server for server in self.servers if server.process.poll() is None]
        delays = []
        for number in range(approvals):
            origin = running[number % len(running)]
            made, status, data = self.approve_on(origin)
            if made is None:
                fail(f"an approval on {origin.name} was answered {status}: {data[:200]!r}")
                return delays
            monograph, marker, answered = made
            for other in running:
                if other is origin:
                    continue
                # Served when the record, the page and a search answer all have it.
                while not (self.serves(other, monograph, marker)
                           and self.serves_everywhere(other, monograph, marker) is None):
                    if time.monotonic() - answered > 30:
                        missing = "record" if not self.serves(other, monograph, marker) else \
                            self.serves_everywhere(other, monograph, marker)
                        fail(f"{other.name} did not serve {monograph}'s approval from {origin.name} "
                             f"within 30 s (its {missing} lags)")
                        return delays
                    time.sleep(0.005)
                delay = time.monotonic() - answered
                delays.append(delay)
                if delay > limit:
                    fail(f"{other.name} served {monograph}'s approval from {origin.name} after {delay:.2f} s (limit {limit} s)")
        return delays

    # -- the checks

    def start_together(self):
        for server in self.servers:
            server.start()
        ready = [server.wait_ready() for server in self.servers]
        for server, up in zip(self.servers, ready):
            if not up:
                fail(f"{server.name} did not come up when started with the others; its log:\n{server.tail()}")
        if not all(ready):
            return False
        pages = int(psql(self.database, "SELECT count(*) FROM monograph"))
        revisions = int(psql(self.database, "SELECT count(*) FROM revision"))
        if pages != len(self.files) or revisions != len(self.files):
            fail(f"after the imports the store holds {pages} pages and {revisions} revisions, not {len(self.files)} of each")
        for server in self.servers:
            with open(server.log, errors="replace") as log:
                text = log.read()
            if "duplicate key" in text or "PSQLError" in text:
                fail(f"{server.name}'s log has a raw database error:\n{server.tail()}")
        note(f"started together: {len(self.servers)} servers up, {pages} pages imported once")
        return True

    def kill_and_catch_up(self, approvals):
        victim = self.servers[-1]
        victim.kill()
        made = 0
        for number in range(approvals):
            origin = self.servers[number % (len(self.servers) - 1)]
            result, status, data = self.approve_on(origin)
            if result is None:
                fail(f"an approval on {origin.name} with {victim.name} down was answered {status}: {data[:200]!r}")
                return
            made += 1
        victim.start()
        if not victim.wait_ready():
            fail(f"{victim.name} did not come back after SIGKILL; its log:\n{victim.tail()}")
            return
        if not self.converged(seconds=10):
            return
        note(f"SIGKILL: {victim.name} killed, {made} approvals on the others, restarted and caught up")

    def converged(self, seconds):
        """Whether every running server serves each page's current revision within `seconds`."""
        deadline = time.monotonic() + seconds
        latest = {}
        for _, monograph, marker in self.approved:
            latest[monograph] = marker
        while True:
            lagging = [(server.name, monograph) for server in self.servers if server.process.poll() is None
                       for monograph, marker in latest.items() if not self.serves(server, monograph, marker)]
            if not lagging:
                return True
            if time.monotonic() > deadline:
                fail(f"not converged after {seconds} s: {lagging[:5]}")
                return False
            time.sleep(0.2)

    def database_away(self):
        cluster = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split()
        if len(cluster) < 2:
            fail("pg_lsclusters names no cluster to stop")
            return
        version, name = cluster[0], cluster[1]
        subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "fast"], check=True)
        stopped = time.monotonic()
        try:
            time.sleep(5)  # a read of the feed (every second, given up after 3 s) has failed by now
            origin = self.servers[0]
            status, _, _ = request(origin.port, "GET", "/" + self.pages[0][0] + "/", timeout=5)
            if status != 200:
                fail(f"with the database stopped, {origin.name} answered a page {status}")
            status, headers, data = request(
                origin.port, "POST", "/api/v1/suggestions",
                {"monograph": self.pages[0][0], "section": "usage", "text": "## Usage\n\nx\n", "message": "x"},
                token=self.writer, timeout=40)
            if status != 503 or "Retry-After" not in headers:
                fail(f"with the database stopped, a suggestion was answered {status} {headers.get('Retry-After')}: {data[:200]!r}")
            health = origin.health()
            if not health or health.get("status") != "degraded" or health.get("store", {}).get("reachable") is not False:
                fail(f"with the database stopped, /healthz said {health}")
            time.sleep(max(0, 10 - (time.monotonic() - stopped)))
        finally:
            subprocess.run(["pg_ctlcluster", version, name, "start"], check=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            healths = [server.health() for server in self.servers]
            if all(health and health["status"] == "ok" for health in healths):
                break
            time.sleep(0.2)
        else:
            fail(f"servers not ok 60 s after the database came back: {healths}")
            return
        back = time.monotonic() - stopped
        delays = self.propagation(6)
        if len(delays) == 6 * (len(self.servers) - 1):
            note(f"database away 10 s: pages served, changes 503 with Retry-After, degraded; all ok {back:.1f} s after the stop, approvals propagate")

    def final_checks(self):
        lost = []
        for suggestion, monograph, marker in self.approved:
            status = psql(self.database, f"SELECT status FROM suggestion WHERE id = {int(suggestion)}")
            found = psql(self.database,
                         f"SELECT count(*) FROM revision WHERE monograph_id = '{monograph}' AND markdown LIKE '%{marker}%'")
            if status != "approved" or found == "0":
                lost.append((suggestion, monograph, status, found))
        if lost:
            fail(f"acknowledged approvals lost: {lost[:5]}")
        problems = {
            "monographs whose current revision is missing":
                "SELECT count(*) FROM monograph m WHERE NOT EXISTS (SELECT 1 FROM revision r "
                "WHERE r.monograph_id = m.id AND r.number = m.current_revision)",
            "pages whose revisions are not numbered 1..n":
                "SELECT count(*) FROM (SELECT monograph_id FROM revision GROUP BY monograph_id "
                "HAVING max(number) <> count(*) OR min(number) <> 1) gaps",
            "changes that name no revision":
                "SELECT count(*) FROM store_change c WHERE NOT EXISTS (SELECT 1 FROM revision r "
                "WHERE r.monograph_id = c.monograph_id AND r.number = c.number)",
            "revisions without a change":
                "SELECT count(*) FROM revision r WHERE NOT EXISTS (SELECT 1 FROM store_change c "
                "WHERE c.monograph_id = r.monograph_id AND c.number = r.number)",
        }
        for what, sql in problems.items():
            count = int(psql(self.database, sql))
            if count:
                fail(f"the store has {count} {what}")
        current = json.loads(psql(
            self.database,
            "SELECT coalesce(json_agg(json_build_object('path', m.path, 'markdown', r.markdown)), '[]') "
            "FROM monograph m JOIN revision r ON r.monograph_id = m.id AND r.number = m.current_revision"))
        for server in self.servers:
            differing = []
            for page in current:
                path = os.path.join(server.site, "content", page["path"])
                try:
                    with open(path, encoding="utf-8") as file:
                        if file.read() != page["markdown"]:
                            differing.append(page["path"])
                except OSError:
                    differing.append(page["path"] + " (missing)")
            if differing:
                fail(f"{server.name}'s content folder differs from the store: {differing[:5]}")
        note(f"end: {len(self.approved)} acknowledged approvals all in the store; store consistent; "
             f"{len(self.servers)} content folders equal to the store's {len(current)} current revisions")

    # -- benchmark

    def approval_rate(self, targets, seconds=20, workers=8):
        """Approvals a second with `workers` clients spread over `targets`."""
        stop = time.monotonic() + seconds
        counts = [0] * workers
        lock = threading.Lock()

        def work(number):
            local = random.Random(number)
            while time.monotonic() < stop:
                server = targets[number % len(targets)]
                with lock:
                    self.serial += 1
                    serial = self.serial
                monograph, heading = self.pages[local.randrange(len(self.pages))]
                text = f"## {heading}\n\nRate {serial}.\n"
                status, _, data = request(
                    server.port, "POST", "/api/v1/suggestions",
                    {"monograph": monograph, "section": "usage", "text": text, "message": "rate"},
                    token=self.writer)
                if status != 201:
                    continue
                status, _, _ = request(
                    server.port, "POST", f"/api/v1/suggestions/{json.loads(data)['id']}/approve",
                    {"override": "rate"}, token=self.checker)
                if status == 200:
                    counts[number] += 1

        threads = [threading.Thread(target=work, args=(number,)) for number in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(counts) / seconds

    def read_load(self, stop):
        """Page reads and searches on every server until `stop` is set."""
        def work(number):
            local = random.Random(number)
            while not stop.is_set():
                server = self.servers[local.randrange(len(self.servers))]
                monograph, _ = self.pages[local.randrange(len(self.pages))]
                if local.random() < 0.5:
                    request(server.port, "GET", "/" + monograph + "/", timeout=10)
                else:
                    request(server.port, "GET", "/api/v1/search?q=" + urllib.parse.quote(monograph.split("/")[-1][:8]),
                            timeout=10)

        threads = [threading.Thread(target=work, args=(number,), daemon=True) for number in range(4)]
        for thread in threads:
            thread.start()
        return threads

    def benchmark(self):
        stop = threading.Event()
        self.read_load(stop)
        delays = sorted(self.propagation(self.arguments.approvals, limit=2.0))
        stop.set()
        percentile = lambda fraction: delays[min(len(delays) - 1, int(fraction * len(delays)))]
        one = self.approval_rate(self.servers[:1])
        every = self.approval_rate(self.servers)
        result = {
            "approvals": self.arguments.approvals, "deliveries": len(delays),
            "p50_ms": round(percentile(0.5) * 1000, 1), "p99_ms": round(percentile(0.99) * 1000, 1),
            "max_ms": round(delays[-1] * 1000, 1),
            "approvals_per_s_one_server": round(one, 1),
            f"approvals_per_s_{len(self.servers)}_servers": round(every, 1),
        }
        print("BENCH " + json.dumps(result), flush=True)

    # -- all

    def run(self):
        self.make_sites()
        try:
            if not self.start_together():
                return
            self.add_people()
            if self.arguments.bench:
                self.benchmark()
                self.final_checks()
                return
            delays = self.propagation(self.arguments.approvals)
            if delays:
                note(f"propagation: {len(delays)} deliveries of {self.arguments.approvals} approvals, "
                     f"slowest {max(delays) * 1000:.0f} ms")
            self.kill_and_catch_up(10)
            self.database_away()
            self.converged(seconds=10)
            self.final_checks()
        finally:
            for server in self.servers:
                server.stop()
            for server in self.servers:
                with open(server.log, errors="replace") as log:
                    if "Fatal error" in log.read() or server.process.returncode not in (0, -signal.SIGKILL, None):
                        fail(f"{server.name} ended with status {server.process.returncode}:\n{server.tail()}")
            try:
                psql(self.admin, f"DROP DATABASE IF EXISTS {self.database_name}")
            except subprocess.CalledProcessError as error:
                note(f"could not drop {self.database_name}: {error.stderr.strip()}")
            if not self.arguments.keep and not FAILURES:
                shutil.rmtree(self.work, ignore_errors=True)
            elif FAILURES:
                note(f"logs kept in {self.work}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formulary", required=True)
    parser.add_argument("--postgres", required=True)
    parser.add_argument(
        "--limit", type=float, default=2.0,
        help="seconds an approval may take to be served by the other servers (2: the target, which"
        " Benchmarks/multi-server.sh measures on a release build; run.sh gives a debug build sharing"
        " two cores with the other checks more)")
    parser.add_argument("--content", default="examples/site/content")
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (sorted)")
    parser.add_argument("--servers", type=int, default=3)
    parser.add_argument("--approvals", type=int, default=30)
    parser.add_argument("--bench", action="store_true")
    parser.add_argument("--keep")
    arguments = parser.parse_args()
    arguments.formulary = os.path.abspath(arguments.formulary)
    Run(arguments).run()
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        sys.exit(1)
    print("all passed")


if __name__ == "__main__":
    main()
