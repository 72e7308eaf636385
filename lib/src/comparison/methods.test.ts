import { test } from "node:test";
import assert from "node:assert/strict";
import { COMPARISON_DEFAULTS, COMPARISON_METHODS, comparisonMethod, comparisonMethodNames, ensembleSeeds } from "./methods";
import { compareMethods, MethodSummary } from "./summary";
import { stableStringify } from "../core/store";

test("the registry rejects unknown names and lists the valid ones", () => {
  for (const bad of ["distill", "OBD", "", "teacher "]) {
    assert.throws(
      () => comparisonMethod(bad),
      (e: Error) => e.message.includes(JSON.stringify(bad)) && comparisonMethodNames().every((n) => e.message.includes(n)),
      `unknown name ${JSON.stringify(bad)}`,
    );
  }
  for (const name of comparisonMethodNames()) assert.equal(comparisonMethod(name).name, name);
});

test("every entry is complete, uniquely named, and its config is JSON-able and changes with its own keys", () => {
  const names = comparisonMethodNames();
  assert.equal(new Set(names).size, names.length, "names are unique");
  for (const m of COMPARISON_METHODS) {
    assert.ok(m.label && m.paper && /^[0-9]{2}_[a-z0-9_]+$/.test(m.notebook), `${m.name}: label, paper and a notebook name`);
    assert.ok(m.year >= 1960 && m.year <= 2025, `${m.name}: year ${m.year}`);
    const cfg = m.config(COMPARISON_DEFAULTS);
    assert.deepEqual(JSON.parse(stableStringify(cfg)), JSON.parse(JSON.stringify(cfg)), `${m.name}: config survives JSON`);
  }
  // A row must be recomputed when something it depends on changes, and only then.
  const changed = { ...COMPARISON_DEFAULTS, studentEpochs: COMPARISON_DEFAULTS.studentEpochs + 1 };
  const moves = (name: string) => stableStringify(comparisonMethod(name).config(COMPARISON_DEFAULTS)) !== stableStringify(comparisonMethod(name).config(changed));
  assert.equal(moves("hardStudent"), true);
  assert.equal(moves("distillEnsemble"), true);
  assert.equal(moves("teacher"), false);
  assert.equal(moves("obd"), false);
  assert.equal(moves("gmdh"), false);
});

test("ensemble members: the row's own teacher first, then the other row seeds, then derived seeds", () => {
  assert.deepEqual(ensembleSeeds(3, 3, [1, 2, 3, 4, 5]), [3, 4, 5]);
  assert.deepEqual(ensembleSeeds(5, 3, [1, 2, 3, 4, 5]), [5, 1, 2]);
  const q = ensembleSeeds(2, 3, [1, 2]);
  assert.deepEqual(q.slice(0, 2), [2, 1]);
  assert.ok(![1, 2].includes(q[2]), "a derived third member");
  const s = ensembleSeeds(1, 3);
  assert.equal(s.length, 3);
  assert.equal(s[0], 1);
  assert.equal(new Set(s).size, 3);
  assert.deepEqual(ensembleSeeds(1, 3), s, "deterministic");
  assert.throws(() => ensembleSeeds(1, 0), /ensembleSize=0/);
});

test("compareMethods: difference and standard error by hand", () => {
  const row = (method: string, label: string, mean: number, sd: number, n: number): MethodSummary => ({
    method, label, year: 2015, paper: "", notebook: "", source: "computed", seeds: [], n,
    accuracyMean: mean, accuracySd: sd, nonZeroParams: 1, inferenceMsPer1000: 1, trainSeconds: 1, epochs: 1, details: "", onParetoFront: false,
  });
  // d = 0.02; se = sqrt(0.004²/4 + 0.006²/4) = sqrt(4e-6 + 9e-6) = 0.0036056; 2se = 0.0072 < 0.02: supported.
  const s = [row("a", "A", 0.92, 0.004, 4), row("b", "B", 0.9, 0.006, 4), row("c", "C", 0.915, 0.01, 4), row("d", "D", 0.5, 0, 1)];
  const ab = compareMethods(s, "a", "b", "A beats B")!;
  assert.ok(Math.abs(ab.difference - 0.02) < 1e-12);
  assert.ok(Math.abs(ab.standardError - Math.sqrt(13e-6)) < 1e-12);
  assert.equal(ab.aBetter, true);
  assert.match(ab.sentence, /^Supported/);
  // d = 0.005; se = sqrt(0.004²/4 + 0.01²/4) = 0.005385; not settled.
  const ac = compareMethods(s, "a", "c", "A beats C")!;
  assert.equal(ac.aBetter || ac.bBetter, false);
  assert.match(ac.sentence, /^Not settled/);
  const ba = compareMethods(s, "b", "a", "B beats A")!;
  assert.equal(ba.bBetter, true);
  assert.match(ba.sentence, /^Contradicted/);
  // One seed: no error bar, never "supported".
  assert.match(compareMethods(s, "a", "d", "A beats D")!.sentence, /^Not settled.*one seed/);
  assert.equal(compareMethods(s, "a", "zzz", "?"), undefined);
});
