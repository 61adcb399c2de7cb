// Peer measure, second half of pagefind_eval.sh: runs every query of Formulary's evaluation set
// through a site's own pagefind.js (search API, default ranking, in Node with fetch() served from
// disk, as /work/shared/bench/anchors/pagefind_query.mjs does), takes the top 10 result URLs in
// Pagefind's order, maps them to page ids and prints success@1, success@5 and MRR per category,
// scored like `formulary search --evaluate`.
// Each query runs on a fresh pagefind.js instance (a user's first search after a page load):
// Pagefind's fallback for a word it cannot find (it matches the longest indexed prefix of the word)
// only sees index chunks already loaded, so on a shared instance a result depends on the queries
// run before it. SHARED=1 reuses one instance for all queries, in file order, to show that effect.
// Usage: node pagefind_eval.mjs SITE_DIR QUERIES.tsv   (SITE_DIR holds pagefind/; VERBOSE=1 lists
// each query's top 3 on stderr)
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [siteDir, tsvFile] = process.argv.slice(2);
globalThis.fetch = async (input) => {
  const url = new URL(typeof input === "string" ? input : input.url ?? String(input));
  return new Response(fs.readFileSync(path.join(siteDir, decodeURIComponent(url.pathname))), { status: 200 });
};

// /composition/<letter>/<slug>/ -> composition/<slug>; /generic/<slug>/ -> generic/<slug>
const toId = (url) => {
  const u = new URL(url, "http://peers.local/").pathname;
  const m = u.match(/^\/(composition)\/[^/]+\/([^/]+)\/$/) || u.match(/^\/(generic)\/([^/]+)\/$/);
  if (!m) throw new Error(`unmapped result URL ${url}`);
  return `${m[1]}/${m[2]}`;
};

// category<TAB>query<TAB>expected[|expected]; '#' lines and the header are skipped
const cases = fs.readFileSync(tsvFile, "utf8").split("\n")
  .map((line) => line.split("\t"))
  .filter((f) => !f[0].startsWith("#") && f.length >= 3 && f[0] !== "category")
  .map(([category, query, expected]) => ({ category, query, expected: new Set(expected.split("|").map((e) => e.trim())) }));

const pfUrl = pathToFileURL(path.join(siteDir, "pagefind", "pagefind.js")).href;
let loads = 0, pf;
const fresh = async () => {
  const m = await import(`${pfUrl}?instance=${loads++}`); // a new module: empty chunk cache
  await m.options({ basePath: "http://peers.local/pagefind/" });
  await m.init();
  return m;
};

const by = {};
for (const c of cases) {
  if (!pf || !process.env.SHARED) pf = await fresh();
  const res = await pf.search(c.query);
  const ids = (await Promise.all(res.results.slice(0, 10).map((r) => r.data()))).map((d) => toId(d.url));
  const rank = ids.findIndex((id) => c.expected.has(id)) + 1; // 0: not in the top 10
  const entry = [rank === 1, rank >= 1 && rank <= 5, rank ? 1 / rank : 0];
  for (const k of [c.category, "overall"]) (by[k] ??= []).push(entry);
  if (process.env.VERBOSE) console.error([c.category, c.query, [...c.expected].sort().join("|"), ids.slice(0, 3).join(" ")].join("\t"));
}

console.log("category        queries  success@1  success@5    MRR");
const order = Object.keys(by).sort((a, b) => (a === "overall") - (b === "overall") || (a < b ? -1 : a > b ? 1 : 0));
for (const k of order) {
  const e = by[k], mean = (i) => e.reduce((s, x) => s + Number(x[i]), 0) / e.length;
  console.log(k.padEnd(16) + String(e.length).padStart(7) + "  " + mean(0).toFixed(3).padStart(9) + "  " +
    mean(1).toFixed(3).padStart(9) + "  " + mean(2).toFixed(3).padStart(6));
}
