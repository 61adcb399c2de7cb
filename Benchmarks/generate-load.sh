#!/usr/bin/env bash
# `formulary generate` against a local OpenAI-compatible server that answers every request after
# a fixed delay, as a slow model would: how long N names take at a given concurrency, then the
# same run interrupted (SIGINT) part way and run again, which must finish the rest without
# asking again for what it already has.
#
#   Benchmarks/generate-load.sh [NAMES] [DELAY_MS] [CONCURRENCY]
#
# Defaults: 1000 names, 500 ms, 16. The interrupted run gets SIGINT half way to the floor.
# Needs a release build (`swift build -c release --product
# formulary`); FORMULARY= another binary. The floor is NAMES / CONCURRENCY x DELAY (31 s for the
# defaults); the server (Benchmarks/generate/fake_openai.py, Python's threading HTTP server)
# reports the most requests it had open at once.
set -euo pipefail
trap 'echo "generate-load.sh: line $LINENO failed (exit status $?)" >&2' ERR
cd "$(dirname "$0")/.."
names=${1:-1000}
delay=${2:-500}
concurrency=${3:-16}
formulary=${FORMULARY:-$PWD/.build/release/formulary}
[ -x "$formulary" ] || { echo "build first: swift build -c release --product formulary" >&2; exit 2; }
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
  return 0
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
floor=$(python3 -c "print(f'{$names * $delay / $concurrency / 1000:.1f}')")
# The interrupted run gets SIGINT half way to the floor (at least 2 s in).
interrupt=$(python3 -c "print(max(2, round($names * $delay / $concurrency / 2000)))")
echo "$names names, answers after $delay ms, --concurrency $concurrency (floor $floor s)"
python3 -c "
for n in range(1, $names + 1):
    print(f'Benchmarkamol {n}mg')
" >"$work/names.txt"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 Benchmarks/generate/fake_openai.py --port "$port" --delay-ms "$delay" &
server=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.1; done

# run NAME [TIMEOUT_SIGNAL_AFTER]: one generate run into $work/NAME; prints seconds taken.
run() {
  local folder=$work/$1
  mkdir -p "$folder/content"
  local started
  started=$(date +%s.%N)
  local status=0
  if [ -n "${2:-}" ]; then
    timeout --signal=INT "$2" "$formulary" generate --content "$folder/content" --from "$work/names.txt" \
      --endpoint "http://127.0.0.1:$port/v1" --model bench --concurrency "$concurrency" \
      --journal "$folder/journal.jsonl" >"$folder/out-interrupted.txt" 2>"$folder/err-interrupted.txt" || status=$?
  else
    "$formulary" generate --content "$folder/content" --from "$work/names.txt" \
      --endpoint "http://127.0.0.1:$port/v1" --model bench --concurrency "$concurrency" \
      --journal "$folder/journal.jsonl" >"$folder/out.txt" 2>"$folder/err.txt" || status=$?
  fi
  python3 -c "import time; print(f'{time.time() - $started:.1f}')"
  return 0
}

reset_stats() { curl -sf -X POST "http://127.0.0.1:$port/reset" >/dev/null; }
stats() { curl -sf "http://127.0.0.1:$port/stats"; }

reset_stats
seconds=$(run whole)
written=$(find "$work/whole/content" -name '*.md' | wc -l)
echo "one run: $written pages written in $seconds s; server: $(stats)"
[ "$written" -eq "$names" ] || { echo "expected $names pages"; tail "$work/whole/err.txt"; exit 1; }

reset_stats
first=$(run resumed "${interrupt}s")
after_first=$(find "$work/resumed/content" -name '*.md' | wc -l)
asked_first=$(stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
second=$(run resumed)
written=$(find "$work/resumed/content" -name '*.md' | wc -l)
asked=$(stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
echo "interrupted after $first s with $after_first pages written ($asked_first requests);" \
  "run again: done in $second s more, $written pages, $asked requests in all"
[ "$written" -eq "$names" ] || { echo "expected $names pages after the second run"; exit 1; }
# Answers that arrived before the interruption but were not yet written are in the journal and
# are not asked for again: at most the requests in flight at the interruption are asked twice.
[ "$asked" -le $((names + concurrency)) ] || { echo "asked $asked times for $names names"; exit 1; }
