#!/usr/bin/env bash
# A long run of mixed load on `formulary serve` with a store, on SQLite and on PostgreSQL, one
# after the other: does the server stay up, answer every request as it should, and keep its
# memory flat?
#
#   Benchmarks/soak.sh [--minutes M] [--store sqlite|postgres|both] [--pages N]
#                      [--corpus DIR] [--formulary PATH] [--workers N] [--keep DIR]
#
# Defaults: 20 minutes a store, both stores (PostgreSQL skipped, saying so, when
# scripts/start-test-postgres.sh cannot start one; with --store postgres that fails), every
# page of ../shared/corpus/rxhive-v1, the release build (.build/release/formulary), 8 workers.
# The CI form (Tests/server/run.sh) is
# `Benchmarks/soak.sh --minutes 2 --pages 600 --workers 4 --formulary .build/debug/formulary`.
#
# For each store: a site whose content is a copy of the corpus (the first N pages when --pages
# is given), a contributor and a reviewer with API tokens, and `formulary serve` watching its
# content folder, with SWIFT_BACKTRACE=enable=yes so that a crash leaves a backtrace in the
# server's log. Then Benchmarks/soak/load.py for M minutes: page reads, API records, searches,
# suggestions, approvals, rejections, reverts, listings, and edits of page files on disk every
# 3 s (each rebuilds the site while requests are served). At the end the server is stopped with
# SIGTERM and must exit 0.
#
# A store passes when: the server never died, no answer was unexpected (see load.py), it stopped
# cleanly, and its memory did not keep growing: the resident size at the end is at most 25% (and
# 64 MiB) above its size at the end of the first quarter of the run, once caches have filled.
# The log, summary and memory samples stay in --keep DIR (default: .build/soak/STORE/) after a
# failure and after a pass. Exit status 1 when any store failed, 2 when it could not start.
set -euo pipefail
trap 'echo "soak.sh: line $LINENO failed (exit status $?)" >&2' ERR
cd "$(dirname "$0")/.."
minutes=20
stores=both
pages=
corpus=../shared/corpus/rxhive-v1
formulary=$PWD/.build/release/formulary
workers=8
keep=$PWD/.build/soak
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --store) stores=$2; shift 2 ;;
    --pages) pages=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --formulary) formulary=$(realpath "$2"); shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --keep) keep=$(realpath -m "$2"); shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
asked=$stores
case $stores in sqlite) stores=(sqlite) ;; postgres) stores=(postgres) ;; both) stores=(sqlite postgres) ;;
  *) echo "soak.sh: --store is sqlite, postgres or both" >&2; exit 2 ;; esac
[ -x "$formulary" ] || { echo "soak.sh: no $formulary; build first (swift build -c release --product formulary)" >&2; exit 2; }
[ -d "$corpus" ] || { echo "soak.sh: no corpus at $corpus (the shared corpus is at ../shared/corpus)" >&2; exit 2; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "binary: $formulary; corpus: $corpus${pages:+ (first $pages pages)}; $minutes min a store, $workers workers"

server=
database_to_drop=
postgres=
cleanup() {
  if [ -n "$server" ]; then kill -KILL "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$database_to_drop" ]; then psql "$postgres" -qc "DROP DATABASE IF EXISTS $database_to_drop" >/dev/null 2>&1 || true; fi
  return 0
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

failed=0
run_store() {
  local name=$1 database=$2
  local work=$keep/$name
  rm -rf "$work"
  mkdir -p "$work/site/content"
  # The corpus, or its first N pages (in sorted order, so every run has the same ones).
  if [ -n "$pages" ]; then
    (cd "$corpus" && find . -name '*.md' | LC_ALL=C sort) >"$work/all-files.txt"
    head -n "$pages" "$work/all-files.txt" >"$work/files.txt"
    (cd "$corpus" && tar -cf - -T "$work/files.txt") | tar -xf - -C "$work/site/content"
  else
    cp -R "$corpus/." "$work/site/content"
  fi
  printf 'title: Soak\ncontributions:\n  enabled: true\n  rateLimit: 100000000\n' >"$work/site/formulary.yml"
  printf 'soak-password\n' >"$work/password"
  local user
  for user in "writer contributor" "checker reviewer"; do
    set -- $user
    "$formulary" user add "$1" --role "$2" --site "$work/site" --database "$database" \
      --password-file "$work/password" >/dev/null
  done
  local writer checker
  writer=$("$formulary" user token writer --site "$work/site" --database "$database")
  checker=$("$formulary" user token checker --site "$work/site" --database "$database")

  # Each page: id, file (relative to the content folder), and its first usage/dosage/side effects section.
  "$formulary" show "$work/site/content" --format json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    record = json.loads(line)
    for section in record["sections"]:
        if section["kind"] in ("usage", "dosage", "sideEffects") and section["heading"]:
            heading = section["heading"].replace("\t", " ")
            print("\t".join((record["id"], record["source"]["path"], section["kind"], heading)))
            break
' >"$work/pages.tsv"
  echo "== $name: $(wc -l <"$work/pages.tsv") pages with a usage, dosage or side effects section"

  local port
  port=$(free_port)
  local started=$SECONDS
  SWIFT_BACKTRACE=enable=yes,interactive=no "$formulary" serve "$work/site" --port "$port" \
    --database "$database" --log-level notice >"$work/server.log" 2>&1 &
  server=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
    if ! kill -0 "$server" 2>/dev/null; then
      echo "$name: the server stopped before it was ready; its log is $work/server.log:"
      tail -20 "$work/server.log"
      server=
      failed=1
      return
    fi
    sleep 0.5
  done
  echo "$name: serving after $((SECONDS - started)) s (import and first build)"

  python3 Benchmarks/soak/load.py --base "http://127.0.0.1:$port" --pid "$server" --pages "$work/pages.tsv" \
    --content "$work/site/content" --minutes "$minutes" --writer "$writer" --reviewer "$checker" \
    --workers "$workers" --out "$work/summary.json"

  local stopped=ok status=0
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" || status=$?
    [ "$status" -eq 0 ] || stopped="exit status $status after SIGTERM"
  else
    wait "$server" || status=$?
    stopped="died during the run (exit status $status)"
  fi
  server=
  local verdict
  verdict=$(python3 - "$work/summary.json" "$stopped" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
stopped = sys.argv[2]
memory = summary["memory KiB"]
problems = []
if not summary["alive"] or stopped != "ok":
    problems.append(f"server: {stopped}")
if summary["unexpected"]:
    problems.append(f"{summary['unexpected']} unexpected answers")
if summary["disk edit failures"]:
    problems.append(f"{summary['disk edit failures']} disk edits failed")
line = ""
if len(memory) >= 4:
    settled = memory[len(memory) // 4][1]
    end = memory[-1][1]
    peak = max(kib for _, kib in memory)
    line = (f"memory: {memory[0][1] / 1024:.0f} MiB at {memory[0][0]} s, {settled / 1024:.0f} MiB at "
            f"{memory[len(memory) // 4][0]} s, {end / 1024:.0f} MiB at the end, peak {peak / 1024:.0f} MiB")
    if end > settled * 1.25 and end - settled > 64 * 1024:
        problems.append("memory kept growing: " + line)
else:
    problems.append("too few memory samples (the run was cut short)")
requests = summary["requests"]
rate = requests / summary["seconds"] if summary["seconds"] else 0
print(f"{requests} requests in {summary['seconds']:.0f} s ({rate:.0f}/s), {summary['unexpected']} unexpected, "
      f"{summary['disk edits']} disk edits; {line}")
for name, entry in summary["operations"].items():
    statuses = ", ".join(f"{code}: {count}" for code, count in entry["statuses"].items())
    print(f"  {name:<12} {entry['requests']:>7}  p50 {entry['p50 ms']:>7} ms  p99 {entry['p99 ms']:>7} ms  ({statuses})")
for example in summary["unexpected examples"][:10]:
    print("  unexpected: " + example)
print("PASS" if not problems else "FAIL: " + "; ".join(problems))
PY
)
  echo "$verdict" | sed "s/^/$name: /"
  if ! echo "$verdict" | tail -1 | grep -q '^PASS'; then
    failed=1
    echo "$name: the server's log, the summary and the memory samples are in $work/"
    grep -n -m 20 -i 'fatal\|crash\|backtrace\|error' "$work/server.log" | sed "s/^/$name: log: /" || true
  fi
}

for store in "${stores[@]}"; do
  case $store in
    sqlite) run_store sqlite "$keep/sqlite/formulary.sqlite" ;;
    postgres)
      postgres=$(scripts/start-test-postgres.sh 2>/dev/null || true)
      if [ -z "$postgres" ] && [ "$asked" = both ]; then
        echo "== postgres: skipped: scripts/start-test-postgres.sh could not start a server (apt-get install postgresql)"
        continue
      elif [ -z "$postgres" ]; then
        echo "== postgres: FAIL: scripts/start-test-postgres.sh could not start a server"
        failed=1
        continue
      fi
      database_to_drop=formulary_soak_$$
      PGOPTIONS=--client-min-messages=warning psql "$postgres" -qc "DROP DATABASE IF EXISTS $database_to_drop" -c "CREATE DATABASE $database_to_drop" >/dev/null
      run_store postgres "${postgres%/*}/$database_to_drop"
      psql "$postgres" -qc "DROP DATABASE IF EXISTS $database_to_drop" >/dev/null || true
      database_to_drop=
      ;;
  esac
done
exit $failed
