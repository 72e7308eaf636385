import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkParamRules, resolveConfig } from "../../core/config";
import { repoRoot } from "../../core/paths";
import { BEHAVIOURAL_CLONING_ENTRY } from "../../control/catalog-entry";
import { GRAPH_DISTILLATION_ENTRY } from "../../graph/catalog-entry";

const entries = [BEHAVIOURAL_CLONING_ENTRY, GRAPH_DISTILLATION_ENTRY];

for (const e of entries) {
  test(`${e.notebook}: a rule for every parameter, defaults of both modes pass them, the notebook exists and uses its recipe and claims`, () => {
    const keys = Object.keys(e.recipe.quick);
    assert.deepEqual(keys.filter((k) => !(k in e.recipe.rules)), [], "parameters without a rule");
    assert.deepEqual(Object.keys(e.recipe.rules).filter((k) => !keys.includes(k)), [], "rules for unknown parameters");
    checkParamRules(e.recipe.quick, e.recipe.rules as never);
    checkParamRules(resolveConfig(e.recipe.quick, e.recipe.full as Record<string, unknown>), e.recipe.rules as never);
    const nb = fs.readFileSync(path.join(repoRoot(), "notebooks", `${e.notebook}.ipynb`), "utf8");
    assert.ok(nb.includes(`writeResults(\\"${e.notebook}\\"`), "the notebook writes its own record");
    const ids = e.claims.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, "claim ids unique");
    for (const c of e.claims) {
      assert.ok(c.statement && c.source && c.metric && c.unit, `${c.id}: statement, source, metric and unit`);
      const metrics = c.rule.kind === "compare" ? [c.rule.a, c.rule.b] : [c.rule.a];
      for (const m of metrics) assert.ok(nb.includes(`${m}:`), `${c.id}: the notebook measures ${m}`);
    }
  });
}

test("rules reject bad overrides with the parameter's name", () => {
  const r = BEHAVIOURAL_CLONING_ENTRY.recipe;
  assert.throws(() => checkParamRules({ ...r.quick, demonstrations: [4] }, r.rules), /demonstrations.*at least 2/);
  assert.throws(() => checkParamRules({ ...r.quick, steps: 0.5 }, r.rules), /steps.*whole number/);
  const g = GRAPH_DISTILLATION_ENTRY.recipe;
  assert.throws(() => checkParamRules({ ...g.quick, homophily: 1.5 }, g.rules), /homophily.*between 0 and 1/);
  assert.throws(() => checkParamRules({ ...g.quick, timingSizes: [512] }, g.rules), /timingSizes.*at least 2/);
});
