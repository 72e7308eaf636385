/** Tests for the report's claims box: placement, fresh vs stale records, and the "not run" fallback. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { insertClaimsBox, reportClaimsBox } from "./claims-box";
import type { ClaimResult } from "../../lib/src/catalog/verdicts";

const claim: ClaimResult = {
  id: "distilled-beats-hard", statement: "Distilled <beats> hard.", paperFigure: "74 vs 146", source: "section 3", metric: "errors", unit: "test errors",
  rule: "r", mode: "quick", verdict: "not reproduced", mustHold: false, why: "opposite direction",
  ours: [{ metric: "distilledErrors", mean: 193.7, sd: 3.1, n: 3, seeds: [0, 1, 2] }, { metric: "hardErrors", mean: 186.7, sd: 2.5, n: 3, seeds: [0, 1, 2] }],
};

test("the box goes right after the title, or at the top of the body", () => {
  assert.equal(insertClaimsBox("<body><h1>T</h1><p>x</p></body>", "BOX"), "<body><h1>T</h1>\nBOX<p>x</p></body>");
  assert.equal(insertClaimsBox('<body class="a"><p>x</p></body>', "BOX"), '<body class="a">\nBOX<p>x</p></body>');
});

test("a record of this run: its verdicts, figures (mean ± sd, seeds) and the paper's figure, escaped", () => {
  const box = reportClaimsBox("02_hinton_distillation", { finishedAt: 2000, mode: "quick", claims: [claim] }, 1000, "quick");
  assert.match(box, /not reproduced/);
  assert.match(box, /193\.7 ± 3\.1/);
  assert.match(box, /\(3 seeds\)/);
  assert.match(box, /74 vs 146/);
  assert.match(box, /Distilled &lt;beats&gt; hard\./);
  assert.match(box, /quick mode/);
});

test("a stale or missing record: the catalog's claims, all not run, and why", () => {
  for (const rec of [undefined, { finishedAt: 500, claims: [claim] }]) {
    const box = reportClaimsBox("02_hinton_distillation", rec, 1000, "quick");
    assert.match(box, /wrote no results record/);
    assert.doesNotMatch(box, /193\.7/);
    assert.ok((box.match(/>not run</g) ?? []).length >= 5, "every catalog claim of 02 listed as not run");
  }
});
