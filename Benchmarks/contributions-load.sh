#!/usr/bin/env bash
# Suggestions and approvals under concurrent load, through `formulary serve`'s JSON API, on
# SQLite and on PostgreSQL, one after the other in one run.
#
#   Benchmarks/contributions-load.sh [CORPUS] [DURATION] [CONNECTIONS]
#
# CORPUS defaults to ../shared/corpus/rxhive-v1, DURATION to 20 (seconds of suggestions),
# CONNECTIONS to 16. Needs a release build (`swift build -c release --product formulary`), wrk,
# and for the PostgreSQL half a server (scripts/start-test-postgres.sh starts Debian's; skipped
# with a message when none can be started). For each store:
#   1. a site whose content is a copy of CORPUS (approvals write its files), a contributor and
#      a reviewer with API tokens, `formulary serve --no-watch`; the first start imports every
#      page as revision 1 (timed);
#   2. suggestions: wrk, DURATION seconds, CONNECTIONS connections, POST /api/v1/suggestions
#      with a new Usage section for a random page (each is parsed, checked, stored; 201 is sent
#      after the transaction commits with synchronous=FULL);
#   3. sign-offs: wrk, DURATION seconds, CONNECTIONS connections, POST
#      /api/v1/monographs/{id}/sign-off of the Usage section of a random page as the reviewer
#      (each reads the page's revisions and file, checks who may, stores the sign-off and its
#      audit entry in one transaction; 201 after the commit; the site is rebuilt meanwhile);
#   4. approvals: one suggestion for each (page, section) of five sections in every page is
#      seeded, then wrk approves them, each once, DURATION seconds at CONNECTIONS connections
#      and again at 4 (no two touch the same section, so each is a new revision, a merge, a
#      file written atomically; the site is rebuilt in the background meanwhile). A few are
#      refused with 409: pages whose sections the seeded text changes the reading of.
# The store's files are on the same disk as the repository (not tmpfs). PARTS (default
# "suggest sign-off approve") runs only some of 2-4; STORES (default "sqlite postgres") only
# some stores.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/rxhive-v1}
duration=${2:-20}
connections=${3:-16}
formulary=${FORMULARY:-$PWD/.build/release/formulary}
parts=${PARTS:-suggest sign-off approve}
stores=${STORES:-sqlite postgres}
[ -x "$formulary" ] || { echo "build first: swift build -c release --product formulary" >&2; exit 2; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
scripts=$PWD/Benchmarks/contributions
work=${WORK:-$(mktemp -d "$PWD/.build/contributions-load.XXXXXX")}
mkdir -p "$work"
server=
cleanup() {
  local status=$?
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  # A failed run keeps the servers' logs (with a backtrace when one crashed).
  if [ "$status" -ne 0 ] && ls "$work"/*.log >/dev/null 2>&1; then
    local kept=$PWD/.build/kept-logs/contributions-load-$(date +%Y%m%d-%H%M%S)
    mkdir -p "$kept" && cp "$work"/*.log "$kept"/ && echo "the servers' logs are kept in $kept" >&2
  fi
  [ -z "${WORK:-}" ] && rm -rf "$work"
  return 0
}

# alive NAME: stops the run, with the end of the server's log, when the server has died.
alive() {
  kill -0 "$server" 2>/dev/null && return 0
  local status=0
  wait "$server" || status=$?
  server=
  echo "$1: the server died (exit status $status); the end of its log:" >&2
  tail -40 "$work/$1.log" >&2
  exit 1
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"); wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'); store folder on $(df --output=fstype "$work" | tail -1)"
echo "corpus: $corpus ($(find "$corpus" -name '*.md' | wc -l) files); $duration s of suggestions at $connections connections"

# Pages with a Usage section (for suggestions), and every (page, section) of five sections (for approvals).
"$formulary" show "$corpus" --format json 2>/dev/null | python3 -c '
import json, sys
usage = open(sys.argv[1], "w")
pairs = open(sys.argv[2], "w")
for line in sys.stdin:
    record = json.loads(line)
    seen = set()
    for section in record["sections"]:
        kind = section["kind"]
        if kind in seen or kind not in ("usage", "dosage", "sideEffects", "howItWorks", "precautions"):
            continue
        seen.add(kind)
        heading = section["heading"].replace("\\", "").replace("\"", "").replace("\t", " ") or kind
        pairs.write("\t".join((record["id"], kind, heading)) + "\n")
    if "usage" in seen:
        usage.write(record["id"] + "\n")
' "$work/usage-pages.txt" "$work/pairs.txt"
echo "pages with Usage: $(wc -l <"$work/usage-pages.txt"); (page, section) pairs: $(wc -l <"$work/pairs.txt")"

port=${FORMULARY_PORT:-28490}
base=http://127.0.0.1:$port

# wrk_summary FILE: requests/s, latency percentiles and non-2xx from wrk --latency output.
wrk_summary() {
  local file=$1
  local rate p50 p99 errors requests
  rate=$(awk '/Requests\/sec/ {print $2}' "$file")
  p50=$(awk '$1 == "50%" {print $2}' "$file")
  p99=$(awk '$1 == "99%" {print $2}' "$file")
  requests=$(awk '/requests in/ {print $1}' "$file")
  errors=$(awk '/Non-2xx/ {print $NF}' "$file")
  echo "$requests requests, $rate/s, p50 $p50, p99 $p99, non-2xx ${errors:-0}"
}

run_store() {
  local name=$1 database=$2
  local site=$work/$name
  echo "== $name"
  rm -rf "$site"
  mkdir -p "$site"
  cp -R "$corpus" "$site/content"
  printf 'title: Benchmark\ncontributions:\n  enabled: true\n  rateLimit: 100000000\n' >"$site/formulary.yml"
  printf 'contributor-password\n' >"$work/password"
  "$formulary" user add writer --site "$site" --database "$database" --password-file "$work/password" >/dev/null
  "$formulary" user add checker --role reviewer --site "$site" --database "$database" --password-file "$work/password" >/dev/null
  local writer checker
  writer=$("$formulary" user token writer --site "$site" --database "$database")
  checker=$("$formulary" user token checker --site "$site" --database "$database")
  local started=$SECONDS
  SWIFT_BACKTRACE=enable=yes,interactive=no "$formulary" serve "$site" --no-watch --port "$port" \
    --database "$database" --log-level error \
    >"$work/$name.log" 2>&1 &
  server=$!
  until curl -sf "$base/healthz" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { echo "the server stopped:"; tail "$work/$name.log"; exit 1; }
    sleep 0.5
  done
  echo "first start (import of every page, build): $((SECONDS - started)) s"

  if [[ " $parts " == *" suggest "* ]]; then
    TOKEN=$writer PAGES=$work/usage-pages.txt wrk -t2 -c"$connections" -d"${duration}s" --latency \
      -s "$scripts/suggest.lua" "$base/api/v1/suggestions" >"$work/$name-suggest.txt"
    echo "suggestions: $(wrk_summary "$work/$name-suggest.txt")"
    alive "$name"
  fi

  if [[ " $parts " == *" sign-off "* ]]; then
    TOKEN=$checker PAGES=$work/usage-pages.txt wrk -t2 -c"$connections" -d"${duration}s" --latency \
      -s "$scripts/sign-off.lua" "$base/" >"$work/$name-sign-off.txt"
    echo "sign-offs: $(wrk_summary "$work/$name-sign-off.txt")"
    alive "$name"
  fi
  if [[ " $parts " != *" approve "* ]]; then
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
    return
  fi

  local first last
  first=$(curl -sf -X POST -H "Authorization: Bearer $writer" -H 'Content-Type: application/json' \
    -d '{"monograph":"'"$(head -1 "$work/usage-pages.txt")"'","section":"usage","text":"## Usage\nmark\n","message":"mark"}' \
    "$base/api/v1/suggestions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  # wrk waits out its duration even when every thread has stopped: a fixed 40 s.
  TOKEN=$writer PAIRS=$work/pairs.txt THREADS=2 wrk -t2 -c"$connections" -d40s \
    -s "$scripts/seed.lua" "$base/api/v1/suggestions" >"$work/$name-seed.txt"
  last=$(curl -sf -X POST -H "Authorization: Bearer $writer" -H 'Content-Type: application/json' \
    -d '{"monograph":"'"$(head -1 "$work/usage-pages.txt")"'","section":"usage","text":"## Usage\nmark\n","message":"mark"}' \
    "$base/api/v1/suggestions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  echo "seeded $((last - first - 1)) suggestions on distinct (page, section) pairs for approval"
  alive "$name"

  TOKEN=$checker FIRST=$((first + 1)) LAST=$((last - 1)) THREADS=2 wrk -t2 -c"$connections" -d"${duration}s" \
    --latency -s "$scripts/approve.lua" "$base/api/v1/suggestions" >"$work/$name-approve.txt"
  echo "approvals at $connections connections: $(wrk_summary "$work/$name-approve.txt")"
  alive "$name"
  # The same at 4 connections, on suggestions the first run did not reach.
  local reached
  reached=$(awk '/requests in/ {print $1}' "$work/$name-approve.txt")
  TOKEN=$checker FIRST=$((first + reached + 100)) LAST=$((last - 1)) THREADS=2 wrk -t2 -c4 -d"${duration}s" \
    --latency -s "$scripts/approve.lua" "$base/api/v1/suggestions" >"$work/$name-approve-4.txt"
  echo "approvals at 4 connections: $(wrk_summary "$work/$name-approve-4.txt")"
  alive "$name"
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
}

[[ " $stores " == *" sqlite "* ]] && run_store sqlite "$work/sqlite/formulary.sqlite"

postgres=
[[ " $stores " == *" postgres "* ]] && postgres=$(scripts/start-test-postgres.sh 2>/dev/null || true)
if [ -n "$postgres" ]; then
  database=formulary_bench_$$
  psql "$postgres" -qc "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database" >/dev/null
  run_store postgres "${postgres%/*}/$database"
  psql "$postgres" -qc "DROP DATABASE $database" >/dev/null || true
else
  echo "== postgres: skipped (scripts/start-test-postgres.sh could not start a server)"
fi
