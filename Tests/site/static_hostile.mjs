// Hostile queries through the static search client (assets/search.js) of a built site: each must
// answer (empty or not) without throwing, and fetch only files under search/.
// Usage: node Tests/site/static_hostile.mjs SITE_DIR
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const siteDir = process.argv[2];
const { Engine } = createRequire(import.meta.url)(path.resolve(siteDir, "assets/search.js"));
const queries = [
  "", " ", "x".repeat(10000), "!!!???...", ".*+?^${}()|[]\\", "' OR 1=1; DROP TABLE pages; --",
  "\uFFFD\uFFFD", "\uD800", "💊💊 paracetamol 💊", "../../../etc/passwd", "%2e%2e%2f", "<script>alert(1)</script>",
  "a", "pa", "12", "650mg", "constructor", "__proto__", "toString", "hasOwnProperty",
];
let failures = 0;
for (const query of queries) {
  const fetched = [];
  const engine = new Engine("/", async (file) => {
    fetched.push(file);
    const full = path.join(siteDir, file);
    return fs.existsSync(full) ? JSON.parse(fs.readFileSync(full, "utf8")) : null;
  });
  try {
    const { total, results } = await engine.search(query, 10);
    const outside = fetched.filter((file) => !/^search\/(index\.json|[nb]\/[a-z0-9_]{2,3}\.json)$/.test(file));
    if (outside.length) throw new Error("fetched " + outside.join(", "));
    console.log(`ok ${JSON.stringify(query.slice(0, 40))}: ${total} results${results[0] ? ", first " + results[0].title : ""}`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${JSON.stringify(query.slice(0, 40))}: ${error.stack}`);
  }
}
process.exit(failures ? 1 : 0);
