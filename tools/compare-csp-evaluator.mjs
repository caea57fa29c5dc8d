#!/usr/bin/env node
// Records Google's CSP Evaluator (npm csp_evaluator 1.1.8) on a list of policies and compares
// `secureheaders csp evaluate --json` with it.
//
//   node tools/compare-csp-evaluator.mjs record POLICIES.txt > EXPECTED.jsonl
//   node tools/compare-csp-evaluator.mjs compare EXPECTED.jsonl OURS.jsonl
//
// record: one policy per line; runs DEFAULT_CHECKS + STRICTCSP_CHECKS at CSP3 (as
//   `csp-evaluate.mjs --strict` does) and writes one line per policy:
//   {"policy": "...", "findings": [{"check","severity","directive","value"}]} with the finding type and
//   severity in kebab-case, IGNORED notes left out. A policy on which the Evaluator throws gets
//   {"policy": "...", "error": "..."} and is left out of the comparison.
// compare: matches findings per policy on (check, directive) as multisets and prints recall (share of
//   the Evaluator's findings we report) and precision (share of our findings with an Evaluator name that
//   the Evaluator also reports), then the differences.
// The Evaluator is looked up in $ANCHORS_DIR/node_modules (default ~/.cache/reference-graders), which
// ../shared/tools/reference-graders/setup.sh installs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const [mode, a, b] = process.argv.slice(2);
const kebab = (s) => s.toLowerCase().replaceAll("_", "-");

if (mode === "record") {
  const dir = path.join(process.env.ANCHORS_DIR ?? path.join(os.homedir(), ".cache/reference-graders"), "node_modules/csp_evaluator");
  const req = createRequire(path.join(dir, "package.json"));
  const { CspEvaluator, STRICTCSP_CHECKS } = req("./dist/evaluator.js");
  const { CspParser } = req("./dist/parser.js");
  const { Severity, Type } = req("./dist/finding.js");
  for (const policy of fs.readFileSync(a, "utf8").split("\n")) {
    if (policy === "") continue;
    try {
      const findings = new CspEvaluator(new CspParser(policy).csp, 3).evaluate(STRICTCSP_CHECKS)
        .filter((f) => f.type !== Type.IGNORED)
        .map((f) => ({ check: kebab(Type[f.type]), severity: kebab(Severity[f.severity]), directive: f.directive, value: f.value ?? null }));
      process.stdout.write(JSON.stringify({ policy, findings }) + "\n");
    } catch (e) {
      process.stdout.write(JSON.stringify({ policy, error: String(e.message ?? e) }) + "\n");
    }
  }
} else if (mode === "compare") {
  const read = (f) => fs.readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const expected = read(a);
  const ours = new Map(read(b).map((o) => [o.policy.trim(), o]));
  const evaluatorNames = new Set(["script-unsafe-inline", "script-unsafe-hashes", "script-unsafe-eval", "plain-url-schemes", "plain-wildcard", "missing-directives", "script-allowlist-bypass", "object-allowlist-bypass", "ip-source", "nonce-length", "nonce-charset", "src-http", "deprecated-directive", "unknown-directive", "missing-semicolon", "invalid-keyword", "strict-dynamic", "strict-dynamic-not-standalone", "unsafe-inline-fallback", "allowlist-fallback", "require-trusted-types-for-scripts", "reporting-destination-missing", "report-to-only", "ignored", "src-no-protocol", "experimental", "wildcard-url", "x-frame-options-obsoleted", "style-unsafe-inline", "static-nonce", "nonce-hash"]);
  let theirs = 0, found = 0, oursNamed = 0, confirmed = 0, policies = 0;
  const misses = [], extras = [];
  for (const e of expected) {
    if (e.error) continue;
    const o = ours.get(e.policy.trim());
    if (!o) { console.log("missing from ours: " + e.policy); continue; }
    policies++;
    const key = (f) => f.check + " " + f.directive;
    const bag = new Map();
    for (const f of e.findings) bag.set(key(f), (bag.get(key(f)) ?? 0) + 1);
    const remaining = new Map(bag);
    const named = o.findings.filter((f) => evaluatorNames.has(f.check) && f.check !== "ignored");
    for (const f of named) {
      oursNamed++;
      const k = key(f);
      if ((remaining.get(k) ?? 0) > 0) { remaining.set(k, remaining.get(k) - 1); confirmed++; }
      else extras.push(e.policy + "  =>  " + k + " " + (f.value ?? ""));
    }
    theirs += e.findings.length;
    let missed = 0;
    for (const [k, n] of remaining) if (n > 0) { missed += n; misses.push(e.policy + "  =>  " + k + (n > 1 ? " x" + n : "")); }
    found += e.findings.length - missed;
  }
  const pct = (x, y) => (y === 0 ? 100 : (100 * x) / y).toFixed(2) + "%";
  console.log(`policies compared: ${policies}`);
  console.log(`recall    (Evaluator findings we report):            ${found}/${theirs} = ${pct(found, theirs)}`);
  console.log(`precision (our Evaluator-named findings it reports): ${confirmed}/${oursNamed} = ${pct(confirmed, oursNamed)}`);
  if (misses.length) console.log("\nmissed:\n  " + misses.join("\n  "));
  if (extras.length) console.log("\nextra:\n  " + extras.join("\n  "));
} else {
  console.error("usage: compare-csp-evaluator.mjs record POLICIES.txt | compare EXPECTED.jsonl OURS.jsonl");
  process.exit(2);
}
