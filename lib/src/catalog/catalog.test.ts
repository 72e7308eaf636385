import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CATALOG, RECIPES, catalogEntry, comparisonRows, historyTimeline } from "./catalog";
import { checkParamRules, resolveConfig } from "../core/config";
import { COMPARISON_METHODS, COMPARISON_RUNNER_NAMES } from "../comparison/methods";
import { HISTORY_TIMELINE } from "../comparison/figures";
import { repoRoot } from "../core/paths";

const notebooksDir = path.join(repoRoot(), "notebooks");
const notebookFiles = fs.readdirSync(notebooksDir).filter((f) => /^[0-9]{2}_.*\.ipynb$/.test(f)).map((f) => f.replace(/\.ipynb$/, "")).sort();

test("every notebook has a catalog entry and every entry a notebook", () => {
  const entries = CATALOG.map((e) => e.notebook).sort();
  assert.deepEqual(entries.filter((n) => !notebookFiles.includes(n)), [], "entries without a notebook");
  assert.deepEqual(notebookFiles.filter((n) => !entries.includes(n)), [], "notebooks without an entry");
  assert.equal(new Set(entries).size, entries.length, "one entry per notebook");
  assert.throws(() => catalogEntry("99_nothing"), /no catalog entry for notebook "99_nothing"; entries: 00_tour/);
});

test("every entry's recipe is in RECIPES, every parameter has a rule, and the defaults of both modes pass them", () => {
  assert.deepEqual(Object.keys(RECIPES).sort(), CATALOG.map((e) => e.notebook).sort());
  for (const e of CATALOG) {
    assert.equal(e.recipe, (RECIPES as Record<string, unknown>)[e.notebook], `${e.notebook}: entry.recipe is RECIPES[notebook]`);
    const keys = Object.keys(e.recipe.quick);
    const rules = e.recipe.rules as Record<string, unknown>;
    assert.deepEqual(keys.filter((k) => !(k in rules)), [], `${e.notebook}: parameters without a rule`);
    assert.deepEqual(Object.keys(rules).filter((k) => !keys.includes(k)), [], `${e.notebook}: rules for unknown parameters`);
    checkParamRules(e.recipe.quick, e.recipe.rules);
    checkParamRules(resolveConfig(e.recipe.quick, e.recipe.full as Record<string, unknown>), e.recipe.rules);
  }
});

test("rules reject what they should (sizes, seeds, temperatures, fractions, epochs, choices)", () => {
  const r = RECIPES["02_hinton_distillation"];
  const bad: Array<[string, unknown, RegExp]> = [
    ["trainSize", 0, /trainSize.*between 1 and/],
    ["trainSize", 2.5, /a whole number/],
    ["seeds", [], /at least 1/],
    ["seeds", [-1], /at least 0/],
    ["T", 0, /temperature/],
    ["softWeight", 1.5, /between 0 and 1/],
    ["studentEpochs", 100000, /between 1 and 1000/],
    ["source", "cifar", /one of "fashion", "digits"/],
  ];
  for (const [key, value, re] of bad) {
    assert.throws(() => checkParamRules({ ...r.quick, [key]: value }, r.rules), re, `${key}=${JSON.stringify(value)}`);
  }
});

test("the Hinton teacher recipe is defined once: notebooks 01–05 share it exactly", () => {
  const teacherKeys = ["source", "trainSize", "testSize", "imageSize", "teacherHidden", "teacherDropout", "teacherInputDropout", "teacherMaxNorm", "teacherEpochs", "teacherLr", "jitterPixels", "batchSize", "seeds"];
  const nbs = ["01_soft_targets", "02_hinton_distillation", "03_temperature", "04_omitted_class", "05_logit_matching"] as const;
  for (const nb of nbs) {
    for (const k of teacherKeys) {
      assert.deepEqual((RECIPES[nb].quick as Record<string, unknown>)[k], (RECIPES["01_soft_targets"].quick as Record<string, unknown>)[k], `${nb}.${k} quick`);
      assert.deepEqual((RECIPES[nb].full as Record<string, unknown>)[k], (RECIPES["01_soft_targets"].full as Record<string, unknown>)[k], `${nb}.${k} full`);
    }
  }
});

test("comparison rows: every runner has a catalog row and every catalog row a runner", () => {
  const declared = comparisonRows().map((r) => r.name).sort();
  assert.deepEqual([...COMPARISON_RUNNER_NAMES].sort(), declared);
  assert.equal(new Set(declared).size, declared.length, "row names unique");
  for (const m of COMPARISON_METHODS) assert.ok(notebookFiles.includes(m.notebook), `${m.name}: notebook ${m.notebook}`);
});

test("timeline: generated from the catalog, every point linked to an existing notebook, oldest first", () => {
  assert.deepEqual(HISTORY_TIMELINE, historyTimeline());
  assert.ok(HISTORY_TIMELINE.length >= 10);
  for (const t of HISTORY_TIMELINE) assert.ok(t.notebook && notebookFiles.includes(t.notebook), `${t.method}`);
  for (let i = 1; i < HISTORY_TIMELINE.length; i++) assert.ok(HISTORY_TIMELINE[i].year >= HISTORY_TIMELINE[i - 1].year);
});

test("claims are complete: unique ids, a statement, a source, a metric, a rule on named metrics, valid modes", () => {
  for (const e of CATALOG) {
    const ids = e.claims.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, `${e.notebook}: claim ids unique`);
    for (const c of e.claims) {
      assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*$/i, `${e.notebook}/${c.id}: kebab-case id`);
      assert.ok(c.statement.length > 10 && c.source && c.metric, `${e.notebook}/${c.id}: statement, source, metric`);
      assert.ok(c.mustHold.every((m) => m === "quick" || m === "full"), `${e.notebook}/${c.id}: modes`);
      const r = c.rule;
      assert.ok(r.a && (r.kind !== "compare" || r.b), `${e.notebook}/${c.id}: metric names`);
    }
  }
});

test("every lib module an entry names exists", () => {
  for (const e of CATALOG) for (const m of e.libModules) assert.ok(fs.existsSync(path.join(repoRoot(), "lib", "src", m)), `${e.notebook}: lib/src/${m}`);
});

test("every notebook takes its parameters from its recipe, not from a pasted copy", () => {
  for (const nb of notebookFiles) {
    const cells = JSON.parse(fs.readFileSync(path.join(notebooksDir, `${nb}.ipynb`), "utf8")).cells as Array<{ cell_type: string; source: string[] | string }>;
    const code = cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)).join("\n");
    assert.ok(code.includes(`kdh.recipeParams("${nb}")`), `${nb}: calls kdh.recipeParams("${nb}")`);
    assert.ok(!code.includes("notebookParams("), `${nb}: no notebookParams({...}) copy of a recipe`);
    if (catalogEntry(nb).claims.length) assert.ok(code.includes(`kdh.judgeClaims("${nb}"`), `${nb}: judges its catalog claims`);
  }
});
