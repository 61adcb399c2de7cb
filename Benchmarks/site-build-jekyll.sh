#!/bin/bash
# Formulary against Jekyll 4.3 (what RxHive runs) on the same pages in one run: the 6,447
# rxhive-v1 composition pages laid out by ../shared/bench/anchors/setup.sh (Jekyll gets its
# one-template layout and jekyll-sitemap; Formulary builds its full site from the same files).
# Usage: Benchmarks/site-build-jekyll.sh [CORPUS]   (default ../shared/corpus/rxhive-v1)
# Env: WORK (default /tmp/formulary-jekyll), FORMULARY_RUNS (default 3). Jekyll runs once: ~2 minutes.
# Needs: apt jekyll ruby-jekyll-sitemap hyperfine.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:-$here/../shared/corpus/rxhive-v1}" && pwd)
work=${WORK:-/tmp/formulary-jekyll}
formulary=$here/.build/release/formulary
[ -x "$formulary" ] || (cd "$here" && swift build -c release --product formulary)
mkdir -p "$work"
[ -d "$work/anchors/jekyll" ] || bash "$here/../shared/bench/anchors/setup.sh" "$corpus" "$work/anchors" >&2
pages=$(find "$work/anchors/hugo/content" -name '*.md' | wc -l)
echo "machine: $(nproc) cores; $(date -u +%FT%TZ); pages: $pages; $(jekyll --version); formulary $("$formulary" --version)"
hyperfine --export-json "$work/hyperfine-formulary.json" --runs "${FORMULARY_RUNS:-3}" \
  --prepare "rm -rf $work/out-formulary" \
  "$formulary build --content $work/anchors/hugo/content --out $work/out-formulary --full -q"
hyperfine --export-json "$work/hyperfine-jekyll.json" --runs 1 --prepare "rm -rf $work/out-jekyll" \
  "jekyll build --quiet -s $work/anchors/jekyll -d $work/out-jekyll"
python3 - "$work/hyperfine-formulary.json" "$work/hyperfine-jekyll.json" <<'PY'
import json, sys
formulary = json.load(open(sys.argv[1]))["results"][0]["median"]
jekyll = json.load(open(sys.argv[2]))["results"][0]["median"]
print(f"formulary median {formulary:.2f} s, jekyll {jekyll:.1f} s: formulary {jekyll / formulary:.0f}x faster")
PY
