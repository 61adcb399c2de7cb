#!/usr/bin/env bash
# Several `formulary serve` on one PostgreSQL (issue #20): how long an approval on one server
# takes to be served by each of the others (from the approval's answer until the JSON record,
# the page and a search answer on the other server all have it; p50, p99 and the slowest over N
# approvals made in turn on each server, with page reads and searches going on meanwhile), and
# approvals a second with every server taking them against one server alone (8 clients, 20 s
# each).
#
#   Benchmarks/multi-server.sh [--servers 3] [--approvals 200] [--pages 2000] [--formulary PATH]
#
# Defaults: 3 servers, 200 approvals, the first 2000 pages of ../shared/corpus/rxhive-v1 in each
# server's content folder, the release build. Needs PostgreSQL (scripts/start-test-postgres.sh
# starts Debian's). Prints `BENCH {json}` with the figures; the checks of
# Tests/server/multi_server_check.py's last step (nothing lost, the store consistent, every
# content folder equal to the store) run at the end too.
set -euo pipefail
cd "$(dirname "$0")/.."
formulary=.build/release/formulary servers=3 approvals=200 pages=2000
while [ $# -gt 0 ]; do
  case $1 in
    --servers) servers=$2; shift 2 ;;
    --approvals) approvals=$2; shift 2 ;;
    --pages) pages=$2; shift 2 ;;
    --formulary) formulary=$2; shift 2 ;;
    *) echo "multi-server.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$formulary" ] || { echo "multi-server.sh: no $formulary; swift build -c release --product formulary" >&2; exit 2; }
[ -d ../shared/corpus/rxhive-v1 ] || { echo "multi-server.sh: needs the corpus at ../shared/corpus" >&2; exit 2; }
postgres=$(scripts/start-test-postgres.sh)
[ -n "$postgres" ] || { echo "multi-server.sh: needs PostgreSQL (apt-get install postgresql)" >&2; exit 2; }
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem/ {print $2}') GiB"
python3 Tests/server/multi_server_check.py --formulary "$formulary" --postgres "$postgres" \
  --content ../shared/corpus/rxhive-v1 --pages "$pages" --servers "$servers" --approvals "$approvals" --bench
