// The static site's search client (assets/search.js) on the evaluation set, in Node with its
// files read from a built site: success@1, success@5 and MRR per category, like
// `formulary search --evaluate`, and the bytes a browser downloads for a first query (a fresh
// client per query: search.js, search/index.json and the shards fetched), raw and gzip-compressed.
// Usage: node Evaluation/static_search_eval.mjs SITE_DIR Evaluation/search-queries.tsv [OUT.json]
// LANGUAGE=hi searches as a reader of the site's Hindi pages (a result `hi/composition/x` counts as `composition/x`).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const [siteDir, tsvFile, outFile] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const scriptPath = path.join(siteDir, "assets/search.js");
const { Engine } = require(path.resolve(scriptPath));
const script = fs.readFileSync(scriptPath);
const gz = (buffer) => zlib.gzipSync(buffer, { level: 6 }).length;
const gzipCache = new Map();
const sizes = (file, buffer) => {
  if (!gzipCache.has(file)) gzipCache.set(file, { raw: buffer.length, gzip: gz(buffer) });
  return gzipCache.get(file);
};

const cases = fs.readFileSync(tsvFile, "utf8").split("\n")
  .filter((line) => line && !line.startsWith("#") && !line.startsWith("category\t"))
  .map((line) => { const [category, query, expected] = line.split("\t"); return { category, query, expected }; });

const perCategory = new Map();
const bytes = [];
const misses = [];
for (const { category, query, expected } of cases) {
  const fetched = [];
  const engine = new Engine("/", async (file) => {
    const full = path.join(siteDir, file);
    if (!fs.existsSync(full)) { fetched.push({ file, raw: 0, gzip: 0, missing: true }); return null; }
    const buffer = fs.readFileSync(full);
    fetched.push({ file, ...sizes(file, buffer) });
    return JSON.parse(buffer.toString("utf8"));
  });
  const { results } = await engine.search(query, 10, { language: process.env.LANGUAGE || null });
  // A translation's address is its language, then the medicine's id.
  const ids = results.map((r) => r.id.replace(/^[a-z]{2,3}\/(?=[^/]+\/)/, ""));
  const wanted = expected.split("|");
  const rank = ids.findIndex((id) => wanted.includes(id)) + 1;
  const stats = perCategory.get(category) ?? { n: 0, s1: 0, s5: 0, rr: 0 };
  stats.n++; if (rank === 1) stats.s1++; if (rank >= 1 && rank <= 5) stats.s5++; if (rank >= 1) stats.rr += 1 / rank;
  perCategory.set(category, stats);
  if (rank !== 1) misses.push(`${category}\t${query}\texpected ${expected} got ${ids.slice(0, 3).join(", ")}`);
  const scriptSizes = sizes("assets/search.js", script);
  bytes.push({
    query,
    raw: scriptSizes.raw + fetched.reduce((a, f) => a + f.raw, 0),
    gzip: scriptSizes.gzip + fetched.reduce((a, f) => a + f.gzip, 0),
    requests: 1 + fetched.length,
    notFound: fetched.filter((f) => f.missing).length,
  });
}

const rows = [...perCategory.entries()];
const total = rows.reduce((a, [, s]) => ({ n: a.n + s.n, s1: a.s1 + s.s1, s5: a.s5 + s.s5, rr: a.rr + s.rr }), { n: 0, s1: 0, s5: 0, rr: 0 });
console.log("| category | queries | success@1 | success@5 | MRR |\n|---|---|---|---|---|");
for (const [category, s] of [...rows, ["overall", total]]) {
  console.log(`| ${category} | ${s.n} | ${(s.s1 / s.n).toFixed(3)} | ${(s.s5 / s.n).toFixed(3)} | ${(s.rr / s.n).toFixed(3)} |`);
}
const quantile = (values, q) => { const sorted = [...values].sort((a, b) => a - b); return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]; };
const kb = (n) => (n / 1000).toFixed(1);
console.log(`\nfirst-query download over ${bytes.length} queries (kB, p50 / p95 / max): ` +
  `raw ${kb(quantile(bytes.map((b) => b.raw), 0.5))} / ${kb(quantile(bytes.map((b) => b.raw), 0.95))} / ${kb(Math.max(...bytes.map((b) => b.raw)))}; ` +
  `gzip ${kb(quantile(bytes.map((b) => b.gzip), 0.5))} / ${kb(quantile(bytes.map((b) => b.gzip), 0.95))} / ${kb(Math.max(...bytes.map((b) => b.gzip)))}; ` +
  `requests p50 ${quantile(bytes.map((b) => b.requests), 0.5)}, of them not found p50 ${quantile(bytes.map((b) => b.notFound), 0.5)}`);
if (process.env.SHOW_MISSES) console.log("\nmisses:\n" + misses.join("\n"));
if (outFile) fs.writeFileSync(outFile, JSON.stringify({ categories: Object.fromEntries(rows), total, bytes }, null, 1));
